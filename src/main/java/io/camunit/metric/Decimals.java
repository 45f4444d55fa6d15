package io.camunit.metric;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How numbers are written wherever camunit writes a name or a rule as text (metric names such as
 * {@code top-2.5-inside}, gates such as {@code mass-inside >= 0.5 for 80%}): the shortest decimal
 * that reads back as the same double, without exponent or trailing zeros, the same under every
 * default locale.
 *
 * <pre>{@code
 * Decimals.plain(1.0);      // "1"
 * Decimals.plain(0.05);     // "0.05"
 * Decimals.percent(0.8);    // "80"   (0.8 * 100 in doubles would be 80.00000000000001)
 * Decimals.fixed(0.5, 3);   // "0.500"
 * }</pre>
 */
public final class Decimals {

    private Decimals() {}

    /**
     * @param value a finite number
     * @return it in plain decimal notation, e.g. {@code 1}, {@code 0.2}, {@code 0.0001}
     */
    public static String plain(double value) {
        requireFinite(value);
        String text = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /**
     * @param fraction a finite share, e.g. 0.8
     * @return it as a percentage in plain notation, e.g. {@code 80}, computed in decimal so that
     *     no binary rounding shows
     */
    public static String percent(double fraction) {
        requireFinite(fraction);
        return BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString();
    }

    /**
     * @param percentText a percentage as written, e.g. {@code 80} or {@code 12.5}
     * @return the share it means, e.g. 0.8, divided in decimal
     */
    public static double fractionOfPercent(String percentText) {
        return new BigDecimal(percentText).movePointLeft(2).doubleValue();
    }

    /**
     * @param value a number
     * @param decimals digits after the point
     * @return e.g. {@code 0.500}; always with a point, whatever the default locale
     */
    public static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static void requireFinite(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Only finite numbers are written as text; got " + value);
        }
    }
}
