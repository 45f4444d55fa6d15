package io.camunit.gate;

import io.camunit.CamunitException;
import io.camunit.metric.Decimals;
import io.camunit.metric.WilsonBound;

import com.google.errorprone.annotations.CheckReturnValue;

import java.util.OptionalDouble;

/**
 * How many samples must meet a gate's per-sample condition: at least a share of them, optionally
 * judged with the uncertainty of the sample size (the Wilson lower bound of the pass rate at a
 * one-sided confidence must reach the share). Written {@code for 80%} or
 * {@code for 90% with 95% confidence} in a gate.
 *
 * <pre>{@code
 * SampleShare.forAtLeast(0.8).isMet(48, 60);                        // true (1e-9 slack for rounding)
 * SampleShare.forAtLeast(0.9).withConfidence(0.95).isMet(38, 40);   // false: the bound is 0.860
 * SampleShare.forAll().toString();                                  // "for 100%"
 * }</pre>
 *
 * @param fraction the least share of samples, in (0, 1]
 * @param confidence the one-sided confidence, in (0, 1), or empty to compare the pass rate itself
 */
public record SampleShare(double fraction, OptionalDouble confidence) {

    /** Refuses a share that would let a gate pass without a sample passing, and confidences outside (0, 1). */
    public SampleShare {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new CamunitException("The share of samples a gate requires must be in (0, 1] (e.g. 0.8 for"
                    + " 80 %); got " + fraction + ". A share of 0 would pass without checking any sample.");
        }
        if (confidence.isPresent() && !(confidence.getAsDouble() > 0 && confidence.getAsDouble() < 1)) {
            throw new CamunitException("The confidence of a gate must be in (0, 1) (e.g. 0.95); got "
                    + confidence.getAsDouble() + ".");
        }
    }

    /**
     * @param fraction the least share of samples, in (0, 1]
     * @return at least that share of the samples
     */
    @CheckReturnValue
    public static SampleShare forAtLeast(double fraction) {
        return new SampleShare(fraction, OptionalDouble.empty());
    }

    /** @return every sample */
    @CheckReturnValue
    public static SampleShare forAll() {
        return forAtLeast(1);
    }

    /**
     * @param level the one-sided confidence, in (0, 1), e.g. 0.95
     * @return this share, judged by the Wilson lower bound of the pass rate at that confidence
     */
    @CheckReturnValue
    public SampleShare withConfidence(double level) {
        return new SampleShare(fraction, OptionalDouble.of(level));
    }

    /**
     * @param passing how many samples meet the condition
     * @param total how many samples there are
     * @return whether enough do; never with no samples
     */
    public boolean isMet(int passing, int total) {
        if (total == 0) {
            return false;
        }
        if (confidence.isPresent()) {
            return !(lowerBound(passing, total).getAsDouble() < fraction);
        }
        // 1e-9 of a sample, so that 48 of 60 meets 80 % although 0.8 * 60 is 48.00000000000001.
        return !(passing < fraction * total - 1e-9);
    }

    /**
     * @param passing how many samples meet the condition
     * @param total how many samples there are
     * @return the Wilson lower bound of the pass rate, when this share has a confidence
     */
    public OptionalDouble lowerBound(int passing, int total) {
        return confidence.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(WilsonBound.lowerBound(passing, total, confidence.getAsDouble()));
    }

    /** @return the share as a gate writes it, e.g. {@code for 80%} or {@code for 90% with 95% confidence} */
    @Override
    public String toString() {
        return "for " + Decimals.percent(fraction) + "%"
                + (confidence.isEmpty() ? "" : " with " + Decimals.percent(confidence.getAsDouble()) + "% confidence");
    }
}
