package io.camunit.region;

import io.camunit.CamunitException;

import java.nio.file.Path;

/**
 * The place of a value in an annotation file, for error messages: the file and a field path such
 * as {@code annotations[12].segmentation.counts} or {@code line 7, column box}. Every reader error
 * is built here so that all of them read the same way: file, field, expected, found, what to do.
 */
record Where(Path file, String field) {

    static Where in(Path file) {
        return new Where(file, "");
    }

    /** A place without a file, for values given in code (e.g. {@code Rle.fromCounts}). */
    static Where value(String what) {
        return new Where(null, what);
    }

    Where child(String name) {
        return new Where(file, field.isEmpty() ? name : field + "." + name);
    }

    Where index(int i) {
        return new Where(file, field + "[" + i + "]");
    }

    /** Replaces the field path (for line-based formats: {@code line 7}). */
    Where at(String newField) {
        return new Where(file, newField);
    }

    CamunitException fail(String expected, String found, String fix) {
        return new CamunitException(message(expected, found, fix));
    }

    CamunitException fail(String expected, String found, String fix, Throwable cause) {
        return new CamunitException(message(expected, found, fix), cause);
    }

    String message(String expected, String found, String fix) {
        String end = fix.endsWith(".") || fix.endsWith(")") ? "" : ".";
        return this + ": expected " + expected + "; found " + found + ". " + fix + end;
    }

    @Override
    public String toString() {
        if (file == null) {
            return field;
        }
        return field.isEmpty() ? file.toString() : file + ": " + field;
    }
}
