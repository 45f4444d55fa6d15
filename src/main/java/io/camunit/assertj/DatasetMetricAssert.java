package io.camunit.assertj;

import io.camunit.metric.MetricSummary;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoublePredicate;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * One metric's values over a data set: a per-sample condition ({@link #isAtLeast} and friends)
 * then how many samples must meet it ({@link SampleGate}), or a statistic as a double assertion.
 * A sample whose value cannot be computed never meets a condition, and makes statistics fail with
 * the list of such samples.
 *
 * <pre>{@code
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.5).forAtLeast(0.9);
 * assertThat(explained).massInside(LabeledSample::region).mean().isGreaterThan(0.4);
 * }</pre>
 */
public class DatasetMetricAssert extends AbstractAssert<DatasetMetricAssert, SampleValues> {

    /** How many failing samples a message lists. */
    static final int WORST = 5;

    /** @param actual the per-sample values */
    public DatasetMetricAssert(SampleValues actual) {
        super(actual, DatasetMetricAssert.class);
    }

    /**
     * @param minimum the least value a sample must have
     * @return the condition, to be completed by how many samples must meet it
     */
    public SampleGate isAtLeast(double minimum) {
        return new SampleGate(this, actual, ">= " + minimum, v -> v >= minimum, true);
    }

    /**
     * @param minimum the value a sample must exceed
     * @return the condition
     */
    public SampleGate isGreaterThan(double minimum) {
        return new SampleGate(this, actual, "> " + minimum, v -> v > minimum, true);
    }

    /**
     * @param maximum the largest value a sample may have (e.g. mass on a watermark)
     * @return the condition
     */
    public SampleGate isAtMost(double maximum) {
        return new SampleGate(this, actual, "<= " + maximum, v -> v <= maximum, false);
    }

    /** @return the mean over the samples, as a double assertion */
    public AbstractDoubleAssert<?> mean() {
        return statistic("mean", Arrays.stream(values()).average().orElseThrow());
    }

    /** @return the median over the samples */
    public AbstractDoubleAssert<?> median() {
        return percentile(50);
    }

    /**
     * @param percent which percentile, in [0, 100], with NumPy's default linear interpolation
     * @return that percentile over the samples
     */
    public AbstractDoubleAssert<?> percentile(double percent) {
        double[] sorted = values();
        Arrays.sort(sorted);
        return statistic("p" + percent, MetricSummary.percentile(sorted, percent));
    }

    /** @return the values, failing when a sample has none */
    private double[] values() {
        isNotNull();
        List<SampleValues.Entry> missing = actual.missing();
        if (!missing.isEmpty()) {
            failWithMessage("%nCannot compute statistics of %s: %d of %d samples have no value:%n%s%n"
                    + "Gate them with a per-sample condition (isAtLeast(...).forAtLeast(...)), which counts them"
                    + " as failures.", actual.metric(), missing.size(), actual.values().size(),
                    actual.worst(e -> e.value() != null, true, WORST));
        }
        return actual.computable();
    }

    private AbstractDoubleAssert<?> statistic(String name, double value) {
        return Assertions.assertThat(value).as(name + " of " + descriptionText() + " (per class: "
                + perClassMeans() + ")");
    }

    private String perClassMeans() {
        java.util.Map<String, double[]> sums = new java.util.LinkedHashMap<>();
        for (SampleValues.Entry e : actual.values()) {
            double[] s = sums.computeIfAbsent(e.label(), k -> new double[2]);
            s[0] += e.value();
            s[1]++;
        }
        StringBuilder out = new StringBuilder();
        sums.forEach((label, s) -> out.append(out.length() == 0 ? "" : ", ")
                .append(String.format("%s %.3g", label, s[0] / s[1])));
        return out.toString();
    }

    /**
     * A per-sample condition waiting for its quantifier.
     */
    public static final class SampleGate {

        private final DatasetMetricAssert parent;
        private final SampleValues values;
        private final String condition;
        private final DoublePredicate test;
        private final boolean lowIsBad;

        SampleGate(DatasetMetricAssert parent, SampleValues values, String condition, DoublePredicate test,
                boolean lowIsBad) {
            this.parent = parent;
            this.values = values;
            this.condition = condition;
            this.test = test;
            this.lowIsBad = lowIsBad;
        }

        private boolean passes(SampleValues.Entry e) {
            return e.value() != null && test.test(e.value());
        }

        private int passed() {
            return (int) values.values().stream().filter(this::passes).count();
        }

        /**
         * @param fraction the least share of samples that must meet the condition, in [0, 1]
         * @return the metric assertion, for more gates
         */
        public DatasetMetricAssert forAtLeast(double fraction) {
            int n = values.values().size();
            int passed = passed();
            if (passed < fraction * n - 1e-9) {
                parent.failWithMessage("%nExpecting %s %s for at least %.1f %% of %d samples but it held for %d (%.1f %%)"
                        + "%n  per class: %s%n  worst samples:%n%s", values.metric(), condition, 100 * fraction, n,
                        passed, 100.0 * passed / n, values.perClass(this::passes),
                        values.worst(this::passes, lowIsBad, WORST));
            }
            return parent;
        }

        /** @return the metric assertion, after requiring every sample to meet the condition */
        public DatasetMetricAssert forAll() {
            return forAtLeast(1);
        }

        /**
         * Judges the pass rate with the uncertainty of the sample size: the Wilson score lower bound
         * of the pass rate at {@code confidence} must reach {@code fraction}. 38 of 40 passing is not
         * enough for 0.9 at 95 % confidence (bound 0.860); 3,800 of 4,000 is (bound 0.944).
         *
         * @param fraction the least share of samples, in [0, 1]
         * @param confidence the one-sided confidence, e.g. 0.95
         * @return the metric assertion, for more gates
         */
        public DatasetMetricAssert forAtLeastWithConfidence(double fraction, double confidence) {
            int n = values.values().size();
            int passed = passed();
            double bound = Wilson.lowerBound(passed, n, confidence);
            if (bound < fraction) {
                parent.failWithMessage("%nExpecting %s %s for at least %.1f %% of samples with %.0f %% confidence but"
                        + " it held for %d of %d (%.1f %%), whose Wilson lower bound is %.1f %%%n  per class: %s%n"
                        + "  worst samples:%n%s", values.metric(), condition, 100 * fraction, 100 * confidence, passed,
                        n, 100.0 * passed / n, 100 * bound, values.perClass(this::passes),
                        values.worst(this::passes, lowIsBad, WORST));
            }
            return parent;
        }
    }
}
