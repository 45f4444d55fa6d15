package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.cli.Main;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs give bit-identical maps: run to run in one process, with a second load of the
 * model (every method; guided ones on a DJL block), in another JVM, and for the seeded randomised
 * copy of the sanity check. Maps are compared
 * as raw float bits, not within a tolerance.
 */
class DeterminismTest {

    private static final Path MODEL = Path.of("fixtures/models/shapes-clean.pt");

    private static List<InputImage> images() {
        List<LabeledSample> samples = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
        List<InputImage> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            out.add(samples.get(i).image());
        }
        return out;
    }

    private static List<int[]> bits(Explainer explainer, CamModel model, List<InputImage> images) {
        List<int[]> out = new ArrayList<>();
        for (Explanation e : explainer.explain(model, images, Collections.nCopies(images.size(), Target.predicted()))) {
            float[] raw = e.raw().toArray();
            int[] b = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                b[i] = Float.floatToRawIntBits(raw[i]);
            }
            out.add(b);
        }
        return out;
    }

    /** RISE with 100 masks, SS-CAM with 2 samples and IS-CAM with 2 steps of 8 channels, to keep the test short. */
    private static Explainer explainer(Method m, String layer) {
        Explainer.Builder b = Explainer.builder().setMethod(m);
        if (m.usesLayers()) {
            b.addLayer(layer);
        }
        if (m == Method.RISE) {
            b.optOptions(MethodOptions.DEFAULTS.with("masks=100"));
        }
        if (m == Method.SS_CAM) {
            b.optOptions(MethodOptions.DEFAULTS.with("samples=2", "top-channels=8"));
        }
        if (m == Method.IS_CAM) {
            b.optOptions(MethodOptions.DEFAULTS.with("steps=2", "top-channels=8"));
        }
        return b.build();
    }

    private static final java.nio.file.Path FULL_GRAD_MODEL = java.nio.file.Path.of("fixtures/models/tiny-cnn-fullgrad.pt");

    @Test
    void everyMethodGivesBitIdenticalMapsTwiceAndWithASecondLoadOfTheModel() {
        List<InputImage> images = images().subList(0, 1);
        List<String> checked = new ArrayList<>();
        try (TorchScriptModel first = TorchScriptModel.load(MODEL); CamModel second = TorchScriptModel.load(MODEL);
                TorchScriptModel tiny = TorchScriptModel.load(io.camunit.Fixtures.TINY_CNN);
                CamModel firstBlock = io.camunit.TinyCnnBlock.withWeightsOf(tiny);
                CamModel secondBlock = io.camunit.TinyCnnBlock.withWeightsOf(tiny);
                // FullGrad needs a file that states its biases.
                CamModel firstFullGrad = TorchScriptModel.load(FULL_GRAD_MODEL);
                CamModel secondFullGrad = TorchScriptModel.load(FULL_GRAD_MODEL)) {
            for (Method m : Method.values()) {
                long start = System.nanoTime();
                CamModel a = m == Method.FULL_GRAD ? firstFullGrad : first;
                CamModel b = m == Method.FULL_GRAD ? secondFullGrad : second;
                String layer = "features.10";
                List<int[]> once;
                Explainer explainer;
                try {
                    explainer = explainer(m, layer);
                    once = bits(explainer, a, images);
                } catch (io.camunit.CamunitException refused) {
                    if (!refused.getMessage().contains("needs a DJL block model")) {
                        assertThat(refused).hasMessageContaining("not available in this build");
                        continue;
                    }
                    // Guided methods replace ReLU's backward pass: they run on DJL blocks only.
                    a = firstBlock;
                    b = secondBlock;
                    layer = io.camunit.TinyCnnBlock.FEATURES_9;
                    explainer = explainer(m, layer);
                    once = bits(explainer, a, images);
                }
                // The second load computes from scratch: equal bits are the run-to-run determinism.
                assertThat(bits(explainer, b, images)).as(m.id() + " second load").containsExactlyElementsOf(once);
                checked.add(m.id() + " " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
            // Several layers fused, and a batch.
            Explainer fused = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.6", "features.10");
            assertThat(bits(fused, second, images())).containsExactlyElementsOf(bits(fused, first, images()));
        }
        // Every method of the build is checked (a later method "not available in this build" would be skipped).
        assertThat(checked.stream().map(c -> c.substring(0, c.indexOf(' '))))
                .containsExactly(java.util.Arrays.stream(Method.values()).map(Method::id).toArray(String[]::new));
        System.out.println("bit-identical maps: " + checked);
    }

    @Test
    void theRandomisedCopyOfTheSanityCheckIsSeeded() {
        List<InputImage> images = images();
        Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
        try (CamModel model = TorchScriptModel.load(MODEL);
                CamModel a = model.randomised(7); CamModel b = model.randomised(7); CamModel c = model.randomised(8)) {
            assertThat(bits(gradCam, b, images)).containsExactlyElementsOf(bits(gradCam, a, images));
            assertThat(bits(gradCam, c, images).get(0)).isNotEqualTo(bits(gradCam, a, images).get(0));
        }
    }

    @Test
    void anotherJvmWritesTheSameBytes(@TempDir Path dir) throws IOException, InterruptedException {
        Path image = Path.of("fixtures/shapes/test/images/0001.png");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "explain", "--model",
                MODEL.toString(), "--image", image.toString(), "--method", "grad-cam++", "--layer", "features.10",
                "--out", dir.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log.txt"))).isZero();
        try (CamModel model = TorchScriptModel.load(MODEL)) {
            Explanation here = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.10").explain(model,
                    InputImage.read(image), Target.predicted());
            assertThat(Files.readAllBytes(dir.resolve("raw.npy"))).isEqualTo(Npy.toBytes(here.raw()));
            assertThat(Files.readAllBytes(dir.resolve("heatmap.npy"))).isEqualTo(Npy.toBytes(here.display()));
        }
    }

    @Test
    void theBatchAnImageIsExplainedInChangesItsDisplayMapOnlyAtFloatPrecision() {
        // PyTorch's CPU convolutions pick their kernels by batch size, so the sums differ in their
        // last bits: bit-identical per batch, not across batches.
        List<LabeledSample> samples = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
        List<InputImage> images = samples.subList(0, 8).stream().map(LabeledSample::image).toList();
        try (CamModel model = TorchScriptModel.load(MODEL)) {
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
            List<Explanation> batch = gradCam.explain(model, images, Collections.nCopies(8, Target.predicted()));
            double largest = 0;
            for (int i = 0; i < images.size(); i++) {
                float[] alone = gradCam.explain(model, images.get(i), Target.predicted()).display().toArray();
                float[] together = batch.get(i).display().toArray();
                for (int p = 0; p < alone.length; p++) {
                    largest = Math.max(largest, Math.abs(alone[p] - together[p]));
                }
            }
            assertThat(largest).isLessThan(1e-5);
        }
    }
}
