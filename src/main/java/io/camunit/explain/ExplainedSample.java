package io.camunit.explain;

import io.camunit.region.LabeledSample;

import java.util.Objects;

/**
 * A labelled sample with its explanation: what data-set gates assert on.
 *
 * <pre>{@code
 * List<ExplainedSample> explained = gradCam.explainAll(model, LabeledDataset.open(coco).samples());
 * assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.5).forAtLeast(0.9);
 * }</pre>
 *
 * @param sample the labelled sample
 * @param explanation its explanation
 */
public record ExplainedSample(LabeledSample sample, Explanation explanation) {

    /** Checks for nulls. */
    public ExplainedSample {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(explanation, "explanation");
    }
}
