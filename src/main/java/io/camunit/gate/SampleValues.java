package io.camunit.gate;

import java.util.List;
import java.util.Objects;

/**
 * One metric's value for every sample of a data set, with the method and layers that explained
 * them: what a {@link Baseline} is recorded from, on either surface.
 *
 * <pre>{@code
 * SampleValues values = assertThat(explained).massInside(LabeledSample::region).sampleValues();
 * Baseline.record("shapes-clean@1", values).save(Path.of("baselines/mass-inside.json"));
 * }</pre>
 *
 * @param metric the metric's name, e.g. {@code mass-inside}
 * @param method the method's id, e.g. {@code grad-cam}
 * @param layers the explained layers (empty for methods at the input)
 * @param values one value per sample, in data-set order
 */
public record SampleValues(String metric, String method, List<String> layers, List<SampleValue> values) {

    /** Copies the lists. */
    public SampleValues {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(method, "method");
        layers = List.copyOf(layers);
        values = List.copyOf(values);
    }
}
