package io.camunit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code camunit evaluate} run evaluated and when, for the CI outputs' names and properties.
 *
 * <pre>{@code
 * EvaluationRun run = new EvaluationRun("fixtures/models/shapes-clean.pt", "fixtures/shapes/test/coco.json",
 *         List.of("features.10"), "labelled", 60, start, stop);
 * run.modelName();   // "shapes-clean"
 * }</pre>
 *
 * @param model the model file as given
 * @param data the data set as given
 * @param layers the layers the layer methods explained (empty when none did)
 * @param target {@code labelled} or {@code predicted}
 * @param samples how many samples were evaluated
 * @param start when the run started, in milliseconds since the epoch
 * @param stop when it ended
 */
record EvaluationRun(String model, String data, List<String> layers, String target, int samples, long start,
        long stop) {

    /** Checks for nulls and copies the layers. */
    EvaluationRun {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        layers = List.copyOf(layers);
        Objects.requireNonNull(target, "target");
    }

    /** @return the model file's name without {@code .pt}, e.g. {@code shapes-clean}: the name CI reports use */
    String modelName() {
        Path name = Path.of(model).getFileName();
        String file = name == null ? model : name.toString();
        return file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
    }

    /** @return the run's wall time in seconds */
    double seconds() {
        return Math.max(0, stop - start) / 1000.0;
    }
}
