package io.camunit.region;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import io.camunit.CamunitException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Strict JSON reading and typed field access whose errors name the file and the field. */
final class JsonFields {

    /** Coordinates and sizes beyond this are treated as corrupt rather than as pixels. */
    static final double ABSURD = 1e6;

    private JsonFields() {}

    /**
     * Parses a whole file strictly: no comments, no NaN, no trailing data (Gson is lenient by
     * default and would accept a truncated or doubled document).
     */
    static JsonElement parse(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonReader json = new JsonReader(reader);
            json.setStrictness(Strictness.STRICT);
            JsonElement root = JsonParser.parseReader(json);
            boolean end;
            try {
                end = json.peek() == JsonToken.END_DOCUMENT;
            } catch (IOException e) {
                // Strict mode refuses a second top-level value as malformed.
                end = false;
            }
            if (!end) {
                throw new CamunitException(file + " is not valid JSON: more data follows the top-level value. Expected"
                        + " one JSON document; the file may be two files concatenated: re-export it.");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new CamunitException("Annotation file " + file + " does not exist. Check the path.", e);
        } catch (JsonParseException | IOException e) {
            // Gson reports truncation as an EOFException inside a JsonSyntaxException, with the position.
            String detail = gsonDetail(e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getCause().getMessage() : e.getMessage());
            throw new CamunitException(file + " is not valid JSON: " + detail + ". The file may be truncated or"
                    + " hand-edited; re-export it or fix the syntax at that position.", e);
        }
    }

    /** Gson's messages end with advice for programmers (leniency, a troubleshooting URL): drop it. */
    static String gsonDetail(String message) {
        String m = String.valueOf(message);
        m = m.replaceAll("Use JsonReader\\.setStrictness\\(Strictness\\.LENIENT\\) to accept malformed JSON",
                "malformed JSON (comments, NaN, unquoted names and single quotes are not JSON)");
        m = m.replaceAll("\\s*See https://github\\.com/google/gson/\\S*", "");
        return m.strip();
    }

    static JsonObject object(JsonElement e, Where where) {
        if (e == null || !e.isJsonObject()) {
            throw where.fail("a JSON object", describe(e), "Fix the file's structure");
        }
        return e.getAsJsonObject();
    }

    static JsonArray array(JsonElement e, Where where) {
        if (e == null || !e.isJsonArray()) {
            throw where.fail("a JSON array", describe(e), "Fix the file's structure");
        }
        return e.getAsJsonArray();
    }

    static JsonElement required(JsonObject o, String key, Where where) {
        JsonElement e = o.get(key);
        if (e == null) {
            throw where.child(key).fail("a field \"" + key + "\"", "no such field (fields are " + o.keySet() + ")",
                    "Add the field; it is required");
        }
        return e;
    }

    /** @return the field, or null when it is absent or JSON null */
    static JsonElement optional(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e;
    }

    static String string(JsonElement e, Where where) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw where.fail("a string", describe(e), "Fix the value's type");
        }
        return e.getAsString();
    }

    static String nonBlankString(JsonElement e, Where where) {
        String s = string(e, where);
        if (s.isBlank()) {
            throw where.fail("a non-empty string", "an empty string", "Fill in the value");
        }
        return s;
    }

    static double number(JsonElement e, Where where) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw where.fail("a number", describe(e), "Fix the value's type");
        }
        double d = e.getAsDouble();
        if (!Double.isFinite(d)) {
            throw where.fail("a finite number", e.toString(), "Fix the value");
        }
        return d;
    }

    /** A whole number: JSON has one number type, so 12.0 is accepted and 12.5 is not. */
    static long integer(JsonElement e, Where where) {
        double d = number(e, where);
        if (d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
            throw where.fail("a whole number", e.toString(), "Fix the value");
        }
        return (long) d;
    }

    /** A positive pixel size (image width or height). */
    static int size(JsonElement e, Where where) {
        long v = integer(e, where);
        if (v < 1 || v > ABSURD) {
            throw where.fail("a size in pixels from 1 to " + (long) ABSURD, String.valueOf(v),
                    "Fix the image size in the annotation");
        }
        return (int) v;
    }

    /** @return a short, human description of a JSON value for "found ..." */
    static String describe(JsonElement e) {
        if (e == null) {
            return "nothing";
        }
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object with fields " + e.getAsJsonObject().keySet();
        }
        if (e.isJsonArray()) {
            return "an array of " + e.getAsJsonArray().size() + " values " + shorten(e.toString());
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isString()) {
            return "the string " + shorten(p.toString());
        }
        if (p.isBoolean()) {
            return "the boolean " + p;
        }
        return "the number " + p;
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
