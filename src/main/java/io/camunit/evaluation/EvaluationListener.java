package io.camunit.evaluation;

/**
 * Told of an {@link Evaluation}'s progress as it runs, on the calling thread: each sample's
 * explanation by each method with its metric values (e.g. to write a row of {@code samples.csv} or
 * the map), and each finished batch.
 *
 * <pre>{@code
 * evaluation.run(new EvaluationListener() {
 *     public void measured(MeasuredSample row) {
 *         System.out.println(row.sample().id() + " " + row.method() + " " + row.values());
 *     }
 * });
 * }</pre>
 */
public interface EvaluationListener {

    /**
     * One sample explained by one method and measured. Rows come in data-set order, a sample's rows
     * adjacent, methods in the evaluation's order.
     *
     * @param row the sample, explanation and values
     */
    default void measured(MeasuredSample row) {}

    /**
     * @param done how many samples are explained and measured so far
     * @param total how many there are
     */
    default void batchDone(int done, int total) {}
}
