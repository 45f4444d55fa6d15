package io.camunit.memory;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.forAtLeast;
import static io.camunit.explain.Method.GRAD_CAM;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.assertj.CamAssertionError;
import io.camunit.explain.Explainer;
import io.camunit.junit.CamTest;
import io.camunit.junit.UseDataset;
import io.camunit.junit.UseExplainer;
import io.camunit.junit.UseModel;
import io.camunit.model.CamModel;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.TestExecutionResult;

/**
 * The README's data-set gate, run by JUnit with the camunit extension in a JVM of its own, in the
 * working directory {@link ConstantMemoryTest} prepares ({@code manifest.csv}, {@code marked.csv}
 * and {@code fixtures/}): the clean model must pass the gate and the shortcut model must fail it
 * with evidence, whatever the number of samples. Prints one line per test and the heap used.
 *
 * <pre>{@code
 * java -Xmx64m -cp <test class path> io.camunit.memory.GateInASmallHeap        # the gates, streamed
 * java -Xmx64m -cp <test class path> io.camunit.memory.GateInASmallHeap all    # every map kept: runs out
 * }</pre>
 */
public final class GateInASmallHeap {

    private GateInASmallHeap() {}

    /** The README's gate on both models, written as a user writes it. */
    @CamTest
    public static class ReadmeGate {

        @UseExplainer(method = GRAD_CAM, layer = "features.10")
        Explainer gradCam;

        @Test
        void cleanModelPasses(@UseDataset("manifest.csv") LabeledDataset data,
                @UseModel("fixtures/models/shapes-clean.pt") CamModel model) {
            gate(model, data);
        }

        @Test
        void shortcutModelIsCaught(@UseDataset("marked.csv") LabeledDataset data,
                @UseModel("fixtures/models/shapes-shortcut.pt") CamModel model) {
            gate(model, data);
        }

        private void gate(CamModel model, LabeledDataset data) {
            assertThat(gradCam.over(model, data.samples())).peakInside(LabeledSample::region)
                    .isAtLeast(1, forAtLeast(0.8));
        }
    }

    /**
     * @param args {@code all} to keep every explanation in a list instead (the control that runs out
     *     of heap); nothing to run the streamed gates
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("all")) {
            keepEveryMap();
            return;
        }
        // Without Allure's listener, so that the evidence lands in reports/evidence under readable names.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ReadmeGate.class))
                .configurationParameters(Map.of("camunit.report.dir", "reports")).build();
        List<String> lines = new ArrayList<>();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    Throwable t = result.getThrowable().orElse(null);
                    lines.add(id.getDisplayName() + " " + result.getStatus() + (t == null ? ""
                            : " " + t.getClass().getSimpleName() + (t instanceof CamAssertionError ? ": "
                                    + t.getMessage().lines().filter(l -> l.startsWith("Expecting")).findFirst()
                                            .orElse("") : ": " + t.getMessage())));
                }
            }
        });
        lines.forEach(System.out::println);
        System.out.println(heap());
    }

    /** The way that keeps every map: a list of every explained sample. */
    private static void keepEveryMap() {
        try (TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"))) {
            List<LabeledSample> samples = LabeledDataset.open(Path.of("manifest.csv")).samples();
            int kept = Explainer.of(io.camunit.explain.Method.GRAD_CAM, "features.10").explainAll(model, samples).size();
            System.out.println("kept " + kept + " explanations");
            System.out.println(heap());
        }
    }

    private static String heap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return String.format(Locale.ROOT, "heap used after GC %.1f MiB, peak %.1f MiB, max %.1f MiB",
                (r.totalMemory() - r.freeMemory()) / 1048576.0, peak / 1048576.0, r.maxMemory() / 1048576.0);
    }
}
