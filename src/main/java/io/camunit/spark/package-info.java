/**
 * {@code camunit evaluate} on Apache Spark: executors explain the samples' batches with the same code
 * as a local run ({@link io.camunit.evaluation.Evaluation#measure}) and the driver tallies the rows in
 * order ({@link io.camunit.evaluation.Evaluation#tally}), so that outputs, gates and exit codes are
 * the local run's. Only this package refers to Spark, a {@code provided} dependency: the library, the
 * JUnit path and the command line without {@code --spark} never load it.
 */
package io.camunit.spark;
