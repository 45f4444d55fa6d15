package io.camunit.assertj;

import org.assertj.core.api.AbstractDoubleAssert;

/**
 * A metric's value, navigated to from an {@link ExplanationAssert}, continuing as an AssertJ double
 * assertion whose description names the metric, the region and the explanation.
 *
 * <pre>{@code
 * assertThat(explanation).massInside(sample.region()).isGreaterThan(0.6);
 * }</pre>
 */
public class MetricAssert extends AbstractDoubleAssert<MetricAssert> {

    /** @param value the metric's value */
    public MetricAssert(Double value) {
        super(value, MetricAssert.class);
    }
}
