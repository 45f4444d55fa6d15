package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explanation;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.metric.RegionMetric;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One region metric over the explained samples of a data set, not yet measured: what a
 * {@link DatasetMetricAssert} checks. Each check reads the samples once ({@link #measure}), so a
 * data set explained batch by batch ({@code Explainer.over}) is never held in memory.
 *
 * <pre>{@code
 * DatasetMetric peak = new DatasetMetric(gradCam.over(model, samples), RegionMetric.peakInside(),
 *         LabeledSample::region);
 * peak.measure((value, explained) -> ...);   // one value per sample, in order
 * }</pre>
 *
 * @param samples the explained samples
 * @param metric the metric
 * @param regionOf the region each sample is measured against, e.g. {@code LabeledSample::region}
 */
public record DatasetMetric(ExplainedSamples samples, RegionMetric metric, Function<LabeledSample, Region> regionOf) {

    /** Checks for nulls. */
    public DatasetMetric {
        Objects.requireNonNull(samples, "samples");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(regionOf, "regionOf");
    }

    /** @return the metric's name, e.g. {@code mass-inside} */
    public String name() {
        return metric.name();
    }

    /**
     * Reads the samples once, measuring the metric on each.
     *
     * @param each told every sample's value (or why it has none), with the explained sample, in order
     * @return what explained them
     */
    Provenance measure(BiConsumer<SampleValue, ExplainedSample> each) {
        Provenance provenance = new Provenance();
        for (ExplainedSample s : samples) {
            provenance.see(s);
            each.accept(value(metric, regionOf, s), s);
        }
        return provenance;
    }

    /**
     * @param metric a region metric
     * @param regionOf the region of a sample
     * @param s an explained sample
     * @return the metric of the sample; a metric that cannot be computed keeps the reason instead of a value
     */
    static SampleValue value(RegionMetric metric, Function<LabeledSample, Region> regionOf, ExplainedSample s) {
        LabeledSample sample = s.sample();
        Explanation e = s.explanation();
        try {
            double v = metric.of(e.raw(), regionOf.apply(sample).toMask(e.imageWidth(), e.imageHeight()));
            return new SampleValue(sample.id(), sample.classLabel(), v, null);
        } catch (CamunitException why) {
            return new SampleValue(sample.id(), sample.classLabel(), null, why.getMessage());
        }
    }

    @Override
    public String toString() {
        return metric.name() + " over " + samples.size() + " " + (samples.ofObjects() ? Verdict.OBJECTS : Verdict.SAMPLES);
    }
}
