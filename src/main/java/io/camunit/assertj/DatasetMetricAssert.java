package io.camunit.assertj;

import io.camunit.metric.MetricSummary;
import io.camunit.metric.WilsonBound;

import io.camunit.explain.Explanation;
import io.camunit.report.DatasetEvidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * One metric's values over a data set: a per-sample condition ({@link #isAtLeast} and friends)
 * then how many samples must meet it ({@link SampleGate}), or a statistic as a double assertion.
 * A sample whose value cannot be computed never meets a condition, and makes statistics fail with
 * the list of such samples. Failures are {@link CamAssertionError}s carrying a {@link DatasetEvidence}
 * (every sample's value and verdict, worst first), which the camunit JUnit extension attaches as a
 * contact sheet of the worst samples, a per-class table and a metrics JSON.
 *
 * <pre>{@code
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.5).forAtLeast(0.9);
 * assertThat(explained).massInside(LabeledSample::region).mean().isGreaterThan(0.4);
 * assertThat(explained).massInside(LabeledSample::region).doesNotRegressFrom(Baseline.load(file), 0.05);
 * }</pre>
 */
public class DatasetMetricAssert extends AbstractAssert<DatasetMetricAssert, SampleValues> {

    /** How many failing samples a message lists. */
    static final int WORST = 5;

    private AbstractSoftAssertions soft;

    /** @param actual the per-sample values */
    public DatasetMetricAssert(SampleValues actual) {
        super(actual, DatasetMetricAssert.class);
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /** Makes gates and statistics soft; called by {@link DatasetAssert} when it is soft. */
    void collectInto(AbstractSoftAssertions softAssertions) {
        this.soft = softAssertions;
    }

    /**
     * @return the per-sample values, e.g. to record a {@link Baseline} from them
     */
    public SampleValues sampleValues() {
        return actual;
    }

    /**
     * Paired comparison with a baseline of an accepted model: each sample's value may drop by at most
     * {@code tolerance} from its baseline value. A sample of the baseline without a candidate value
     * (not computable, or no longer in the data set) counts as a regression; samples not in the
     * baseline are listed but not compared. Higher values are taken as better, as for every region
     * metric here. The failure message also gives the mean over the paired samples; to gate on it
     * with a tighter tolerance, use {@link #doesNotRegressFrom(Baseline, double, double)}.
     *
     * @param baseline the baseline, recorded for the same metric, method and layers
     * @param tolerance the largest allowed drop of a sample, at least 0
     * @return this assertion
     * @throws io.camunit.CamunitException when the baseline is for another metric, method or layers
     */
    public DatasetMetricAssert doesNotRegressFrom(Baseline baseline, double tolerance) {
        // A mean cannot drop further than every one of its samples, so the same tolerance adds nothing.
        return doesNotRegressFrom(baseline, tolerance, tolerance);
    }

    /**
     * {@link #doesNotRegressFrom(Baseline, double)} with a second, usually tighter, tolerance for the
     * mean over the paired samples: a drop shared by every sample, each within
     * {@code sampleTolerance} (noise, one would say, sample by sample), is a systematic regression
     * when the mean drops by more than {@code meanTolerance}.
     *
     * <pre>{@code
     * // no sample may lose more than 0.10, and the data set as a whole not more than 0.02
     * assertThat(explained).massInside(LabeledSample::region).doesNotRegressFrom(baseline, 0.10, 0.02);
     * }</pre>
     *
     * @param baseline the baseline, recorded for the same metric, method and layers
     * @param sampleTolerance the largest allowed drop of a sample, at least 0
     * @param meanTolerance the largest allowed drop of the mean over the paired samples, at least 0
     * @return this assertion
     * @throws io.camunit.CamunitException when the baseline is for another metric, method or layers,
     *     or a tolerance is negative or not a number
     */
    public DatasetMetricAssert doesNotRegressFrom(Baseline baseline, double sampleTolerance, double meanTolerance) {
        requireTolerance("sample", sampleTolerance);
        requireTolerance("mean", meanTolerance);
        double tolerance = sampleTolerance;
        isNotNull();
        if (actual.values().isEmpty()) {
            report(ShouldHoldForSamples.emptyDataSet(actual.metric()));
            return myself;
        }
        Explanation first = actual.values().get(0).sample().explanation();
        baseline.requireMatches(actual.metric(), first.method().id(), first.layers());
        Map<String, Double> recorded = baseline.samples();
        List<ShouldNotRegress.Pair> drops = new ArrayList<>();
        List<String> notInBaseline = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double[] means = new double[3];
        for (SampleValues.Entry e : actual.values()) {
            String id = e.sample().sample().id();
            seen.add(id);
            Double before = recorded.get(id);
            if (before == null) {
                notInBaseline.add(id);
                continue;
            }
            ShouldNotRegress.Pair pair = new ShouldNotRegress.Pair(id, before, e.value(), e.reason());
            if (e.value() != null) {
                means[0] += before;
                means[1] += e.value();
                means[2]++;
            }
            if (dropped(pair.delta(), tolerance)) {
                drops.add(pair);
            }
        }
        recorded.forEach((id, before) -> {
            if (!seen.contains(id)) {
                drops.add(new ShouldNotRegress.Pair(id, before, null, "not in the candidate's samples"));
            }
        });
        if (means[2] > 0) {
            means[0] /= means[2];
            means[1] /= means[2];
        }
        boolean meanDropped = means[2] > 0 && dropped(means[1] - means[0], meanTolerance);
        if (!drops.isEmpty() || meanDropped) {
            drops.sort(Comparator.comparingDouble(ShouldNotRegress.Pair::delta));
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("tolerance", tolerance);
            if (meanTolerance != tolerance) {
                figures.put("mean_tolerance", meanTolerance);
            }
            if (means[2] > 0) {
                figures.put("baseline_mean", means[0]);
                figures.put("candidate_mean", means[1]);
            }
            // A sample regressed when it has no value or dropped by more than the tolerance; worst = largest drop.
            java.util.function.ToDoubleFunction<SampleValues.Entry> delta = e -> {
                Double before = recorded.get(e.sample().sample().id());
                return before == null || e.value() == null ? 0 : e.value() - before;
            };
            DatasetEvidence evidence = actual.evidence(actual.metric() + " does not drop by more than " + tolerance
                            + " from baseline " + baseline.model(), drops.size() + " of " + recorded.size()
                            + " baseline samples regressed",
                    figures, e -> !recorded.containsKey(e.sample().sample().id())
                            || (e.value() != null && !dropped(delta.applyAsDouble(e), tolerance)),
                    Comparator.comparing((SampleValues.Entry e) -> e.value() != null).thenComparingDouble(delta),
                    e -> Optional.of(recorded.containsKey(e.sample().sample().id())
                            ? "baseline " + recorded.get(e.sample().sample().id()) : "not in the baseline"));
            report(ShouldNotRegress.create(actual.metric(), first.method().id() + " at "
                    + String.join("+", first.layers()), baseline, tolerance, meanTolerance, recorded.size(), drops,
                    means, notInBaseline, WORST), evidence);
        }
        return myself;
    }

    private static void requireTolerance(String what, double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new io.camunit.CamunitException("A " + what + " tolerance of doesNotRegressFrom must be a finite"
                    + " number >= 0 (the largest allowed drop); got " + tolerance + ".");
        }
    }

