package io.camunit.junit;

import static io.camunit.explain.Method.EIGEN_CAM;
import static io.camunit.explain.Method.GRAD_CAM;
import static io.camunit.explain.Method.LAYER_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.Npy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Load: rounds of many tests run in JUnit's parallel mode on four threads (two cores), each
 * round a fresh engine run that loads the shared model, explains with gradient and forward-only
 * methods, writes report files atomically and feeds bad input, then closes the model. Rounds
 * repeat for {@code camunit.load.seconds} (default 10; {@code -Dcamunit.load.seconds=300} for
 * five minutes). Checked: every test of every round passes, no round takes longer than 5 minutes
 * (a deadlock would; its threads are dumped), the report directory holds only whole files, and
 * memory is bounded: process RSS after the last round within 256 MiB of its lowest value after a
 * round, the heap after a collection within 128 MiB of its lowest.
 */
class LoadTest {

    static final int SAMPLES = 20;
    static volatile Path reportDir;

    @CamTest
    static class Workload {

        @ParameterizedTest
        @LabeledSamples(value = CamExtensionTest.TEST_SET, limit = SAMPLES)
        void gradCamLooksSomewhereAndIsSaved(LabeledSample s, @UseModel(CamExtensionTest.CLEAN) CamModel model,
                @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) throws IOException {
            Explanation e = gradCam.explain(model, s);
            assertThat(e.raw().isFinite()).isTrue();
            assertThat(e.isDegenerate()).isFalse();
            String name = s.id().replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
            AtomicFile.write(reportDir.resolve(name), out -> Npy.write(e.raw(), out));
        }

        @ParameterizedTest
        @LabeledSamples(value = CamExtensionTest.TEST_SET, limit = SAMPLES)
        void layerCamAndEigenCamOnFusedLayers(LabeledSample s, @UseModel(CamExtensionTest.CLEAN) CamModel model) {
            for (Explainer x : List.of(Explainer.of(LAYER_CAM, "features.6", "features.10"),
                    Explainer.of(EIGEN_CAM, "features.10"))) {
                assertThat(x.explain(model, s).display().max()).isGreaterThan(0.99f);
            }
        }

        @ParameterizedTest
        @LabeledSamples(value = CamExtensionTest.TEST_SET, limit = SAMPLES)
        void badInputIsRefusedWhileOthersExplain(LabeledSample s) throws IOException {
            byte[] png = Files.readAllBytes(s.imagePath());
            Path cut = Files.write(Files.createTempFile(reportDir.getParent(), "cut", ".png"),
                    Arrays.copyOf(png, png.length / 2));
            try {
                assertThatThrownBy(() -> InputImage.read(cut)).isInstanceOf(CamunitException.class);
                Path broken = Files.writeString(Files.createTempFile(reportDir.getParent(), "broken", ".json"),
                        "{\"images\": [");
                assertThatThrownBy(() -> LabeledDataset.open(broken)).isInstanceOf(CamunitException.class);
                Files.delete(broken);
            } finally {
                Files.delete(cut);
            }
        }
    }

    static long rssKib() throws IOException {
        return ParallelRunTest.rssKib();
    }

    static long heapAfterGcMib() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    private static String deadlocks() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] ids = threads.findDeadlockedThreads();
        if (ids == null) {
            return "no deadlocked threads";
        }
        StringBuilder dump = new StringBuilder("deadlocked threads:\n");
        for (ThreadInfo t : threads.getThreadInfo(ids, true, true)) {
            dump.append(t);
        }
        return dump.toString();
    }

    @Test
    void roundsOfParallelTestsPassWithoutDeadlockAndWithBoundedMemory(@TempDir Path dir) throws IOException {
        long seconds = Long.getLong("camunit.load.seconds", 10);
        reportDir = Files.createDirectories(dir.resolve("reports"));
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Long> rss = new ArrayList<>();
        List<Long> heap = new ArrayList<>();
        int rounds = 0;
        do {
            long tests = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> EngineTestKit.engine("junit-jupiter")
                    .configurationParameters(Map.of(
                            "junit.jupiter.execution.parallel.enabled", "true",
                            "junit.jupiter.execution.parallel.mode.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "fixed",
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
                    .selectors(selectClass(Workload.class)).execute()
                    .testEvents().assertStatistics(s -> s.started(3 * SAMPLES).succeeded(3 * SAMPLES).failed(0))
                    .started().count(), LoadTest::deadlocks);
            assertThat(tests).isEqualTo(3 * SAMPLES);
            rounds++;
            rss.add(rssKib() >> 10);
            heap.add(heapAfterGcMib());
        } while (System.nanoTime() < deadline);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("load: %d rounds, %d tests in %.0f s; RSS MiB by round %s; heap MiB after GC %s%n", rounds,
                rounds * 3 * SAMPLES, elapsed, rss, heap);

        try (Stream<Path> files = Files.list(reportDir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(SAMPLES).allMatch(f -> f.toString().endsWith(".npy")
                    && !f.getFileName().toString().startsWith("."));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("the bad-input files were removed").containsExactly(reportDir);
        }
        // From the lowest value: the first round's RSS may still hold what earlier tests of the JVM left.
        assertThat(rss.get(rss.size() - 1) - java.util.Collections.min(rss)).as("RSS growth over the rounds, MiB")
                .isLessThan(256);
        assertThat(heap.get(heap.size() - 1) - java.util.Collections.min(heap)).as("heap growth over the rounds, MiB")
                .isLessThan(128);
    }
}
