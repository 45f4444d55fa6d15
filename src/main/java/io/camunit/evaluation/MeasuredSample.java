package io.camunit.evaluation;

import io.camunit.explain.Explanation;
import io.camunit.gate.SampleValue;
import io.camunit.region.LabeledSample;

import java.util.List;
import java.util.Objects;

/**
 * One sample explained by one method and measured with every metric of an {@link Evaluation}.
 *
 * <pre>{@code
 * row.values().get(0).value();    // the first metric's value, or null with the reason
 * }</pre>
 *
 * @param sample the labelled sample
 * @param method the method's id
 * @param explanation its explanation
 * @param values one value per metric, in the evaluation's metric order
 */
public record MeasuredSample(LabeledSample sample, String method, Explanation explanation, List<SampleValue> values) {

    /** Copies the list. */
    public MeasuredSample {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(explanation, "explanation");
        values = List.copyOf(values);
    }
}
