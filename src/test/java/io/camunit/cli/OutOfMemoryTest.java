package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch too large for the Java heap: {@code camunit evaluate} in a JVM of 160 MiB heap, asked
 * for 60 images at 512 x 512 in one batch (a 180 MiB input tensor), exits with code 1 and a
 * message that suggests a smaller {@code --batch}, and writes no output file.
 */
class OutOfMemoryTest {

    @Test
    void aBatchTooLargeForTheHeapExitsWithOneSuggestingASmallerBatch(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path stderr = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "evaluate",
                "--model", "fixtures/models/shapes-clean.pt", "--data", "fixtures/shapes/test/coco.json",
                "--size", "512x512", "--batch", "60", "--out", out.toString()))
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(stderr.toFile()).start();
        // About 30 s alone; a generous bound, since a heap this small makes the JVM collect garbage
        // for a long time before it gives up, several times longer on a machine busy with other builds.
        boolean finished = p.waitFor(300, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as("finished").isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("camunit: Out of memory explaining a batch of 60 images at 512x512 with grad-cam at"
                        + " [features.10] in model shapes-clean.pt (the input tensor alone is 180.0 MiB; activations and"
                        + " gradients need several times that): OutOfMemoryError: Java heap space. Explain fewer images"
                        + " at a time: camunit evaluate --batch 30, or Explainer.explainAll(model, samples, 30) from Java.");
        assertThat(out.resolve("samples.csv")).doesNotExist();
        assertThat(out.resolve("summary.json")).doesNotExist();
        try (var files = Files.list(out)) {
            assertThat(files).as("no temporary file left in --out").isEmpty();
        }
    }
}
