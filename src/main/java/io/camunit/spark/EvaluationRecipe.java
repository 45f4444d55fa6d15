package io.camunit.spark;

import io.camunit.evaluation.Evaluation;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How an executor builds the driver's {@link Evaluation} again: the same items, explainers, metrics
 * and batches, with its own copy of the model and the data. Sent to every executor, so it holds plain
 * values (file paths, options) and must be serialisable; equal recipes share one opened evaluation
 * per executor slot, so implementations are records or define {@code equals}.
 *
 * <pre>{@code
 * record MyRecipe(String model, String data) implements EvaluationRecipe {
 *     public List<Path> files() { return List.of(Path.of(model)); }
 *     public List<Path> folders() { return List.of(Path.of(data).getParent()); }
 *     public Opened open(UnaryOperator<Path> localCopy) {
 *         TorchScriptModel m = TorchScriptModel.builder().setPath(localCopy.apply(Path.of(model))).build();
 *         List<LabeledSample> s = LabeledDataset.open(localCopy.apply(Path.of(data))).samples();
 *         return new Opened(Evaluation.builder().setModel(m).setSamples(s).setExplainers(...).build(), m);
 *     }
 * }
 * }</pre>
 */
public interface EvaluationRecipe extends Serializable {

    /** @return files on the driver that every executor needs (the model), sent with {@code SparkContext.addFile} */
    List<Path> files();

    /**
     * @return folders on the driver that every executor needs (the data set's), sent as archives with
     *     {@code SparkContext.addArchive}; empty when the executors read the data at the same paths
     */
    List<Path> folders();

    /**
     * Opens the evaluation on an executor; called once per executor slot and kept for its later tasks.
     *
     * @param localCopy maps a path of {@link #files()} or {@link #folders()} (or a path under one of the
     *     folders) to the executor's copy
     * @return the evaluation, with what to close when the executor is done with it
     */
    Opened open(UnaryOperator<Path> localCopy);

    /**
     * An evaluation opened on an executor and what it holds open (the model).
     *
     * @param evaluation the evaluation: items, explainers, metrics and batches as on the driver
     * @param resources closed when the evaluation is discarded, e.g. the model
     */
    record Opened(Evaluation evaluation, AutoCloseable resources) {

        /** Checks for nulls. */
        public Opened {
            Objects.requireNonNull(evaluation, "evaluation");
            Objects.requireNonNull(resources, "resources");
        }
    }
}
