package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.engine.GradientLock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptModelTest {

    private final TorchScriptModel model = Fixtures.tinyCnn();

    @Test
    void readsLayersClassesAndInputFromCamunitJson() {
        assertThat(model.isCamReady()).isTrue();
        assertThat(model.layers()).containsExactly("features.4", "features.9");
        assertThat(model.classes()).containsExactly("circle", "square", "triangle");
        assertThat(model.input()).isEqualTo(new InputSpec(64, 64, List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25)));
    }

    @Test
    void forwardGivesTheLogitsPyTorchComputed() {
        try (NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(0), Fixtures.scene(1)));
            float[] logits = model.forward(x).toFloatArray();
            // fixtures/goldens/tiny-cnn/goldens.json, "logits"
            assertThat(logits[0]).isCloseTo(0.7389150857925415f, within(1e-4f));
            assertThat(logits[1]).isCloseTo(-6.5728840827941895f, within(1e-4f));
            assertThat(logits[4]).isCloseTo(6.899005889892578f, within(1e-4f));
        }
    }

    @Test
    void headOfFeaturesEqualsForwardAtEveryLayer() {
        try (NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(2)));
            float[] expected = model.forward(x).toFloatArray();
            for (String layer : model.layers()) {
                float[] actual = model.head(model.features(x, layer), layer).toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as(layer).isCloseTo(expected[i], within(1e-4f));
                }
            }
        }
    }

    @Test
    void featuresReturnTheLayerActivation() {
        try (NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(0), Fixtures.scene(1)));
            assertThat(model.features(x, "features.4").get(0).getShape().getShape()).containsExactly(2, 16, 32, 32);
            assertThat(model.features(x, "features.9").get(0).getShape().getShape()).containsExactly(2, 32, 16, 16);
        }
    }

    @Test
    void unknownLayerListsTheAvailableLayers() {
        try (NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(0)));
            assertThatThrownBy(() -> model.features(x, "layer4"))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("Unknown layer 'layer4' in model tiny-cnn.pt")
                    .hasMessageContaining("[features.4, features.9]");
        }
    }

    @Test
    void classifierWeightsAreTheFinalLinearLayer() {
        float[][] w = model.classifierWeights();
        assertThat(w.length).isEqualTo(3);
        assertThat(w[0].length).isEqualTo(32);
    }

    @Test
    void plainTorchScriptRunsForwardButRefusesLayerCuts() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                        .optInput(model.input()).build();
                NDManager scope = plain.newScope()) {
            assertThat(plain.isCamReady()).isFalse();
            assertThat(plain.layers()).isEmpty();
            NDArray x = plain.toBatch(scope, List.of(Fixtures.scene(0)));
            assertThat(plain.forward(x).toFloatArray()[0]).isCloseTo(0.7389150857925415f, within(1e-4f));
            assertThatThrownBy(() -> plain.features(x, "features.9"))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("plain TorchScript")
                    .hasMessageContaining("camunit_export.py");
        }
    }

    @Test
    void forwardRecordingGradientsLetsThePlainFileBeDifferentiatedAtTheInput() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                        .optInput(model.input()).build();
                NDManager scope = plain.newScope()) {
            NDArray x = plain.toBatch(scope, List.of(Fixtures.scene(1)));
            float[] input = x.toFloatArray();
            x.setRequiresGradient(true);
            float[] gradient = GradientLock.run(() -> {
                try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                    NDArray out = plain.forwardRecordingGradients(x);
                    assertThat(out.toFloatArray()).containsExactly(plain.forward(x).toFloatArray(), within(1e-5f));
                    collector.backward(out.get(0, 1));
                }
                return x.getGradient().toFloatArray();
            });
            // Recorded by PyTorch 1.13 for this image and class (torch.jit.load, x.grad).
            assertThat(gradient[5294]).isCloseTo(-0.37252736f, within(1e-5f));
            assertThat(gradient[9446]).isCloseTo(0.33995613f, within(1e-5f));
            assertThat(gradient[1257]).isCloseTo(0.32108462f, within(1e-5f));
            double absSum = 0;
            for (float g : gradient) {
                absSum += Math.abs(g);
            }
            assertThat(absSum).isCloseTo(113.4020, within(1e-3));
        }
    }

    @Test
    void forwardRunsInInferenceModeSoItsOutputHasNoGradientToTheInput() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                        .optInput(model.input()).build();
                NDManager scope = plain.newScope()) {
            NDArray x = plain.toBatch(scope, List.of(Fixtures.scene(1)));
            x.setRequiresGradient(true);
            GradientLock.run(() -> {
                try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                    NDArray out = plain.forward(x);
                    assertThatThrownBy(() -> collector.backward(out.get(0, 1)))
                            .hasMessageContaining("does not require grad");
                }
                return null;
            });
        }
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> TorchScriptModel.load(Path.of("fixtures/models/no-such-model.pt")))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("no-such-model.pt")
                .hasMessageContaining("does not exist");
    }

    @Test
    void corruptFileIsAClearError(@TempDir Path dir) throws IOException {
        Path garbage = dir.resolve("garbage.pt");
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        assertThatThrownBy(() -> TorchScriptModel.load(garbage))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Cannot load model " + garbage)
                .hasMessageContaining("torch.jit.save");
    }

    @Test
    void truncatedFileIsAClearError(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.TINY_CNN);
        Path truncated = dir.resolve("truncated.pt");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> TorchScriptModel.load(truncated))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Cannot load model " + truncated);
    }

    @Test
    void camReadyFileWhoseHeadDoesNotContinueFeaturesIsRefused() {
        assertThatThrownBy(() -> TorchScriptModel.load(Fixtures.TINY_CNN_BROKEN_CUT))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("not a valid CAM-ready file")
                .hasMessageContaining("layer 'features.4'")
                .hasMessageContaining("head(features(x)) differs from forward(x)");
    }

    /** A copy of a TorchScript file whose camunit.json has one more field, e.g. {@code "task": "detection"}. */
    private static Path withMetadataField(Path from, Path to, String field) throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("/extra/" + CamReadyMetadata.FILE_NAME)) {
                    bytes = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\\{", "{" + field + ", ")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                java.util.zip.ZipEntry copy = new java.util.zip.ZipEntry(e.getName());
                copy.setMethod(e.getMethod());
                if (e.getMethod() == java.util.zip.ZipEntry.STORED) {
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(bytes);
                    copy.setSize(bytes.length);
                    copy.setCompressedSize(bytes.length);
                    copy.setCrc(crc.getValue());
                }
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return to;
    }

    @Test
    void aFileDeclaringDetectionWhoseOutputIsClassScoresIsRefusedAtLoad(@TempDir Path dir) throws IOException {
        Path file = withMetadataField(Fixtures.TINY_CNN, dir.resolve("tiny-detector.pt"), "\"task\": \"detection\"");

        assertThatThrownBy(() -> TorchScriptModel.load(file))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model tiny-detector.pt: camunit.json field 'task' says detection, so forward"
                        + " must return N x M x (4 + 1 + K) candidate boxes before non-maximum suppression")
                .hasMessageContaining("on a trial batch of 2 images it returned shape (2, 3) (expected rank 3, found rank 2)");
    }

    @Test
    void aFileDeclaringItsTaskTruthfullyLoadsWithIt(@TempDir Path dir) throws IOException {
        Path file = withMetadataField(Fixtures.TINY_CNN, dir.resolve("tiny-classifier.pt"),
                "\"task\": \"classification\"");

        try (TorchScriptModel model = TorchScriptModel.load(file)) {
            assertThat(model.task()).contains(Task.CLASSIFICATION);
            assertThat(model.isDetector()).isFalse();
        }
    }

    @Test
    void layersPrintsTheTaskOnStandardErrorAndOnlyLayersOnStandardOutput(@TempDir Path dir) throws IOException {
        Path file = withMetadataField(Fixtures.TINY_CNN, dir.resolve("tiny-classifier.pt"),
                "\"task\": \"classification\"");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();

        int code = io.camunit.cli.Main.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "layers",
                "--model", file.toString());

        assertThat(code).isZero();
        assertThat(err.toString()).contains("Model tiny-classifier.pt: task classification (forward returns N x K"
                + " class scores)");
        assertThat(out.toString().lines()).extracting(l -> l.split(" ")[0]).containsExactly("features.4", "features.9");
    }

    @Test
    void aCutIsCheckedWithinAToleranceOfTheLargestOutput() {
        float[] forward = {100, -3, 0.5f};
        assertThat(TorchScriptModel.cutMismatch(forward, new float[] {100.01f, -3, 0.5f})).isNull();
        assertThat(TorchScriptModel.cutMismatch(forward, new float[] {100.02f, -3, 0.5f}))
                .startsWith("head(features(x)) differs from forward(x) by up to 0.0")
                .endsWith("(tolerance 0.010100000000000001, 3 outputs)");
    }

    @Test
    void aModelGivingNanEverywhereIsNotRefusedForItsCut() {
        float[] nan = {Float.NaN, Float.NaN, Float.POSITIVE_INFINITY};
        assertThat(TorchScriptModel.cutMismatch(nan, nan.clone())).isNull();
    }

    @Test
    void aNonFiniteOutputOnOneSideOnlyIsNamedWithItsPosition() {
        assertThat(TorchScriptModel.cutMismatch(new float[] {1, 2}, new float[] {1, Float.NaN}))
                .isEqualTo("head(features(x)) gives NaN at output 1 where forward(x) gives 2.0");
        assertThat(TorchScriptModel.cutMismatch(new float[] {1, 2}, new float[] {1, 2, 3}))
                .isEqualTo("head(features(x)) gives 3 outputs where forward(x) gives 2");
    }

    @Test
    void inputOptionsReplaceTheFileMetadata() {
        try (TorchScriptModel m = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN)
                .optInput(InputSpec.of(32, 32)).optClasses(List.of("a", "b", "c")).build()) {
            assertThat(m.input()).isEqualTo(InputSpec.of(32, 32));
            assertThat(m.classes()).containsExactly("a", "b", "c");
        }
    }

    @Test
    void aBuilderChangedAfterBuildChangesNeitherTheModelNorItsRandomisedCopy() {
        TorchScriptModel.Builder b = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN).optInputSize(32, 32)
                .optClasses(List.of("a", "b", "c"));
        try (TorchScriptModel m = b.build()) {
            b.setPath(Path.of("fixtures/models/shapes-clean.pt")).optInputSize(16, 16).optClasses(List.of("x"));
            try (TorchScriptModel random = m.randomised(7)) {
                assertThat(random.name()).isEqualTo("tiny-cnn.pt");
                assertThat(random.layers()).isEqualTo(m.layers());
                assertThat(random.input()).isEqualTo(m.input());
                assertThat(random.input().width()).isEqualTo(32);
                assertThat(random.classes()).containsExactly("a", "b", "c");
            }
            assertThat(m.input().width()).isEqualTo(32);
            assertThat(m.classes()).containsExactly("a", "b", "c");
        }
    }

    @Test
    void aRandomisedCopyOfAFileChangedSinceLoadingIsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.copy(Fixtures.TINY_CNN, dir.resolve("m.pt"));
        try (TorchScriptModel m = TorchScriptModel.load(file)) {
            Files.copy(Path.of("fixtures/models/shapes-clean.pt"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> m.randomised(7)).isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model file " + file.toAbsolutePath() + " changed since model m.pt was"
                            + " loaded from it (SHA-256 ")
                    .hasMessageEndingWith("so a randomised copy would not be a copy of this model. Load the model"
                            + " again, or keep its file unchanged while it is in use.");
        }
    }
}
