package io.camunit.assertj;

import io.camunit.gate.Baseline;
import io.camunit.gate.Gate;
import io.camunit.gate.Operator;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleShare;
import io.camunit.gate.SampleValue;
import io.camunit.gate.SampleValues;
import io.camunit.gate.Statistic;
import io.camunit.gate.Verdict;

import com.google.errorprone.annotations.CheckReturnValue;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * One metric's values over a data set, checked as a release gate. Every check is complete in one
 * call: a per-sample condition with the share of samples that must meet it
 * ({@code isAtLeast(0.5, forAtLeast(0.9))}; without a share, every sample must), a statistic as a
 * double assertion ({@code mean().isGreaterThan(0.4)}), or a paired comparison with a
 * {@link Baseline}. There is no half-built gate to forget to finish: a chain that reads as an
 * assertion checks.
 *
 * <p>Each check reads the explained samples once and keeps the values, the counts per class and the
 * {@value #KEPT} worst samples' explanations, never every map: over samples explained batch by
 * batch ({@code Explainer.over}) a check runs in constant memory, explaining the data set again for
 * each check. The gates are {@link Gate}s, judged as {@code camunit evaluate --gate} judges them. A
 * sample whose value cannot be computed never meets a condition and makes statistics fail, listing
 * such samples. Failures are {@link CamAssertionError}s carrying a
 * {@link io.camunit.report.DatasetEvidence} (every sample's value and verdict, the worst samples'
 * maps), which the camunit JUnit extension attaches as a contact sheet, a per-class table and a
 * metrics JSON.
 *
 * <pre>{@code
 * assertThat(explained).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.2, forAtLeast(0.7).withConfidence(0.95));
 * assertThat(explained).massInside(LabeledSample::region).isGreaterThan(0);          // every sample
 * assertThat(explained).massInside(LabeledSample::region).mean().isGreaterThan(0.4);
 * assertThat(explained).massInside(LabeledSample::region).doesNotRegressFrom(Baseline.load(file), 0.05);
 * }</pre>
 */
public class DatasetMetricAssert extends AbstractAssert<DatasetMetricAssert, DatasetMetric> {

    /** How many failing samples a message lists. */
    static final int WORST = 5;

    /**
     * How many of the worst samples a check keeps with their explanation, for the evidence's contact
     * sheet (which shows {@code camunit.evidence.worst} of them, at most this many).
     */
    public static final int KEPT = 24;

    private AbstractSoftAssertions soft;

