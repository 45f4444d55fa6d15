package io.camunit.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A metric's value for one sample and the condition it was checked against.
 *
 * <pre>{@code
 * MetricValue peak = new MetricValue("peak-inside", OptionalDouble.of(0), ">= 1 (peak within 15.0 px)",
 *         OptionalDouble.of(1), Optional.empty());
 * peak.describe();   // "peak-inside 0 (needs >= 1 (peak within 15.0 px))"
 * }</pre>
 *
 * @param name the metric, e.g. {@code mass-inside}
 * @param value its value; empty when it cannot be computed (then {@code note} says why)
 * @param condition what was required, e.g. {@code >= 0.5} or {@code in [0.2, 0.8]}
 * @param threshold the number in the condition, when there is one
 * @param note why there is no value, or another remark
 */
public record MetricValue(String name, OptionalDouble value, String condition, OptionalDouble threshold,
        Optional<String> note) {

    /** Checks for nulls. */
    public MetricValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(note, "note");
    }

    /** @return one line for captions, e.g. {@code mass-inside 0.0132 (needs >= 0.5)} */
    public String describe() {
        String v = value.isPresent() ? format(value.getAsDouble()) : "no value";
        return name + " " + v + " (needs " + condition + ")";
    }

    /** Four significant digits, without a trailing ".0000" for whole numbers. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
