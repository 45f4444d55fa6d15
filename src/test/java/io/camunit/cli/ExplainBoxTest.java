package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.Npy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camunit explain --box X,Y,W,H --target CLASS} explains one object of a detector, exactly as
 * the Java API explains that labelled object, and refuses what cannot name one object.
 */
class ExplainBoxTest {

    private static final String DETECTOR = "fixtures/models/shapes-detector.pt";
    private static final Path SCENE = Path.of("fixtures/shapes/test-multi/images/0001.png");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void aBoxAndAClassExplainThatObjectAsTheJavaApiExplainsItsLabelledObject(@TempDir Path dir) throws IOException {
        // Scene 0001's first object: a square with COCO bbox [65, 44, 22, 22] in the 96 x 96 image.
        int code = run("explain", "--model", DETECTOR, "--image", SCENE.toString(), "--method", "layer-cam",
                "--layer", "features.17", "--box", "65,44,22,22", "--target", "square", "--out", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        Explanation expected;
        try (TorchScriptModel model = TorchScriptModel.load(Path.of(DETECTOR))) {
            LabeledSample square = LabeledDataset.open(Path.of("fixtures/shapes/test-multi/coco.json")).samples().get(0)
                    .perObject().get(0);
            expected = Explainer.of(Method.LAYER_CAM, "features.17").explain(model, square);
        }
        assertThat(npy(dir.resolve("raw.npy"))).isEqualTo(expected.raw());
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("explanation.json"))).getAsJsonObject();
        assertThat(json.get("target").getAsString()).isEqualTo(expected.target())
                .startsWith("class 1 in box [x1=43.3").contains("matched: IoU");
        assertThat(json.get("target_label").getAsString()).isEqualTo("square");
        assertThat(out.toString()).contains("layer-cam at features.17 for class 1 in box");
    }

    @Test
    void theClassMayBeGivenByIndex(@TempDir Path dir) throws IOException {
        assertThat(run("explain", "--model", DETECTOR, "--image", SCENE.toString(), "--method", "layer-cam",
                "--layer", "features.17", "--box", "65,44,22,22", "--target", "1", "--out", dir.toString()))
                .as(err.toString()).isZero();

        assertThat(Files.readString(dir.resolve("explanation.json"))).contains("\"target_label\": \"square\"");
    }

    @Test
    void aBoxOnAClassifierIsRefusedSayingWhatMakesADetector(@TempDir Path dir) {
        int code = run("explain", "--model", "fixtures/models/shapes-clean.pt", "--image", SCENE.toString(),
                "--box", "65,44,22,22", "--target", "square", "--out", dir.toString());

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("Option --box explains one object of a detector, but model shapes-clean.pt"
                + " does not state that it is one (camunit.json \"task\": \"detection\"");
    }

    @Test
    void aBoxNeedsTheObjectsClass(@TempDir Path dir) {
        assertThat(run("explain", "--model", DETECTOR, "--image", SCENE.toString(), "--box", "65,44,22,22",
                "--out", dir.toString())).isNotZero();
        assertThat(err.toString()).contains("Option --box needs the object's class: give --target as a class name or"
                + " index (the model's classes: [circle, square, triangle, star])");

        assertThat(run("explain", "--model", DETECTOR, "--image", SCENE.toString(), "--box", "65,44,22,22",
                "--target", "hexagon", "--out", dir.toString())).isNotZero();
        assertThat(err.toString()).contains("Option --target must name one of the detector's classes [circle, square,"
                + " triangle, star] (by name or index from 0) for --box; got 'hexagon'.");
    }

    @Test
    void aMalformedBoxIsRefusedWithTheFormItExpects() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ExplainCommand.parseBox("65,44,22")))
                .hasMessage("--box must be X,Y,W,H in the image's pixels (left, top, width, height, as a COCO bbox),"
                        + " e.g. 12,30,40,25; got '65,44,22': 3 numbers.");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ExplainCommand.parseBox("65,44,x,22")))
                .hasMessageEndingWith(": 'x' is not a number.");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ExplainCommand.parseBox("65,44,0,22")))
                .hasMessageContaining("a positive size");
        assertThat(ExplainCommand.parseBox(" 65, 44.5,22,22 ")).isEqualTo(io.camunit.region.Box.coco(65, 44.5, 22, 22));
    }

    private static Heatmap npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString());
        }
    }
}
