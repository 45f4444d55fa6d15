package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.metric.MassInside;
import io.camunit.metric.PeakInside;
import io.camunit.metric.RegionMetric;
import io.camunit.metric.SampleMetric;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;
import io.camunit.region.Region;
import io.camunit.report.MetricValue;
import io.camunit.report.SampleEvidence;

import java.util.Optional;
import java.util.OptionalDouble;

import com.google.errorprone.annotations.CheckReturnValue;

import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Assertions on where one {@link Explanation} looks. Regions are rasterised at the explained
 * image's own size and compared with the raw map there (see {@code io.camunit.metric}). A map that
 * is degenerate or a region that is empty fails the assertion with a message that says so. Failures
 * are {@link CamAssertionError}s carrying a {@link SampleEvidence} (explanation, region, metric), which
 * the camunit JUnit extension attaches to the test.
 *
 * <pre>{@code
 * assertThat(explanation).massInside(sample.region()).isGreaterThan(0.6);     // navigation
 * assertThat(explanation).hasPeakInside(sample.region())                     // 15 px pointing game
 *                        .hasMassInsideAtLeast(sample.region(), 0.5);
 * assertThat(explanation).isFocusedOn(sample.region());                      // both, with defaults
 * }</pre>
 */
public class ExplanationAssert extends AbstractObjectAssert<ExplanationAssert, Explanation> {

    /** Mass share {@link #isFocusedOn} requires inside the region grown by the pointing game's tolerance. */
    public static final double FOCUS_MASS = 0.5;

    private AbstractSoftAssertions soft;

