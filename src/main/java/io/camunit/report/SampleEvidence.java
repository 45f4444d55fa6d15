package io.camunit.report;

import io.camunit.explain.Explanation;
import io.camunit.explain.ExplanationEvent;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Evidence of one explained sample: the explanation, the region it was checked against, the metric
 * that failed, and, when the explainer's listener saw it, the model and the sample or image.
 *
 * <pre>{@code
 * SampleEvidence e = SampleEvidence.failed(explanation, sample.region(), new MetricValue("mass-inside",
 *         OptionalDouble.of(0.013), ">= 0.5", OptionalDouble.of(0.5), Optional.empty()));
 * }</pre>
 *
 * @param explanation the explanation
 * @param region the region it was checked against (or the sample's region), if any
 * @param metric the metric that failed, if any (none for a recorded explanation)
 * @param model the model's name, when known
 * @param sample the labelled sample, when known: its image is read for the picture
 * @param image the image, when it was explained directly
 */
public record SampleEvidence(Explanation explanation, Optional<Region> region, Optional<MetricValue> metric,
        Optional<String> model, Optional<LabeledSample> sample, Optional<InputImage> image) implements Evidence {

    /** Checks for nulls. */
    public SampleEvidence {
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(image, "image");
    }

    /**
     * @param explanation the explanation a check failed on
     * @param region the region of the check
     * @param metric the metric and its condition
     * @return evidence without model or image yet ({@link #withContext} adds them)
     */
    public static SampleEvidence failed(Explanation explanation, Region region, MetricValue metric) {
        return new SampleEvidence(explanation, Optional.of(region), Optional.of(metric), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * @param event an explanation the explainer's listener heard of
     * @return evidence of it, with the model's name (taken now, while the model is open) and the
     *     sample's region when it is a labelled sample
     */
    public static SampleEvidence explained(ExplanationEvent event) {
        return new SampleEvidence(event.explanation(), event.sample().map(LabeledSample::region), Optional.empty(),
                Optional.of(event.model().name()), event.sample(), event.image());
    }

    @Override
    public SampleEvidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded) {
        Optional<SampleEvidence> heard = recorded.apply(explanation);
        if (heard.isEmpty()) {
            return this;
        }
        SampleEvidence seen = heard.get();
        return new SampleEvidence(explanation, region.or(seen::region), metric, model.or(seen::model),
                sample.or(seen::sample), image.or(seen::image));
    }

    @Override
    public List<String> models() {
        return model.stream().toList();
    }

    @Override
    public List<Explanation> explanations() {
        return List.of(explanation);
    }
}
