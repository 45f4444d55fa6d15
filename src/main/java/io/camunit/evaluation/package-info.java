/**
 * Evaluating a model's explanations over a labelled data set from Java: every sample explained by
 * every method, measured with every metric, summarised per method, metric and class, and judged by
 * release gates and baselines ({@link io.camunit.evaluation.Evaluation}). {@code camunit evaluate}
 * is this evaluation, printed and written to files.
 */
package io.camunit.evaluation;