    /** @param actual the metric over the samples */
    public DatasetMetricAssert(DatasetMetric actual) {
        super(actual, DatasetMetricAssert.class);
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /** Makes checks and statistics soft; called by {@link DatasetAssert} when it is soft. */
    void collectInto(AbstractSoftAssertions softAssertions) {
        this.soft = softAssertions;
    }

    /**
     * Reads the samples and returns their values, e.g. to record a {@link Baseline} from them.
     *
     * @return every sample's value, with the method and layers that explained them
     * @throws io.camunit.CamunitException when the samples were explained by several methods or layers
     */
    @CheckReturnValue
    public SampleValues sampleValues() {
        List<SampleValue> values = new ArrayList<>();
        Provenance p = actual.measure((v, s) -> values.add(v));
        if (p.methods().size() > 1 || p.layerLists().size() > 1) {
            throw new io.camunit.CamunitException("Cannot take one metric's values from explanations of different"
                    + " methods or layers: " + p.methods() + " at " + p.layerLists() + ". Explain the samples with one"
                    + " explainer.");
        }
        return new SampleValues(actual.name(), p.methods().isEmpty() ? "" : p.methods().get(0), p.layers(), values);
    }

    // --- per-sample conditions ------------------------------------------------------------------

    /**
     * Every sample's value is at least {@code minimum}.
     *
     * @param minimum the least value a sample must have
     * @return this assertion
     */
    public DatasetMetricAssert isAtLeast(double minimum) {
        return isAtLeast(minimum, SampleShare.forAll());
    }

    /**
     * Enough samples have a value of at least {@code minimum}: the gate
     * {@code METRIC >= minimum for PERCENT%}.
     *
     * @param minimum the least value a sample must have
     * @param share how many samples must, e.g. {@code forAtLeast(0.8)}
     * @return this assertion
     */
    public DatasetMetricAssert isAtLeast(double minimum, SampleShare share) {
        return meets(Gate.onSamples(actual.name(), Operator.AT_LEAST, minimum, share));
    }

    /**
     * @param minimum the value every sample must exceed
     * @return this assertion
     */
    public DatasetMetricAssert isGreaterThan(double minimum) {
        return isGreaterThan(minimum, SampleShare.forAll());
    }

    /**
     * @param minimum the value a sample must exceed
     * @param share how many samples must
     * @return this assertion
     */
    public DatasetMetricAssert isGreaterThan(double minimum, SampleShare share) {
        return meets(Gate.onSamples(actual.name(), Operator.GREATER_THAN, minimum, share));
    }

    /**
     * @param maximum the largest value any sample may have (e.g. mass on a watermark)
     * @return this assertion
     */
    public DatasetMetricAssert isAtMost(double maximum) {
        return isAtMost(maximum, SampleShare.forAll());
    }

    /**
     * @param maximum the largest value a sample may have
     * @param share how many samples must stay at or below it
     * @return this assertion
     */
    public DatasetMetricAssert isAtMost(double maximum, SampleShare share) {
        return meets(Gate.onSamples(actual.name(), Operator.AT_MOST, maximum, share));
    }

    /**
     * @param maximum the value every sample must stay below
     * @return this assertion
     */
    public DatasetMetricAssert isLessThan(double maximum) {
        return isLessThan(maximum, SampleShare.forAll());
    }

    /**
     * @param maximum the value a sample must stay below
     * @param share how many samples must
     * @return this assertion
     */
    public DatasetMetricAssert isLessThan(double maximum, SampleShare share) {
        return meets(Gate.onSamples(actual.name(), Operator.LESS_THAN, maximum, share));
    }

    /**
     * Judges a gate on this metric, e.g. one read with {@link Gate#parse}, as {@code camunit evaluate
     * --gate} judges it.
     *
     * @param gate a gate on this metric
     * @return this assertion
     * @throws io.camunit.CamunitException for a gate on another metric
     */
    public DatasetMetricAssert meets(Gate gate) {
        isNotNull();
        if (actual.samples().isEmpty()) {
            report(ShouldHoldForSamples.emptyDataSet(actual.name()));
            return myself;
        }
        GateCheck check = GateCheck.run(actual, List.of(gate));
        check.failure(0, WORST).ifPresent(this::report);
        return myself;
    }

    /**
     * Judges a gate on this metric as {@link #meets} does, without asserting it: to record the verdict
     * (in a report, a release note) before or instead of failing the test. Explains the samples again
     * when they are explained lazily ({@code Explainer.over}).
     *
     * <pre>{@code
     * Verdict v = assertThat(explained).peakInside(LabeledSample::region).verdict(gate);
     * v.summary();   // "121/144 objects (84.0 %)"
     * }</pre>
     *
     * @param gate a gate on this metric
     * @return the verdict, counting objects when every sample was explained for one object's box
     * @throws io.camunit.CamunitException for a gate on another metric
     */
    @CheckReturnValue
    public Verdict verdict(Gate gate) {
        isNotNull();
        return GateCheck.run(actual, List.of(gate)).verdict(0);
    }

    // --- statistics -------------------------------------------------------------------------------

    /**
     * @return the mean over the samples, as a double assertion (a {@link MetricAssert}, whose
     *     comparisons carry the data set's evidence); fails here when a sample has no value
     */
    @CheckReturnValue
    public MetricAssert mean() {
        return statistic(Statistic.mean());
    }

    /** @return the median over the samples, as a double assertion */
    @CheckReturnValue
    public MetricAssert median() {
        return statistic(Statistic.median());
    }

    /**
     * @param percent which percentile, in [0, 100], with NumPy's default linear interpolation
     * @return that percentile over the samples, as a double assertion
     */
    @CheckReturnValue
    public MetricAssert percentile(double percent) {
        return statistic(Statistic.percentile(percent));
    }

    private MetricAssert statistic(Statistic statistic) {
        isNotNull();
        if (actual.samples().isEmpty()) {
            report(ShouldHoldForSamples.emptyDataSet(actual.name()));
            return navigate(null).as(statistic + " of " + actual);
        }
        StatisticCheck check = StatisticCheck.run(actual);
        Double value = check.missing() > 0 ? null : statistic.of(check.values());
        if (value == null) {
            // Soft: the reason is collected; later comparisons see no value and fail too.
            report(check.missingFailure(), check.missingEvidence(statistic));
        }
        MetricAssert navigated = navigate(value);
        navigated.withEvidence((condition, threshold, holds, lowIsBad) -> check.evidence(statistic, value, condition,
                threshold, holds, lowIsBad));
        return navigated.as(statistic + " of " + actual + " (per class: " + check.perClassMeans() + ")");
    }

    private MetricAssert navigate(Double value) {
        return soft == null ? new MetricAssert(value) : soft.proxy(MetricAssert.class, Double.class, value);
    }

    // --- baselines --------------------------------------------------------------------------------

    /**
     * Paired comparison with a baseline of an accepted model ({@link Regression}): each sample's
     * value may drop by at most {@code tolerance} from its baseline value. A sample of the baseline
     * without a candidate value (not computable, or no longer in the data set) counts as a
     * regression; samples not in the baseline are listed but not compared. Higher values are taken
     * as better, as for every region metric. The failure message also gives the mean over the paired
     * samples; to gate on it with a tighter tolerance, use
     * {@link #doesNotRegressFrom(Baseline, double, double)}.
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
        Regression regression = Regression.of(baseline, sampleTolerance, meanTolerance);
        isNotNull();
        if (actual.samples().isEmpty()) {
            report(ShouldHoldForSamples.emptyDataSet(actual.name()));
            return myself;
        }
        RegressionCheck.run(actual, regression).failure(WORST).ifPresent(this::report);
        return myself;
    }

    // --- reporting --------------------------------------------------------------------------------

    /** A failure and its evidence. */
    record Failure(ErrorMessageFactory message, io.camunit.report.DatasetEvidence evidence) {}

    private void report(Failure failure) {
        report(failure.message(), failure.evidence());
    }

    /** Throws, or collects when soft; the error carries the evidence. */
    void report(ErrorMessageFactory failure, io.camunit.report.DatasetEvidence evidence) {
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
}
