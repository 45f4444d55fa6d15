package io.camunit.junit;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.explain.Method.GRAD_CAM;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.explain.Explainer;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledSample;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * 40 parameterized invocations in JUnit's parallel mode on two threads: none fails, they really
 * run on two threads, the shared model is loaded once, and native memory stays bounded. Memory is
 * measured two ways: the NDArrays DJL still manages under the model's NDManager (must be the same
 * before and after: every scope was closed) and the process RSS from /proc/self/status (must grow
 * by less than 256 MiB; it includes the JVM heap, so it is only a coarse bound).
 */
class ParallelRunTest {

    static final Set<String> THREADS = ConcurrentHashMap.newKeySet();
    /** The model instances the invocations were given, by identity. */
    static final Set<CamModel> MODELS = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    static volatile int arraysBefore = -1;
    static volatile int arraysAfter = -1;

    static int managedArrays(CamModel model) {
        try (NDManager scope = model.newScope()) {
            return ((BaseNDManager) scope.getParentManager()).getManagedArrays().size();
        }
    }

    static long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @CamTest
    static class FortyInParallel {
        @BeforeAll
        static void before(@UseModel(CamExtensionTest.CLEAN) CamModel model) {
            arraysBefore = managedArrays(model);
        }

        @ParameterizedTest
        @LabeledSamples(value = CamExtensionTest.TEST_SET, limit = 40)
        void explains(LabeledSample s, @UseModel(CamExtensionTest.CLEAN) CamModel model,
                      @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            THREADS.add(Thread.currentThread().getName());
            MODELS.add(model);
            // Peak inside is not asserted: 2 of the 60 test samples miss; the map must be usable.
            assertThat(gradCam.explain(model, s)).isNotDegenerate();
        }

        @AfterAll
        static void after(@UseModel(CamExtensionTest.CLEAN) CamModel model) {
            arraysAfter = managedArrays(model);
        }
    }

    @Test
    void fortyInvocationsOnTwoThreadsPassWithOneLoadAndBoundedMemory() throws IOException {
        THREADS.clear();
        MODELS.clear();
        // Warm up outside the measured window: the native library and the first model load are
        // one-off costs, not growth.
        try (CamModel warm = io.camunit.model.TorchScriptModel.load(Path.of(CamExtensionTest.CLEAN))) {
            io.camunit.explain.Explainer.of(GRAD_CAM, "features.10").explain(warm,
                    io.camunit.region.LabeledDataset.open(Path.of(CamExtensionTest.TEST_SET)).samples().get(0));
        }
        long rssBefore = rssKib();
        EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of(
                        "junit.jupiter.execution.parallel.enabled", "true",
                        "junit.jupiter.execution.parallel.mode.default", "concurrent",
                        "junit.jupiter.execution.parallel.config.strategy", "fixed",
                        "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"))
                .selectors(selectClass(FortyInParallel.class)).execute()
                .testEvents().assertStatistics(s -> s.started(40).succeeded(40).failed(0));
        long rssGrowthMib = (rssKib() - rssBefore) / 1024;
        System.out.println("parallel run: threads " + THREADS + ", managed arrays before " + arraysBefore
                + " after " + arraysAfter + ", RSS growth " + rssGrowthMib + " MiB");
        org.assertj.core.api.Assertions.assertThat(MODELS).as("one shared instance").hasSize(1);
        // At least two workers ran invocations; JUnit's fork-join pool may add a compensating worker
        // while others wait on the gradient lock, so the count is not exactly the parallelism.
        org.assertj.core.api.Assertions.assertThat(THREADS).hasSizeGreaterThanOrEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(arraysAfter).isEqualTo(arraysBefore);
        org.assertj.core.api.Assertions.assertThat(rssGrowthMib).isLessThan(256);
    }
}
