package io.camunit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.report.CsvField;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data-set gate keeps its values and its worst samples' maps, not every map, so its memory does
 * not grow with the data set: the README's gate over 2,000 samples (the 60 shapes scenes, each
 * repeated, linked into a data folder) runs in a JVM of 48 MiB heap, through JUnit and the camunit
 * extension, where keeping every explanation ({@code explainAll}) runs out of memory. The README's
 * 20,000 samples in 512 MiB are this at a larger scale:
 *
 * <pre>
 * mvn -B test -Dcamunit.skipPython -Dtest=ConstantMemoryTest -Dcamunit.memory.samples=20000 -Dcamunit.memory.heap=512m
 * </pre>
 */
class ConstantMemoryTest {

    /** How many samples; {@code -Dcamunit.memory.samples=20000} for the README's scale. */
    static final int SAMPLES = Integer.getInteger("camunit.memory.samples", 2000);
    /** The forked JVM's heap; {@code -Dcamunit.memory.heap=512m} for the README's scale. */
    static final String HEAP = System.getProperty("camunit.memory.heap", "48m");

    @TempDir
    Path dir;

    private void dataFolder() throws IOException {
        Files.createSymbolicLink(dir.resolve("fixtures"), Path.of("fixtures").toAbsolutePath());
        manifest("fixtures/shapes/test/coco.json", "manifest.csv", "test");
        manifest("fixtures/shapes/test-marked/coco.json", "marked.csv", "marked");
    }

    /** {@value #SAMPLES} samples, the fixture's scenes over and over, each under a name of its own. */
    private void manifest(String coco, String name, String images) throws IOException {
        List<LabeledSample> scenes = LabeledDataset.open(Path.of(coco)).samples();
        Files.createDirectories(dir.resolve(images));
        StringBuilder csv = new StringBuilder("image,label,box,width,height\n");
        for (int i = 0; i < SAMPLES; i++) {
            LabeledSample s = scenes.get(i % scenes.size());
            String image = images + "/" + i + ".png";
            Files.createSymbolicLink(dir.resolve(image), s.imagePath().toAbsolutePath());
            for (LabeledObject o : s.objects()) {
                Box b = o.region().toMask(s.width(), s.height()).boundingBox();
                csv.append(CsvField.row(List.of(image, o.label(), String.format(Locale.ROOT, "%s;%s;%s;%s",
                        (long) b.x(), (long) b.y(), (long) b.width(), (long) b.height()),
                        Integer.toString(s.width()), Integer.toString(s.height())))).append('\n');
            }
        }
        Files.writeString(dir.resolve(name), csv, StandardCharsets.UTF_8);
    }

    private List<String> fork(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + HEAP, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), GateInASmallHeap.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).as("finished in 30 minutes").isTrue();
        return Files.readAllLines(dir.resolve("out.txt"));
    }

    @Test
    void theReadmeGateRunsInASmallHeapWhereKeepingEveryMapRunsOut() throws IOException, InterruptedException {
        dataFolder();
        List<String> gates = fork();
        // The figures, for the test's output: tests pass, the heap kept after collection.
        System.out.println(String.join("\n", gates));
        assertThat(gates).as(String.join("\n", gates))
                .anyMatch(l -> l.startsWith("cleanModelPasses") && l.contains("SUCCESSFUL"))
                .anyMatch(l -> l.startsWith("shortcutModelIsCaught") && l.contains("FAILED CamAssertionError:"
                        + " Expecting peak-inside >= 1 for at least 80.0 % of " + SAMPLES + " samples"))
                .anyMatch(l -> l.startsWith("heap used after GC"));
        // The failed gate's evidence: the sheet of its worst samples, drawn from the maps it kept.
        try (var files = Files.walk(dir.resolve("reports/evidence"))) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.contains("worst_12_of_" + SAMPLES));
        }
        List<String> all = fork("all");
        assertThat(String.join("\n", all)).as("keeping every map in " + HEAP).containsAnyOf("Out of memory",
                "OutOfMemoryError")
                .doesNotContain("kept " + SAMPLES);
    }
}