    private static boolean dropped(double delta, double tolerance) {
        // A little slack so that a drop of exactly the tolerance passes despite rounding.
        return delta < -tolerance - 1e-12;
    }

    /** Throws, or collects when soft; the error carries the evidence. */
    void report(ErrorMessageFactory failure, DatasetEvidence evidence) {
        raise(new CamAssertionError(assertionError(failure), evidence));
    }

    /** Throws, or collects when soft: for failures without samples to show. */
    void report(ErrorMessageFactory failure) {
        raise(assertionError(failure));
    }

    private void raise(AssertionError error) {
        if (soft == null) {
            throw error;
        }
        soft.collectAssertionError(error);
    }

    /**
     * @param minimum the least value a sample must have
     * @return the condition, to be completed by how many samples must meet it
     */
    public SampleGate isAtLeast(double minimum) {
        return new SampleGate(this, actual, ">= " + minimum, minimum, v -> v >= minimum, true);
    }

    /**
     * @param minimum the value a sample must exceed
     * @return the condition
     */
    public SampleGate isGreaterThan(double minimum) {
        return new SampleGate(this, actual, "> " + minimum, minimum, v -> v > minimum, true);
    }

    /**
     * @param maximum the largest value a sample may have (e.g. mass on a watermark)
     * @return the condition
     */
    public SampleGate isAtMost(double maximum) {
        return new SampleGate(this, actual, "<= " + maximum, maximum, v -> v <= maximum, false);
    }

