package io.camunit.bench;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.model.ImageSize;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.report.CsvField;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): a data-set gate ({@code peakInside(...).isAtLeast(1, forAtLeast(...))} over
 * samples explained batch by batch, {@code Explainer.over}) at 224 x 224 for growing data sets,
 * reporting time per 1,000 samples and the heap the gate keeps (and how it grows per 1,000 samples
 * beyond the smallest data set: the values, one per sample). The heap is measured after a full
 * collection at the end of the pass, while the gate's tally (values, counts, the worst samples'
 * maps) is still alive, minus the same measure before the pass (the data set's samples, which are
 * the user's). Samples are the shapes scenes over and over, linked into a data folder under
 * {@code target/bench/gate-data}. Run in a JVM of a fixed, small heap:
 *
 * <pre>
 * mvn -B -q test-compile exec:exec -Dcamunit.skipPython -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx256m -classpath %classpath io.camunit.bench.DatasetGateBenchmark 1000,10000,50000"
 * </pre>
 */
public final class DatasetGateBenchmark {

    private static final Path DATA = Path.of("target/bench/gate-data");
    private static final ImageSize INPUT = new ImageSize(224, 224);

    private DatasetGateBenchmark() {}

    /** @param args the data-set sizes, comma-separated (default 1000,10000,50000) */
    public static void main(String[] args) throws IOException {
        List<Integer> counts = new ArrayList<>();
        for (String c : (args.length > 0 ? args[0] : "1000,10000,50000").split(",")) {
            counts.add(Integer.parseInt(c.trim()));
        }
        int largest = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<LabeledSample> scenes = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
        links(scenes, largest);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "Data-set gate at %s, Grad-CAM at features.10 of shapes-clean, max heap %.0f MiB%n%n",
                INPUT, Runtime.getRuntime().maxMemory() / 1048576.0);
        out.println("| samples | seconds | seconds per 1,000 samples | heap kept by the gate, MiB | growth per 1,000"
                + " samples beyond the first row, KiB | verdict |");
        out.println("|---|---|---|---|---|---|");
        try (TorchScriptModel model = TorchScriptModel.builder().setPath(Path.of("fixtures/models/shapes-clean.pt"))
                .optInputSize(INPUT.width(), INPUT.height()).build()) {
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
            // Warm-up: engine start and JIT.
            gate(gradCam.over(model, manifest(scenes, 64).samples()));
            long firstKept = -1;
            int firstCount = 0;
            for (int n : counts) {
                List<LabeledSample> samples = manifest(scenes, n).samples();
                // A path caches its text and offsets when first asked; ask now, so that the data set's own
                // memory is in the measure before the pass and not counted as the gate's.
                samples.forEach(s -> s.imagePath().getFileName().toString().length());
                samples.forEach(s -> s.imagePath().toString().length());
                long before = liveHeap();
                Measured explained = new Measured(gradCam.over(model, samples));
                long start = System.nanoTime();
                String verdict = gate(explained);
                double seconds = (System.nanoTime() - start) / 1e9;
                long kept = explained.atEnd - before;
                String growth = "-";
                if (firstKept < 0) {
                    firstKept = kept;
                    firstCount = n;
                } else {
                    growth = String.format(Locale.ROOT, "%.1f", (kept - firstKept) / 1024.0 * 1000 / (n - firstCount));
                }
                out.printf(Locale.ROOT, "| %,d | %.1f | %.1f | %.2f | %s | %s |%n", n, seconds, 1000 * seconds / n,
                        kept / 1048576.0, growth, verdict);
            }
        }
    }

    /** The gate; its verdict in a few words. */
    private static String gate(ExplainedSamples explained) {
        try {
            assertThat(explained).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.5));
            return "passed";
        } catch (AssertionError failed) {
            return failed.getMessage().lines().filter(l -> l.startsWith("Expecting")).findFirst().orElse("failed")
                    .replaceAll(".*it held for ", "failed, held for ");
        }
    }

    /** Live heap: used after a full collection (two, so that objects freed by the first are gone). */
    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** {@code count} links to the scenes, in a data folder of their own. */
    private static void links(List<LabeledSample> scenes, int count) throws IOException {
        Files.createDirectories(DATA.resolve("images"));
        for (int i = 0; i < count; i++) {
            Path link = DATA.resolve("images/" + i + ".png");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, scenes.get(i % scenes.size()).imagePath().toAbsolutePath());
            }
        }
    }

    /** A manifest of the first {@code count} links, with the scenes' boxes. */
    private static LabeledDataset manifest(List<LabeledSample> scenes, int count) throws IOException {
        StringBuilder csv = new StringBuilder("image,label,box,width,height\n");
        for (int i = 0; i < count; i++) {
            LabeledSample s = scenes.get(i % scenes.size());
            for (LabeledObject o : s.objects()) {
                Box b = o.region().toMask(s.width(), s.height()).boundingBox();
                csv.append(CsvField.row(List.of("images/" + i + ".png", o.label(), (long) b.x() + ";" + (long) b.y()
                        + ";" + (long) b.width() + ";" + (long) b.height(), Integer.toString(s.width()),
                        Integer.toString(s.height())))).append('\n');
            }
        }
        Path file = DATA.resolve("manifest-" + count + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return LabeledDataset.open(file);
    }

    /** The samples, with the live heap measured when a pass has read the last one. */
    private static final class Measured implements ExplainedSamples {
        private final ExplainedSamples samples;
        private long atEnd;

        Measured(ExplainedSamples samples) {
            this.samples = samples;
        }

        @Override
        public int size() {
            return samples.size();
        }

        @Override
        public Iterator<ExplainedSample> iterator() {
            Iterator<ExplainedSample> inner = samples.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    boolean more = inner.hasNext();
                    if (!more && atEnd == 0) {
                        atEnd = liveHeap();
                    }
                    return more;
                }

                @Override
                public ExplainedSample next() {
                    return inner.next();
                }
            };
        }
    }
}