    /** @param actual the explanation under test */
    public ExplanationAssert(Explanation actual) {
        super(actual, ExplanationAssert.class);
        // Explanations print as a one-line summary, never as their maps.
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /** Makes navigation results soft too; called by {@link CamSoftAssertions}. */
    void collectInto(AbstractSoftAssertions softAssertions) {
        this.soft = softAssertions;
    }

    /**
     * @param region the labelled region
     * @return the share of the map's mass inside the region, as a double assertion
     */
    @CheckReturnValue
    public MetricAssert massInside(Region region) {
        return metric(RegionMetric.massInside(), region);
    }

    /**
     * @param region the labelled region
     * @return the share of the top {@code |R|} pixels inside the region
     */
    @CheckReturnValue
    public MetricAssert rankAccuracy(Region region) {
        return metric(RegionMetric.rankAccuracy(), region);
    }

    /**
     * @param region the labelled region
     * @param percent the share of the map's highest pixels to take, in (0, 100]
     * @return the share of those pixels inside the region ({@code top-10-inside} for 10)
     */
    @CheckReturnValue
    public MetricAssert topPercentInside(Region region, double percent) {
        return metric(RegionMetric.topPercentInside(percent), region);
    }

    /**
     * @param region the labelled region
     * @param threshold the share of the maximum the map is cut at (the CAM paper uses 0.2)
     * @return the IoU of the thresholded map with the region ({@code iou} at 0.2, {@code iou-0.3} at 0.3)
     */
    @CheckReturnValue
    public MetricAssert iou(Region region, double threshold) {
        return metric(RegionMetric.iou(threshold), region);
    }

    /**
     * Any metric of camunit's vocabulary by its name ({@link SampleMetric#parse}), including those
     * that run the model: deletion and insertion AUC, the confidence changes and ROAD.
     *
     * <pre>{@code
     * assertThat(explanation).metric("road", sample, model).isGreaterThan(0.1);
     * assertThat(explanation).metric("road-morf-80", sample, model).isLessThan(-0.2);
     * }</pre>
     *
     * @param name a metric name, e.g. {@code road} or {@code top-10-inside}
     * @param sample the labelled sample the explanation is of (its region; its image for model metrics)
     * @param model the model that was explained (used by the metrics that run it)
     * @return the value, as a double assertion
     * @throws CamunitException for a name camunit does not know
     */
    @CheckReturnValue
    public MetricAssert metric(String name, LabeledSample sample, CamModel model) {
        isNotNull();
        SampleMetric metric = SampleMetric.parse(name);
        return metric(metric.name(), sample.region(), () -> metric.measure(actual, sample, model).value());
    }

    /**
     * @param region the labelled region
     * @param minimum the least share of mass inside, in [0, 1]
     * @return this assertion
     */
    public ExplanationAssert hasMassInsideAtLeast(Region region, double minimum) {
        isNotNull();
        Mask mask = mask(region);
        String condition = ">= " + minimum;
        double value = computed(MassInside.NAME, region, condition, minimum, () -> MassInside.of(actual.raw(), mask));
        if (!(value >= minimum)) {
            throw failure(ShouldHaveMetric.atLeast(MassInside.NAME, region, minimum, value, actual, mask), region,
                    new MetricValue(MassInside.NAME, OptionalDouble.of(value), condition, OptionalDouble.of(minimum),
                            Optional.empty()));
        }
        return myself;
    }

    /**
     * The pointing game with its 15 px tolerance.
     *
     * @param region the labelled region
     * @return this assertion
     */
    public ExplanationAssert hasPeakInside(Region region) {
        return hasPeakInside(region, PeakInside.DEFAULT_TOLERANCE);
    }

    /**
     * @param region the labelled region
     * @param tolerance pixels of slack around the region
     * @return this assertion
     */
    public ExplanationAssert hasPeakInside(Region region, double tolerance) {
        isNotNull();
        Mask mask = mask(region);
        String condition = ">= 1 (peak within " + tolerance + " px)";
        boolean hit = computed(PeakInside.NAME, region, condition, 1,
                () -> PeakInside.of(actual.raw(), mask, tolerance) ? 1 : 0) == 1;
        if (!hit) {
            int[] peak = PeakInside.peak(actual.raw(), actual.imageWidth(), actual.imageHeight());
            throw failure(ShouldHaveMetric.peakInside(region, tolerance, peak, actual, mask), region,
                    new MetricValue(PeakInside.NAME, OptionalDouble.of(0), condition, OptionalDouble.of(1),
                            Optional.of("peak at (" + peak[0] + ", " + peak[1] + ")")));
        }
        return myself;
    }

    /**
     * The map has positive mass and only finite values, so metrics can be computed on it.
     *
     * @return this assertion
     */
    public ExplanationAssert isNotDegenerate() {
        isNotNull();
        if (actual.isDegenerate() || !actual.raw().isFinite()) {
            boolean finite = actual.raw().isFinite();
            MetricValue max = new MetricValue("max", finite ? OptionalDouble.of(actual.raw().max()) : OptionalDouble.empty(),
                    "> 0 and finite", OptionalDouble.of(0), Optional.of(finite ? "all zero after ReLU"
                            : "NaN or infinite values"));
            throw new CamAssertionError(assertionError(ShouldHaveMetric.degenerate(actual)), new SampleEvidence(actual,
                    Optional.empty(), Optional.of(max), Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return myself;
    }

    /**
     * The usual "looks at the object" check: the peak within the pointing game's 15 px of the region,
     * and at least half of the mass ({@link #FOCUS_MASS}) inside the region grown by the same 15 px.
     * The margin is there because layer maps are coarse (a 16 x 16 map spreads over small objects):
     * without it a model that looks squarely at a small object can keep most of its mass outside.
     *
     * @param region the labelled region
     * @return this assertion
     */
    public ExplanationAssert isFocusedOn(Region region) {
        return hasPeakInside(region).hasMassInsideAtLeast(region.withMargin(PeakInside.DEFAULT_TOLERANCE), FOCUS_MASS);
    }

    private MetricAssert metric(RegionMetric metric, Region region) {
        isNotNull();
        Mask mask = mask(region);
        return metric(metric.name(), region, () -> metric.of(actual.raw(), mask));
    }

    private MetricAssert metric(String name, Region region, java.util.function.DoubleSupplier formula) {
        String description = name + " " + region.describe() + " of " + Describe.explanation(actual);
        double value;
        try {
            value = formula.getAsDouble();
        } catch (CamunitException e) {
            AssertionError plain = new AssertionError(ShouldHaveMetric.notComputable(name, region, actual, e.getMessage())
                    .create(info.description(), info.representation()), e);
            AssertionError error = new CamAssertionError(plain, SampleEvidence.failed(actual, region,
                    new MetricValue(name, OptionalDouble.empty(), "a value", OptionalDouble.empty(),
                            Optional.of(e.getMessage()))));
            if (soft == null) {
                throw error;
            }
            // Soft: keep the reason and go on with no value, which every later check rejects
            // (NaN would pass some comparisons).
            soft.collectAssertionError(error);
            return soft.proxy(MetricAssert.class, Double.class, null).as(description);
        }
        MetricAssert navigated = soft == null ? new MetricAssert(value) : soft.proxy(MetricAssert.class, Double.class, value);
        Explanation explained = actual;
        navigated.withEvidence((condition, threshold, holds, lowIsBad) -> SampleEvidence.failed(explained, region,
                new MetricValue(name, OptionalDouble.of(value), condition, threshold, Optional.empty())));
        return navigated.as(description);
    }

    private double computed(String name, Region region, String condition, double threshold,
            java.util.function.DoubleSupplier formula) {
        try {
            return formula.getAsDouble();
        } catch (CamunitException e) {
            throw failure(ShouldHaveMetric.notComputable(name, region, actual, e.getMessage()), region,
                    new MetricValue(name, OptionalDouble.empty(), condition, OptionalDouble.of(threshold),
                            Optional.of(e.getMessage())));
        }
    }

    private CamAssertionError failure(org.assertj.core.error.ErrorMessageFactory message, Region region,
            MetricValue metric) {
        return new CamAssertionError(assertionError(message), SampleEvidence.failed(actual, region, metric));
    }

    private Mask mask(Region region) {
        return region.toMask(actual.imageWidth(), actual.imageHeight());
    }
}
