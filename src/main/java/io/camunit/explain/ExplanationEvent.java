package io.camunit.explain;

import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import java.util.Objects;
import java.util.Optional;

/**
 * One explanation an {@link Explainer} returned, as told to its listener
 * ({@link Explainer.Builder#optListener}): which model, and the labelled sample or the image it was
 * for. The camunit JUnit extension listens this way to know, when an assertion on an explanation
 * fails, which model and image it came from.
 *
 * <pre>{@code
 * List<ExplanationEvent> seen = new ArrayList<>();
 * Explainer gradCam = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.10")
 *         .optListener(seen::add).build();
 * gradCam.explain(model, sample);
 * seen.get(0).sample();   // Optional[sample]
 * }</pre>
 *
 * @param model the model explained
 * @param explanation the explanation, the very instance the caller received
 * @param sample the labelled sample, when one was explained ({@code explain(model, sample)},
 *     {@code explainAll}); its image can be read again with {@link LabeledSample#image()}
 * @param image the image, when an image was explained directly; empty for labelled samples
 */
public record ExplanationEvent(CamModel model, Explanation explanation, Optional<LabeledSample> sample,
        Optional<InputImage> image) {

    /** Checks for nulls. */
    public ExplanationEvent {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(image, "image");
    }
}
