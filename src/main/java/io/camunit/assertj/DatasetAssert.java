package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.metric.IouAtThreshold;
import io.camunit.metric.MassInside;
import io.camunit.metric.PeakInside;
import io.camunit.metric.RankAccuracy;
import io.camunit.metric.TopPercentInside;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Release gates over a data set of explained samples: navigate to one metric's per-sample values,
 * then require a share of samples to pass, or a statistic of the values.
 *
 * <pre>{@code
 * List<ExplainedSample> explained = gradCam.explainAll(model, LabeledDataset.open(coco).samples());
 * assertThat(explained).peakInside(LabeledSample::region).isAtLeast(1).forAtLeast(0.8);
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.2).forAtLeastWithConfidence(0.7, 0.95);
 * assertThat(explained).massInside(LabeledSample::region).percentile(10).isGreaterThan(0.05);
 * }</pre>
 */
public class DatasetAssert extends AbstractAssert<DatasetAssert, List<ExplainedSample>> {

    private AbstractSoftAssertions soft;

    /** @param actual the explained samples */
    public DatasetAssert(List<ExplainedSample> actual) {
        super(actual, DatasetAssert.class);
        // Samples print as id + explanation summary, never as arrays.
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /** Makes navigation and the gates after it soft; called by {@link CamSoftAssertions}. */
    void collectInto(AbstractSoftAssertions softAssertions) {
        this.soft = softAssertions;
    }

    /**
     * @param regionOf the region of each sample, e.g. {@code LabeledSample::region}
     * @return per-sample mass inside
     */
    public DatasetMetricAssert massInside(Function<LabeledSample, Region> regionOf) {
        return values(MassInside.NAME, regionOf, (e, m) -> MassInside.of(e.explanation().raw(), m));
    }

    /**
     * The pointing game with 15 px of tolerance: 1 for a hit, 0 for a miss.
     *
     * @param regionOf the region of each sample
     * @return per-sample hits
     */
    public DatasetMetricAssert peakInside(Function<LabeledSample, Region> regionOf) {
        return peakInside(regionOf, PeakInside.DEFAULT_TOLERANCE);
    }

    /**
     * @param regionOf the region of each sample
     * @param tolerance pixels of slack
     * @return per-sample hits (1 or 0)
     */
    public DatasetMetricAssert peakInside(Function<LabeledSample, Region> regionOf, double tolerance) {
        return values(PeakInside.NAME, regionOf, (e, m) -> PeakInside.of(e.explanation().raw(), m, tolerance) ? 1 : 0);
    }

    /**
     * @param regionOf the region of each sample
     * @return per-sample rank accuracy
     */
    public DatasetMetricAssert rankAccuracy(Function<LabeledSample, Region> regionOf) {
        return values(RankAccuracy.NAME, regionOf, (e, m) -> RankAccuracy.of(e.explanation().raw(), m));
    }

    /**
     * @param regionOf the region of each sample
     * @param percent the share of top pixels
     * @return per-sample top-k % inside
     */
    public DatasetMetricAssert topPercentInside(Function<LabeledSample, Region> regionOf, double percent) {
        return values("top-" + percent + "%-inside", regionOf,
                (e, m) -> TopPercentInside.of(e.explanation().raw(), m, percent));
    }

    /**
     * @param regionOf the region of each sample
     * @param threshold the share of the maximum the map is cut at
     * @return per-sample IoU
     */
    public DatasetMetricAssert iou(Function<LabeledSample, Region> regionOf, double threshold) {
        return values("iou at " + threshold, regionOf, (e, m) -> IouAtThreshold.mask(e.explanation().raw(), m, threshold));
    }

    private DatasetMetricAssert values(String metric, Function<LabeledSample, Region> regionOf,
            ToDoubleBiFunction<ExplainedSample, Mask> formula) {
        isNotNull();
        if (actual.isEmpty()) {
            AssertionError error = assertionError(ShouldHoldForSamples.emptyDataSet(metric));
            if (soft == null) {
                throw error;
            }
            soft.collectAssertionError(error);
        }
        SampleValues values = SampleValues.measure(metric, actual, s -> formula.applyAsDouble(s,
                regionOf.apply(s.sample()).toMask(s.explanation().imageWidth(), s.explanation().imageHeight())));
        DatasetMetricAssert navigated = soft == null ? new DatasetMetricAssert(values)
                : soft.proxy(DatasetMetricAssert.class, SampleValues.class, values);
        if (soft != null) {
            navigated.collectInto(soft);
        }
        return navigated.as(metric + " over " + actual.size() + " samples");
    }
}
