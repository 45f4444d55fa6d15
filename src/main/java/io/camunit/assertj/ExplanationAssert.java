package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.metric.IouAtThreshold;
import io.camunit.metric.MassInside;
import io.camunit.metric.PeakInside;
import io.camunit.metric.RankAccuracy;
import io.camunit.metric.TopPercentInside;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import java.util.function.ToDoubleFunction;

import org.assertj.core.api.AbstractObjectAssert;
import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Assertions on where one {@link Explanation} looks. Regions are rasterised at the explained
 * image's own size and compared with the raw map there (see {@code io.camunit.metric}). A map that
 * is degenerate or a region that is empty fails the assertion with a message that says so.
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
    public MetricAssert massInside(Region region) {
        return metric(MassInside.NAME, region, m -> MassInside.of(actual.raw(), m));
    }

    /**
     * @param region the labelled region
     * @return the share of the top {@code |R|} pixels inside the region
     */
    public MetricAssert rankAccuracy(Region region) {
        return metric(RankAccuracy.NAME, region, m -> RankAccuracy.of(actual.raw(), m));
    }

    /**
     * @param region the labelled region
     * @param percent the share of the map's highest pixels to take, in (0, 100]
     * @return the share of those pixels inside the region
     */
    public MetricAssert topPercentInside(Region region, double percent) {
        return metric("top-" + percent + "%-inside", region, m -> TopPercentInside.of(actual.raw(), m, percent));
    }

    /**
     * @param region the labelled region
     * @param threshold the share of the maximum the map is cut at (the CAM paper uses 0.2)
     * @return the IoU of the thresholded map with the region
     */
    public MetricAssert iou(Region region, double threshold) {
        return metric("iou at " + threshold, region, m -> IouAtThreshold.mask(actual.raw(), m, threshold));
    }

    /**
     * @param region the labelled region
     * @param minimum the least share of mass inside, in [0, 1]
     * @return this assertion
     */
    public ExplanationAssert hasMassInsideAtLeast(Region region, double minimum) {
        isNotNull();
        Mask mask = mask(region);
        double value = computed(MassInside.NAME, region, () -> MassInside.of(actual.raw(), mask));
        if (!(value >= minimum)) {
            throwAssertionError(ShouldHaveMetric.atLeast(MassInside.NAME, region, minimum, value, actual, mask));
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
        boolean hit = computed(PeakInside.NAME, region, () -> PeakInside.of(actual.raw(), mask, tolerance) ? 1 : 0) == 1;
        if (!hit) {
            int[] peak = PeakInside.peak(actual.raw(), actual.imageWidth(), actual.imageHeight());
            throwAssertionError(ShouldHaveMetric.peakInside(region, tolerance, peak, actual, mask));
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
            throwAssertionError(ShouldHaveMetric.degenerate(actual));
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

    private MetricAssert metric(String name, Region region, ToDoubleFunction<Mask> formula) {
        isNotNull();
        Mask mask = mask(region);
        String description = name + " " + region.describe() + " of " + Describe.explanation(actual);
        double value;
        try {
            value = formula.applyAsDouble(mask);
        } catch (CamunitException e) {
            AssertionError error = new AssertionError(ShouldHaveMetric.notComputable(name, region, actual, e.getMessage())
                    .create(info.description(), info.representation()), e);
            if (soft == null) {
                throw error;
            }
            // Soft: keep the reason and go on with no value, which every later check rejects
            // (NaN would pass some comparisons).
            soft.collectAssertionError(error);
            return soft.proxy(MetricAssert.class, Double.class, null).as(description);
        }
        MetricAssert navigated = soft == null ? new MetricAssert(value) : soft.proxy(MetricAssert.class, Double.class, value);
        return navigated.as(description);
    }

    private double computed(String name, Region region, java.util.function.DoubleSupplier formula) {
        try {
            return formula.getAsDouble();
        } catch (CamunitException e) {
            throw assertionError(ShouldHaveMetric.notComputable(name, region, actual, e.getMessage()));
        }
    }

    private Mask mask(Region region) {
        return region.toMask(actual.imageWidth(), actual.imageHeight());
    }
}
