package io.camunit.gate;

import io.camunit.CamunitException;
import io.camunit.metric.Decimals;
import io.camunit.metric.SampleMetric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The paired comparison of a candidate model's values with a {@link Baseline} of an accepted model:
 * each sample's value may drop by at most the sample tolerance, and the mean over the paired samples
 * by at most the mean tolerance. A baseline sample without a candidate value (not computable, or no
 * longer in the data set) counts as a regression; samples not in the baseline are listed but not
 * compared. The comparison follows the metric's direction ({@link SampleMetric#higherIsBetter(String)}):
 * for {@code deletion-auc}, {@code average-drop} and {@code road-morf-P} a rise is the regression. The AssertJ assertion
 * {@code doesNotRegressFrom} and {@code camunit evaluate --baseline} both judge with it.
 *
 * <pre>{@code
 * Regression regression = Regression.of(Baseline.load(file), 0.10, 0.02);
 * Regression.Tally<Void> tally = regression.tally(0);
 * values.forEach(v -> tally.add(v, null));
 * Regression.Result r = tally.result();
 * r.passed();     // false when a sample lost more than 0.10 or the mean more than 0.02
 * r.summary();    // "1 of 60 baseline samples dropped by more than 0.1, ..."
 * }</pre>
 */
public final class Regression {

    /** Slack so that a drop of exactly the tolerance passes despite rounding. */
    private static final double SLACK = 1e-12;

    private final Baseline baseline;
    private final double sampleTolerance;
    private final double meanTolerance;
    /** +1 when higher values are better, -1 when lower ones are: worsening is {@code better * delta < 0}. */
    private final double better;

    private Regression(Baseline baseline, double sampleTolerance, double meanTolerance) {
        this.baseline = Objects.requireNonNull(baseline, "baseline");
        this.better = SampleMetric.higherIsBetter(baseline.metric()) ? 1 : -1;
        this.sampleTolerance = requireTolerance("sample", sampleTolerance);
        this.meanTolerance = requireTolerance("mean", meanTolerance);
    }

    /**
     * @param baseline the accepted model's values
     * @param sampleTolerance the largest allowed worsening of a sample (a drop, or a rise for a metric where lower
     *     is better), finite and at least 0
     * @param meanTolerance the largest allowed worsening of the mean over the paired samples, finite and at least 0
     * @return the comparison
     * @throws CamunitException for a negative or non-finite tolerance
     */
    public static Regression of(Baseline baseline, double sampleTolerance, double meanTolerance) {
        return new Regression(baseline, sampleTolerance, meanTolerance);
    }

