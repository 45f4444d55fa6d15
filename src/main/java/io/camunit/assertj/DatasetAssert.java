package io.camunit.assertj;

import io.camunit.explain.ExplainedSamples;
import io.camunit.gate.Gate;
import io.camunit.metric.RegionMetric;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import com.google.errorprone.annotations.CheckReturnValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractSoftAssertions;
import org.opentest4j.MultipleFailuresError;

/**
 * Release gates over the explained samples of a data set: navigate to one metric's per-sample
 * values and check them in one call ({@link DatasetMetricAssert}), or judge gates written as the
 * command line writes them ({@link #meets(String...)}). The samples may be explained batch by batch
 * as they are read ({@code Explainer.over}), so that a gate over any number of samples keeps only
 * its values and its worst samples' maps.
 *
 * <pre>{@code
 * ExplainedSamples explained = gradCam.over(model, LabeledDataset.open(coco).samples());
 * assertThat(explained).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.2, forAtLeast(0.7).withConfidence(0.95));
 * assertThat(explained).massInside(LabeledSample::region).percentile(10).isGreaterThan(0.05);
 * assertThat(explained).meets("peak-inside >= 1 for 80%", "mean mass-inside >= 0.3");   // one pass
 * }</pre>
 */
public class DatasetAssert extends AbstractAssert<DatasetAssert, ExplainedSamples> {

    private AbstractSoftAssertions soft;

    /** @param actual the explained samples */
    public DatasetAssert(ExplainedSamples actual) {
        super(actual, DatasetAssert.class);
        // Samples print as a count and how they are explained, never as arrays.
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /** Makes navigation and the checks after it soft; called by {@link CamSoftAssertions}. */
    void collectInto(AbstractSoftAssertions softAssertions) {
        this.soft = softAssertions;
    }

    /**
     * @param regionOf the region of each sample, e.g. {@code LabeledSample::region}
     * @return per-sample mass inside ({@code mass-inside})
     */
    @CheckReturnValue
    public DatasetMetricAssert massInside(Function<LabeledSample, Region> regionOf) {
        return metric(RegionMetric.massInside(), regionOf);
    }

    /**
     * The pointing game with 15 px of tolerance: 1 for a hit, 0 for a miss ({@code peak-inside}).
     *
     * @param regionOf the region of each sample
     * @return per-sample hits
     */
    @CheckReturnValue
    public DatasetMetricAssert peakInside(Function<LabeledSample, Region> regionOf) {
        return metric(RegionMetric.peakInside(), regionOf);
    }

    /**
     * @param regionOf the region of each sample
     * @param tolerance pixels of slack, at least 0 ({@code peak-inside-5px} for 5)
     * @return per-sample hits (1 or 0)
     */
    @CheckReturnValue
    public DatasetMetricAssert peakInside(Function<LabeledSample, Region> regionOf, double tolerance) {
        return metric(RegionMetric.peakInside(tolerance), regionOf);
    }

    /**
     * @param regionOf the region of each sample
     * @return per-sample rank accuracy ({@code rank-accuracy})
     */
    @CheckReturnValue
    public DatasetMetricAssert rankAccuracy(Function<LabeledSample, Region> regionOf) {
        return metric(RegionMetric.rankAccuracy(), regionOf);
    }

    /**
     * @param regionOf the region of each sample
     * @param percent the share of top pixels, in (0, 100] ({@code top-10-inside} for 10)
     * @return per-sample top-k % inside
     */
    @CheckReturnValue
    public DatasetMetricAssert topPercentInside(Function<LabeledSample, Region> regionOf, double percent) {
        return metric(RegionMetric.topPercentInside(percent), regionOf);
    }

    /**
     * @param regionOf the region of each sample
     * @param threshold the share of the maximum the map is cut at ({@code iou} at 0.2, {@code iou-0.3} at 0.3)
     * @return per-sample IoU
     */
    @CheckReturnValue
    public DatasetMetricAssert iou(Function<LabeledSample, Region> regionOf, double threshold) {
        return metric(RegionMetric.iou(threshold), regionOf);
    }

    /**
     * A region metric by its name, as the command line names it, against each sample's labelled region.
     *
     * @param name e.g. {@code top-10-inside}
     * @return per-sample values
     * @throws io.camunit.CamunitException for a name that is not a region metric's
     */
    @CheckReturnValue
    public DatasetMetricAssert metric(String name) {
        return metric(RegionMetric.parse(name).orElseThrow(() -> new io.camunit.CamunitException("'" + name
                + "' is not a region metric; data-set assertions measure mass-inside, peak-inside (peak-inside-Npx),"
                + " rank-accuracy, top-N-inside and iou (iou-T). Gate other metrics with camunit evaluate.")),
                LabeledSample::region);
    }

    /**
     * Judges gates written as {@code camunit evaluate --gate} writes them, in one pass over the
     * samples, against each sample's labelled region ({@link LabeledSample#region()}). Every gate
     * that fails is reported (several at once as a {@link MultipleFailuresError}).
     *
     * @param gates e.g. {@code "peak-inside >= 1 for 80%"}, {@code "p10 mass-inside >= 0.05"}
     * @return this assertion
     * @throws io.camunit.CamunitException for a gate that does not parse or is not on a region metric
     */
    public DatasetAssert meets(String... gates) {
        return meets(Arrays.stream(gates).map(Gate::parse).toArray(Gate[]::new));
    }

    /**
     * @param gates gates on region metrics, judged in one pass against each sample's labelled region
     * @return this assertion
     */
    public DatasetAssert meets(Gate... gates) {
        isNotNull();
        if (gates.length == 0) {
            throw new io.camunit.CamunitException("meets(...) needs at least one gate, e.g. \"peak-inside >= 1 for"
                    + " 80%\"; with none it would check nothing.");
        }
        if (actual.isEmpty()) {
            raise(assertionError(ShouldHoldForSamples.emptyDataSet(gates[0].metric())));
            return myself;
        }
        GateCheck check = GateCheck.run(actual, LabeledSample::region, List.of(gates));
        List<AssertionError> failures = new ArrayList<>();
        for (int i = 0; i < check.size(); i++) {
            Optional<DatasetMetricAssert.Failure> f = check.failure(i, DatasetMetricAssert.WORST);
            f.ifPresent(failure -> failures.add(new CamAssertionError(assertionError(failure.message()),
                    failure.evidence())));
        }
        if (soft != null) {
            failures.forEach(soft::collectAssertionError);
        } else if (failures.size() == 1) {
            throw failures.get(0);
        } else if (!failures.isEmpty()) {
            throw new MultipleFailuresError(descriptionText(), failures);
        }
        return myself;
    }

    private DatasetMetricAssert metric(RegionMetric metric, Function<LabeledSample, Region> regionOf) {
        isNotNull();
        if (actual.isEmpty()) {
            raise(assertionError(ShouldHoldForSamples.emptyDataSet(metric.name())));
        }
        DatasetMetric values = new DatasetMetric(actual, metric, regionOf);
        DatasetMetricAssert navigated = soft == null ? new DatasetMetricAssert(values)
                : soft.proxy(DatasetMetricAssert.class, DatasetMetric.class, values);
        if (soft != null) {
            navigated.collectInto(soft);
        }
        return navigated.as(values.toString());
    }

    private void raise(AssertionError error) {
        if (soft == null) {
            throw error;
        }
        soft.collectAssertionError(error);
    }
}
