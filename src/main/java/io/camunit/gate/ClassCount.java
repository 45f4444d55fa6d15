package io.camunit.gate;

import java.util.OptionalDouble;

/**
 * How the samples of one labelled class did under a gate: how many there are, how many met the
 * per-sample condition, how many have no value, and the sum of the values they have.
 *
 * <pre>{@code
 * ClassCount c = new ClassCount("circle", 15, 12, 1, 9.8);
 * c.passRate();     // 0.8
 * c.mean();         // OptionalDouble[0.7]: over the 14 samples with a value
 * c.describe();     // "circle 12/15"
 * }</pre>
 *
 * @param label the class ({@code (all)} for every sample)
 * @param samples how many samples
 * @param passing how many met the condition
 * @param missing how many have no value
 * @param sum the sum of the values present
 */
public record ClassCount(String label, int samples, int passing, int missing, double sum) {

    /** The label of the row over every class. */
    public static final String ALL = "(all)";

    /** @return passing / samples; 0 without samples */
    public double passRate() {
        return samples == 0 ? 0 : (double) passing / samples;
    }

    /** @return the mean over the samples with a value, empty when none has one */
    public OptionalDouble mean() {
        return samples == missing ? OptionalDouble.empty() : OptionalDouble.of(sum / (samples - missing));
    }

    /** @return e.g. {@code circle 12/15} */
    public String describe() {
        return label + " " + passing + "/" + samples;
    }

    ClassCount plus(boolean passed, Double value) {
        return new ClassCount(label, samples + 1, passing + (passed ? 1 : 0), missing + (value == null ? 1 : 0),
                sum + (value == null ? 0 : value));
    }
}
