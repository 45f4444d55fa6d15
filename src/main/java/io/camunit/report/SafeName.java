package io.camunit.report;

import java.util.Locale;

/**
 * File names made from text that may be hostile: sample ids are paths such as
 * {@code images/0001.png}, or even {@code ../../x}. Every character outside {@code [A-Za-z0-9._-]}
 * becomes {@code _}, so no separator survives; leading dots and dashes go (no {@code ..}, hidden or
 * option-like names); a long name keeps its last characters, where ids differ; an empty result
 * becomes a fallback. The result is one path element that stays inside any directory it is resolved
 * against.
 *
 * <pre>{@code
 * SafeName.of("images/0001.png", 120, "sample");   // "images_0001.png"
 * SafeName.of("../../x", 120, "sample");           // "_.._x"
 * }</pre>
 */
public final class SafeName {

    private SafeName() {}

    /**
     * @param text any text
     * @param maxLength the longest name wanted, at least 1
     * @param fallback the name when nothing is left; must itself be safe
     * @return a safe file name
     */
    public static String of(String text, int maxLength, String fallback) {
        String name = text.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[.-]+", "");
        if (name.length() > maxLength) {
            name = name.substring(name.length() - maxLength).replaceFirst("^[.-]+", "");
        }
        return name.isEmpty() ? fallback : name;
    }

    /**
     * @param name a file name
     * @return the key under which two names clash on a case-insensitive file system
     */
    public static String clashKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
