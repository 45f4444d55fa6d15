package io.camunit.metric;

/**
 * One metric's value for one sample, with what was measured, for reports and gates.
 *
 * <pre>{@code
 * MetricResult r = SampleMetric.parse("mass-inside").measure(explanation, sample, model);
 * r.value();       // 0.83
 * r.measured();    // "grad-cam at features.10 for square, union of 1 regions ..."
 * }</pre>
 *
 * @param metric the metric's name, e.g. {@code mass-inside}
 * @param sampleId the sample's id
 * @param value the value, never NaN
 * @param measured what was compared with what
 */
public record MetricResult(String metric, String sampleId, double value, String measured) {

    /** Refuses NaN: a metric that cannot be computed throws instead. */
    public MetricResult {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("Metric " + metric + " of " + sampleId + " is NaN");
        }
    }
}
