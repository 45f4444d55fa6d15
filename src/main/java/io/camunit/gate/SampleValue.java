package io.camunit.gate;

import io.camunit.metric.Decimals;

import java.util.Objects;

/**
 * One sample's value of a gated metric, or why it has none.
 *
 * <pre>{@code
 * new SampleValue("images/0001.png", "circle", 0.42, null);
 * new SampleValue("images/0002.png", "square", null, "map has no positive mass");
 * }</pre>
 *
 * @param id the sample's id
 * @param label its labelled class ({@code (several)} or {@code (none)} for mixed or empty samples)
 * @param value the metric's value, or null when it could not be computed (never NaN)
 * @param reason why there is no value, or null
 */
public record SampleValue(String id, String label, Double value, String reason) {

    /** Checks the id and label, and refuses NaN and infinities. */
    public SampleValue {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException("Sample " + id + ": a metric value must be finite; got " + value
                    + ". A value that cannot be computed is null, with the reason.");
        }
    }

    /** @return true when the metric has a value for this sample */
    public boolean hasValue() {
        return value != null;
    }

    /** @return e.g. {@code images/0001.png 0.000} or {@code images/0002.png no value} */
    public String describe() {
        return id + (value == null ? " no value" : " " + Decimals.fixed(value, 3));
    }
}