    /**
     * @return the mean over the samples, as a double assertion (a {@link MetricAssert}, whose
     *     comparisons carry the data set's evidence)
     */
    public AbstractDoubleAssert<?> mean() {
        return statistic("mean", v -> Arrays.stream(v).average().orElseThrow());
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
        return statistic("p" + percent, v -> {
            double[] sorted = v.clone();
            Arrays.sort(sorted);
            return MetricSummary.percentile(sorted, percent);
        });
    }

    /** @return the values, or null (after failing) when a sample has none */
    private double[] values() {
        isNotNull();
        List<SampleValues.Entry> missing = actual.missing();
        if (!missing.isEmpty()) {
            DatasetEvidence evidence = actual.evidence("statistics of " + actual.metric(), missing.size() + " of "
                    + actual.values().size() + " samples have no value", Map.of(), e -> e.value() != null,
                    SampleValues.worstFirst(true), e -> Optional.empty());
            report(ShouldHoldForSamples.statisticsOfMissing(actual.metric(), missing.size(), actual.values().size(),
                    actual.worst(e -> e.value() != null, true, WORST)), evidence);
            return null;
        }
        return actual.computable();
    }

    private AbstractDoubleAssert<?> statistic(String name, java.util.function.Function<double[], Double> of) {
        double[] values = values();
        // Soft and not computable: the reason is collected; later checks see no value and fail too.
        Double value = values == null || values.length == 0 ? null : of.apply(values);
        String description = name + " of " + descriptionText() + " (per class: " + perClassMeans() + ")";
        MetricAssert navigated = soft == null ? new MetricAssert(value) : soft.proxy(MetricAssert.class, Double.class, value);
        navigated.withEvidence((condition, threshold, holds, lowIsBad) -> {
            Map<String, Double> figures = new LinkedHashMap<>();
            threshold.ifPresent(t -> figures.put("threshold", t));
            if (value != null) {
                figures.put(name, value);
            }
            return actual.evidence(name + " " + actual.metric() + " " + condition, value == null
                    ? "no " + name + " (samples without a value)" : name + " was " + value, figures,
                    e -> e.value() != null && holds.test(e.value()), SampleValues.worstFirst(lowIsBad),
                    e -> Optional.empty());
        });
        return navigated.as(description);
    }

    private String perClassMeans() {
        java.util.Map<String, double[]> sums = new java.util.LinkedHashMap<>();
        for (SampleValues.Entry e : actual.values()) {
            double[] s = sums.computeIfAbsent(e.label(), k -> new double[2]);
            s[0] += e.value() == null ? Double.NaN : e.value();
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
        private final double threshold;
        private final DoublePredicate test;
        private final boolean lowIsBad;

        SampleGate(DatasetMetricAssert parent, SampleValues values, String condition, double threshold,
                DoublePredicate test, boolean lowIsBad) {
            this.parent = parent;
            this.values = values;
            this.condition = condition;
            this.threshold = threshold;
            this.test = test;
            this.lowIsBad = lowIsBad;
        }

        private DatasetEvidence evidence(String quantifier, int n, int passed, Map<String, Double> more) {
            Map<String, Double> figures = new LinkedHashMap<>();
            figures.put("threshold", threshold);
            figures.putAll(more);
            figures.put("rate", (double) passed / n);
            return values.evidence(values.metric() + " " + condition + " " + quantifier, String.format(
                    java.util.Locale.ROOT, "held for %d of %d (%.1f %%)", passed, n, 100.0 * passed / n), figures,
                    this::passes, SampleValues.worstFirst(lowIsBad), e -> Optional.empty());
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
                parent.report(ShouldHoldForSamples.forAtLeast(values.metric(), condition, fraction, n, passed,
                        values.perClass(this::passes), values.worst(this::passes, lowIsBad, WORST)),
                        evidence(String.format(java.util.Locale.ROOT, "for at least %.1f %% of samples", 100 * fraction),
                                n, passed, Map.of("required_fraction", fraction)));
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
            double bound = WilsonBound.lowerBound(passed, n, confidence);
            if (bound < fraction) {
                Map<String, Double> more = new LinkedHashMap<>();
                more.put("required_fraction", fraction);
                more.put("confidence", confidence);
                more.put("lower_bound", bound);
                parent.report(ShouldHoldForSamples.withConfidence(values.metric(), condition, fraction, confidence, n,
                        passed, bound, values.perClass(this::passes), values.worst(this::passes, lowIsBad, WORST)),
                        evidence(String.format(java.util.Locale.ROOT, "for at least %.1f %% of samples with %.0f %%"
                                + " confidence", 100 * fraction, 100 * confidence), n, passed, more));
            }
            return parent;
        }
    }
}
