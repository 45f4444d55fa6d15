package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.engine.EngineCheck;
import io.camunit.engine.EngineVerdict;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.TorchScriptModel;
import io.camunit.report.Npy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    private static Heatmap npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString());
        }
    }

    @Test
    void explainWritesTheMapsTheOverlayAndTheRecord(@TempDir Path dir) throws IOException {
        Path image = Fixtures.GOLDENS.resolve("sample1-square.png");
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(), "--image", image.toString(),
                "--method", "grad-cam++", "--layer", "features.9", "--out", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        Explanation expected;
        try (TorchScriptModel model = TorchScriptModel.load(Fixtures.TINY_CNN)) {
            expected = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.9").explain(model, Fixtures.scene(1), Target.predicted());
        }
        assertThat(npy(dir.resolve("heatmap.npy"))).isEqualTo(expected.display());
        assertThat(npy(dir.resolve("raw.npy"))).isEqualTo(expected.raw());
        BufferedImage overlay = ImageIO.read(dir.resolve("overlay.png").toFile());
        assertThat(overlay.getWidth()).isEqualTo(64);
        assertThat(overlay.getHeight()).isEqualTo(64);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        assertThat(json.get("method").getAsString()).isEqualTo("grad-cam++");
        assertThat(json.get("layers").getAsJsonArray().get(0).getAsString()).isEqualTo("features.9");
        assertThat(json.get("target_class").getAsInt()).isEqualTo(1);
        assertThat(json.get("target_label").getAsString()).isEqualTo("square");
        assertThat(json.get("predicted_label").getAsString()).isEqualTo("square");
        assertThat(json.get("score").getAsDouble()).isCloseTo(6.899005889892578, within(1e-4));
        assertThat(out.toString()).contains("sample1-square.png: grad-cam++ at features.9 for square (class 1");
    }

    @Test
    void versionIsTheOneTheBuildWrote() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).isEqualTo("camunit " + io.camunit.CamunitVersion.current() + System.lineSeparator());
    }

    @Test
    void exportScriptWritesTheExporterThisJarReadsFilesOf(@TempDir Path dir) throws IOException {
        // The build writes the jar's version into the shipped copy, and changes nothing else.
        String source = Files.readString(Path.of("src/main/python/camunit_export.py"));
        String expected = source.replace("CAMUNIT_VERSION = \"@project.version@\"",
                "CAMUNIT_VERSION = \"" + io.camunit.CamunitVersion.current() + "\"");
        assertThat(expected).isNotEqualTo(source);

        assertThat(run("export-script")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(expected);
        assertThat(run("export-script", "--out", dir.resolve("camunit_export.py").toString())).isZero();
        assertThat(dir.resolve("camunit_export.py")).content().isEqualTo(expected);
    }

    @Test
    void theEngineChecksVerdictGoesToStandardErrorAndIntoExplanationJson(@TempDir Path dir) throws IOException {
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(), "--image",
                Fixtures.GOLDENS.resolve("sample1-square.png").toString(), "--method", "grad-cam", "--out", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        EngineVerdict verdict = EngineCheck.verdict();
        assertThat(err.toString()).isEqualTo("camunit: " + verdict.summary() + System.lineSeparator());
        JsonObject engine = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject()
                .getAsJsonObject("engine");
        assertThat(engine.get("status").getAsString()).isIn("verified", "worked_around");
        assertThat(engine.get("convolutions").getAsString()).isEqualTo(verdict.kernels().id());
        assertThat(engine.get("cpu").getAsString()).isEqualTo(verdict.cpu().describe());
        assertThat(engine.getAsJsonObject("probes").getAsJsonObject(verdict.kernels().id()).get("passed").getAsBoolean())
                .isTrue();
    }

    @Test
    void occlusionRunsOnAPlainTorchScriptFileWithoutALayer(@TempDir Path dir) throws IOException {
        Path image = Fixtures.GOLDENS.resolve("sample1-square.png");
        int code = run("explain", "--model", Fixtures.TINY_CNN_PLAIN.toString(), "--image", image.toString(),
                "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--method", "occlusion", "--option", "chunk-size=32",
                "--out", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        Explanation expected;
        try (TorchScriptModel model = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                .optInput(Fixtures.tinyCnn().input()).build()) {
            expected = Explainer.builder().setMethod(Method.OCCLUSION).build()
                    .explain(model, Fixtures.scene(1), Target.predicted());
        }
        assertThat(expected.raw().max()).isPositive();
        assertThat(npy(dir.resolve("heatmap.npy")).maxAbsDifference(expected.display())).isLessThan(1e-6);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        assertThat(json.get("method").getAsString()).isEqualTo("occlusion");
        assertThat(json.get("layers").getAsJsonArray()).isEmpty();
        assertThat(json.get("target_class").getAsInt()).isEqualTo(1);
        assertThat(out.toString()).contains("sample1-square.png: occlusion at the input for class 1 (class 1");
    }

    @Test
    void anOptionTheMethodDoesNotReadFailsBeforeTheModelLoads(@TempDir Path dir) {
        int code = run("explain", "--model", dir.resolve("missing.pt").toString(), "--image",
                Fixtures.GOLDENS.resolve("sample1-square.png").toString(), "--method", "grad-cam", "--option",
                "masks=100", "--out", dir.toString());

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("Method option masks is not read by grad-cam").doesNotContain("missing.pt");
    }

    @Test
    void severalImagesGetOneDirectoryEach(@TempDir Path dir) {
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(),
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(),
                "--image", Fixtures.GOLDENS.resolve("sample2-triangle.png").toString(), "--out", dir.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(dir.resolve("sample0-circle/heatmap.npy")).isRegularFile();
        assertThat(dir.resolve("sample2-triangle/overlay.png")).isRegularFile();
    }

    @Test
    void targetCanBeAClassName(@TempDir Path dir) throws IOException {
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(),
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(), "--target", "triangle",
                "--out", dir.toString());
        assertThat(code).as(err.toString()).isZero();
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        assertThat(json.get("target_class").getAsInt()).isEqualTo(2);
        assertThat(json.get("layers").getAsJsonArray().get(0).getAsString()).as("default: the last layer").isEqualTo("features.9");
    }

    @Test
    void layersListsTheCutPoints() {
        assertThat(run("layers", "--model", Fixtures.TINY_CNN.toString())).isZero();
        assertThat(out.toString().lines()).containsExactly(
                "features.4  nchw  channels first (N x C x h x w)",
                "features.9  nchw  channels first (N x C x h x w)");
    }

    @Test
    void layersShowsTheLayoutOfTokenLayers() {
        assertThat(run("layers", "--model", "fixtures/models/shapes-vit-clean.pt")).isZero();
        assertThat(out.toString().lines()).containsExactly(
                "encoder.layers.encoder_layer_0.ln_1  tokens:1:8x8  1 prefix token (carried across the cut, no map),"
                        + " then a grid of 8x8 tokens",
                "encoder.layers.encoder_layer_1.ln_1  tokens:1:8x8  1 prefix token (carried across the cut, no map),"
                        + " then a grid of 8x8 tokens");
    }

    @Test
    void layersOfAPlainFileSaysHowToExport() {
        assertThat(run("layers", "--model", Fixtures.TINY_CNN_PLAIN.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("plain TorchScript", "camunit_export.py");
    }

    @Test
    void badInputExitsWithOneAndAMessageWithoutAStackTrace(@TempDir Path dir) {
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(),
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(), "--layer", "layer4",
                "--out", dir.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("camunit: engine check: ")
                .contains("\ncamunit: Unknown layer 'layer4' in model tiny-cnn.pt").doesNotContain("\tat ");
    }

    @Test
    void unknownMethodNamesTheKnownOnes(@TempDir Path dir) {
        int code = run("explain", "--model", Fixtures.TINY_CNN.toString(),
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(), "--method", "score-cammm",
                "--out", dir.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Unknown method 'score-cammm'", "grad-cam++");
    }

    @Test
    void sizeOptionOverridesTheFileAndIsValidated(@TempDir Path dir) {
        assertThat(run("explain", "--model", Fixtures.TINY_CNN.toString(), "--size", "32x32",
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(), "--out", dir.toString()))
                .as(err.toString()).isZero();
        assertThat(run("explain", "--model", Fixtures.TINY_CNN.toString(), "--size", "32",
                "--image", Fixtures.GOLDENS.resolve("sample0-circle.png").toString(), "--out", dir.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--size must be WIDTHxHEIGHT");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        assertThat(run("explain", "--model", Fixtures.TINY_CNN.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required options", "--image", "--out");
    }
}
