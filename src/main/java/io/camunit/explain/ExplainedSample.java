package io.camunit.explain;

import io.camunit.region.LabeledSample;

import java.util.Objects;
import java.util.Optional;

/**
 * A labelled sample with its explanation, and the name of the model that was explained when the
 * explainer knew it: what data-set gates assert on.
 *
 * <pre>{@code
 * for (ExplainedSample s : gradCam.over(model, LabeledDataset.open(coco).samples())) {
 *     s.model();   // Optional[shapes-clean.pt]
 * }
 * }</pre>
 *
 * @param sample the labelled sample
 * @param explanation its explanation
 * @param model the explained model's name, when known (evidence names it)
 */
public record ExplainedSample(LabeledSample sample, Explanation explanation, Optional<String> model) {

    /** Checks for nulls. */
    public ExplainedSample {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(explanation, "explanation");
        Objects.requireNonNull(model, "model");
    }

    /**
     * @param sample the labelled sample
     * @param explanation its explanation, of a model not named
     */
    public ExplainedSample(LabeledSample sample, Explanation explanation) {
        this(sample, explanation, Optional.empty());
    }
}
