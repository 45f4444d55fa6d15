package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.report.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camunit evaluate --save-maps} interrupted mid-run (as a timeout interrupts a test): it
 * stops at the next file it writes, exits with 1, and leaves neither {@code samples.csv} nor
 * {@code summary.json} nor any temporary file; the maps already written are whole. The same
 * command run again in the same JVM completes.
 */
class EvaluateInterruptedTest {

    private static final String[] ARGS = {"evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data",
        "fixtures/shapes/test/coco.json", "--method", "grad-cam", "--batch", "4", "--save-maps", "--out"};

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static int run(Path out, StringWriter err) {
        String[] args = java.util.Arrays.copyOf(ARGS, ARGS.length + 1);
        args[ARGS.length] = out.toString();
        return Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    }

    @Test
    void anInterruptedRunLeavesNoPartialFileAndTheNextRunCompletes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread run = new Thread(() -> code.set(run(out, err)), "evaluate");
        run.start();
        Path maps = out.resolve("maps/grad-cam");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (run.isAlive() && System.nanoTime() < deadline
                && (!Files.isDirectory(maps) || files(maps).stream().noneMatch(f -> f.toString().endsWith(".npy")))) {
            Thread.sleep(5);
        }
        run.interrupt();
        run.join(120_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(code.get()).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("the writing thread was interrupted");
        List<Path> left = files(out);
        assertThat(left).as("no temporary file").noneMatch(f -> f.getFileName().toString().startsWith("."));
        assertThat(left).doesNotContain(out.resolve("samples.csv"), out.resolve("summary.json"));
        List<Path> written = left.stream().filter(f -> f.toString().endsWith(".npy")).toList();
        assertThat(written).isNotEmpty().hasSizeLessThan(60);
        for (Path f : written) {
            try (InputStream in = Files.newInputStream(f)) {
                // A whole map: the header's shape and all its values (a short file would fail here).
                assertThat(Npy.read(in, f.toString()).width()).isEqualTo(64);
            }
        }

        StringWriter again = new StringWriter();
        assertThat(run(out, again)).as(again.toString()).isZero();
        assertThat(Files.readAllLines(out.resolve("samples.csv"))).hasSize(61);
        assertThat(files(maps)).hasSize(60);
    }
}
