/**
 * Metrics of explanations against labelled regions and of their faithfulness to the model, with
 * the definitions of {@code docs/pipeline.md}: {@link io.camunit.metric.MassInside},
 * {@link io.camunit.metric.PeakInside}, {@link io.camunit.metric.RankAccuracy},
 * {@link io.camunit.metric.TopPercentInside}, {@link io.camunit.metric.IouAtThreshold},
 * {@link io.camunit.metric.DeletionInsertion}, {@link io.camunit.metric.ConfidenceChange},
 * {@link io.camunit.metric.RankCorrelation} and {@link io.camunit.metric.Ssim}. Region metrics are
 * plain Java on arrays; they know nothing of JUnit, AssertJ or Allure.
 *
 * <p>Over a data set: {@link io.camunit.metric.MetricSummary} (statistics) and
 * {@link io.camunit.metric.GateExpression} (release gates written as text, e.g.
 * {@code peak-inside >= 1 for 80%}, judged with {@link io.camunit.metric.WilsonBound} when a
 * confidence is asked for), used by {@code camunit evaluate --gate}.
 */
package io.camunit.metric;