    private static double requireTolerance(String what, double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new CamunitException("A " + what + " tolerance of doesNotRegressFrom must be a finite number >= 0"
                    + " (the largest allowed worsening); got " + tolerance + ".");
        }
        return tolerance;
    }

    /** @return the baseline */
    public Baseline baseline() {
        return baseline;
    }

    /** @return the largest allowed drop of a sample */
    public double sampleTolerance() {
        return sampleTolerance;
    }

    /** @return the largest allowed drop of the mean */
    public double meanTolerance() {
        return meanTolerance;
    }

    /** @return whether a higher value of the baseline's metric is better */
    public boolean higherIsBetter() {
        return better > 0;
    }

    /** @return how a sample gets worse: {@code drop}, or {@code rise} where lower values are better */
    public String worsening() {
        return better > 0 ? "drop" : "rise";
    }

    /** @return {@link #worsening()} in the past tense: {@code dropped} or {@code rose} */
    public String worsened() {
        return better > 0 ? "dropped" : "rose";
    }

    /** @return e.g. {@code mass-inside does not drop by more than 0.05 from baseline shapes-clean@1} */
    @Override
    public String toString() {
        return baseline.metric() + " does not " + worsening() + " by more than " + limits() + " from baseline "
                + baseline.model();
    }

    /** @return e.g. {@code 0.05}, or {@code 0.1 per sample or 0.02 in the mean} */
    public String limits() {
        return meanTolerance == sampleTolerance ? Decimals.plain(sampleTolerance)
                : Decimals.plain(sampleTolerance) + " per sample or " + Decimals.plain(meanTolerance) + " in the mean";
    }

    /**
     * @param keep how many of the worst samples (largest drops first) to keep with their payload
     * @param <T> what is kept with them
     * @return an empty tally
     */
    public <T> Tally<T> tally(int keep) {
        return new Tally<>(keep);
    }

    private static boolean dropped(double delta, double tolerance) {
        return delta < -tolerance - SLACK;
    }

    /**
     * One baseline sample's comparison.
     *
     * <pre>{@code
     * new Regression.Drop("b.png", 0.5, 0.4, null).describe();   // "b.png: baseline 0.5000, candidate 0.4000, delta -0.1000"
     * }</pre>
     *
     * @param id the sample's id
     * @param baseline its baseline value
     * @param candidate its candidate value, or null when it has none
     * @param reason why there is no candidate value, or null
     */
    public record Drop(String id, double baseline, Double candidate, String reason) {

        /** @return candidate - baseline; minus infinity without a candidate value */
        public double delta() {
            return candidate == null ? Double.NEGATIVE_INFINITY : candidate - baseline;
        }

        /** @return e.g. {@code b.png: baseline 0.5000, candidate 0.4000, delta -0.1000} */
        public String describe() {
            return candidate == null
                    ? String.format(Locale.ROOT, "%s: baseline %.4f, no candidate value (%s)", id, baseline, reason)
                    : String.format(Locale.ROOT, "%s: baseline %.4f, candidate %.4f, delta %+.4f", id, baseline,
                            candidate, delta());
        }
    }

    /**
     * The outcome of a comparison.
     *
     * <pre>{@code
     * Regression.Result r = tally.result();
     * r.passed();     // false when a sample or the mean dropped too far
     * r.drops();      // the baseline samples that did, largest drop first
     * }</pre>
     *
     * @param regression what was compared
     * @param passed whether no sample and not the mean dropped by more than allowed; never for an
     *     empty baseline, which compares nothing
     * @param compared how many samples the baseline has
     * @param drops the baseline samples that dropped too far or have no candidate value, largest drop first
     * @param paired how many samples have both a baseline and a candidate value
     * @param baselineMean the baseline's mean over the paired samples (0 when none)
     * @param candidateMean the candidate's mean over them (0 when none)
     * @param meanDropped whether the mean dropped by more than the mean tolerance
     * @param notInBaseline ids of candidate samples the baseline does not have, in data-set order
     * @param perClass per class, {@code passing} counting the samples that did not regress
     */
    public record Result(Regression regression, boolean passed, int compared, List<Drop> drops, int paired,
            double baselineMean, double candidateMean, boolean meanDropped, List<String> notInBaseline,
            List<ClassCount> perClass) {

        /** Copies the lists. */
        public Result {
            drops = List.copyOf(drops);
            notInBaseline = List.copyOf(notInBaseline);
            perClass = List.copyOf(perClass);
        }

        /** @return e.g. {@code 2 of 3 baseline samples dropped ..., mean 0.633 -> 0.533} in one line */
        public String summary() {
            StringBuilder s = new StringBuilder();
            s.append(drops.size()).append(" of ").append(compared).append(" baseline samples ")
                    .append(regression.worsened()).append(" by more than ")
                    .append(Decimals.plain(regression.sampleTolerance)).append(" or have no value");
            if (paired > 0) {
                s.append(String.format(Locale.ROOT, ", mean over %d paired samples %.4f -> %.4f (%+.4f)", paired,
                        baselineMean, candidateMean, candidateMean - baselineMean));
            }
            if (!drops.isEmpty()) {
                s.append(", worst: ").append(String.join(", ", drops.stream().limit(Verdict.SUMMARY_WORST)
                        .map(Drop::describe).toList()));
            }
            return s.toString();
        }
    }

    /**
     * Candidate values streamed through the comparison; memory grows by one id per sample.
     *
     * <pre>{@code
     * Regression.Tally<ExplainedSample> tally = regression.tally(24);
     * tally.add(new SampleValue("a.png", "circle", 0.7, null), explained);
     * tally.result().passed();
     * }</pre>
     *
     * @param <T> what is kept with the worst samples
     */
    public final class Tally<T> {

        private final Map<String, Double> recorded = baseline.samples();
        private final SampleTally<T> samples;
        private final Set<String> seen = new HashSet<>();
        private final List<Drop> drops = new ArrayList<>();
        private final List<String> notInBaseline = new ArrayList<>();
        private double baselineSum;
        private double candidateSum;
        private int paired;

        private Tally(int keep) {
            Comparator<SampleValue> worstFirst = Comparator.comparingDouble(this::gain);
            samples = new SampleTally<>(v -> !recorded.containsKey(v.id()) || (v.hasValue()
                    && !dropped(gain(v), sampleTolerance)), worstFirst, keep, true);
        }

        /** The change in the better direction: negative when the sample got worse. */
        private double gain(SampleValue v) {
            Double before = recorded.get(v.id());
            return before == null || !v.hasValue() ? 0 : better * (v.value() - before);
        }

        /**
         * @param value the next candidate sample's value
         * @param payload kept with it while it is among the worst
         */
        public void add(SampleValue value, T payload) {
            samples.add(value, payload);
            seen.add(value.id());
            Double before = recorded.get(value.id());
            if (before == null) {
                notInBaseline.add(value.id());
                return;
            }
            Drop d = new Drop(value.id(), before, value.value(), value.reason());
            if (value.hasValue()) {
                baselineSum += before;
                candidateSum += value.value();
                paired++;
            }
            if (dropped(better * d.delta(), sampleTolerance)) {
                drops.add(d);
            }
        }

        /** @return the samples' tally: per-class counts, every value, the worst samples with their payload */
        public SampleTally<T> samples() {
            return samples;
        }

        /** @return the outcome so far */
        public Result result() {
            List<Drop> all = new ArrayList<>(drops);
            recorded.forEach((id, before) -> {
                if (!seen.contains(id)) {
                    all.add(new Drop(id, before, null, "not in the candidate's samples"));
                }
            });
            all.sort(Comparator.comparingDouble(d -> d.candidate() == null ? Double.NEGATIVE_INFINITY
                    : better * d.delta()));
            double baselineMean = paired == 0 ? 0 : baselineSum / paired;
            double candidateMean = paired == 0 ? 0 : candidateSum / paired;
            boolean meanDropped = paired > 0 && dropped(better * (candidateMean - baselineMean), meanTolerance);
            // An empty baseline compares nothing, so it cannot vouch for the candidate.
            boolean passed = !recorded.isEmpty() && all.isEmpty() && !meanDropped;
            return new Result(Regression.this, passed, recorded.size(), all, paired,
                    baselineMean, candidateMean, meanDropped, notInBaseline, samples.perClass());
        }
    }
}
