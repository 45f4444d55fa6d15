package io.camunit.cli;

import static io.camunit.assertj.CamAssertions.assertThat;

import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.gate.Baseline;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One vocabulary and one comparison on both surfaces: a baseline the command line records is read
 * by the AssertJ assertion, and one the assertion records is read by the command line, with the
 * same values to the last bit.
 */
class BaselinesAcrossSurfacesTest {

    private static final String CLEAN = "fixtures/models/shapes-clean.pt";
    private static final String SHORTCUT = "fixtures/models/shapes-shortcut.pt";
    private static final String TEST = "fixtures/shapes/test/coco.json";
    private static final String MARKED = "fixtures/shapes/test-marked/coco.json";

    private static int evaluate(StringWriter out, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("evaluate"));
        all.addAll(List.of(args));
        return Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), all.toArray(String[]::new));
    }

    @Test
    void aBaselineTheCommandLineSavesIsReadByTheAssertion(@TempDir Path dir) {
        int code = evaluate(new StringWriter(), "--model", CLEAN, "--data", TEST, "--metrics", "mass-inside,top-10.0-inside",
                "--save-baselines", dir.resolve("baselines").toString(), "--baseline-name", "shapes-clean@1",
                "--out", dir.resolve("out").toString());
        assertThat(code).isZero();
        Baseline mass = Baseline.load(dir.resolve("baselines/grad-cam/mass-inside.json"));
        assertThat(mass.model()).isEqualTo("shapes-clean@1");
        assertThat(mass.layers()).containsExactly("features.10");
        assertThat(mass.samples()).hasSize(60);
        assertThat(dir.resolve("baselines/grad-cam/top-10-inside.json")).as("the canonical name").exists();
        List<LabeledSample> test = LabeledDataset.open(Path.of(TEST)).samples();
        try (TorchScriptModel model = TorchScriptModel.load(Path.of(CLEAN))) {
            // Tolerance 0: the assertion measures exactly what the command line recorded.
            assertThat(Explainer.of(Method.GRAD_CAM, "features.10").over(model, test))
                    .massInside(LabeledSample::region).doesNotRegressFrom(mass, 0);
        }
    }

    @Test
    void aBaselineTheAssertionRecordsIsReadByTheCommandLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mass-inside.json");
        try (TorchScriptModel model = TorchScriptModel.load(Path.of(CLEAN))) {
            Baseline.record("shapes-clean@1", assertThat(Explainer.of(Method.GRAD_CAM, "features.10")
                    .over(model, LabeledDataset.open(Path.of(TEST)).samples())).massInside(LabeledSample::region)
                    .sampleValues()).save(file);
        }
        StringWriter same = new StringWriter();
        assertThat(evaluate(same, "--model", CLEAN, "--data", TEST, "--metrics", "mass-inside", "--baseline",
                file.toString(), "--baseline-tolerance", "0", "--out", dir.resolve("clean").toString())).isZero();
        assertThat(same.toString()).contains("PASS  grad-cam  mass-inside does not drop by more than 0 from baseline"
                + " shapes-clean@1: 0 of 60 baseline samples dropped by more than 0 or have no value");

        StringWriter worse = new StringWriter();
        assertThat(evaluate(worse, "--model", SHORTCUT, "--data", MARKED, "--metrics", "mass-inside", "--baseline",
                file.toString(), "--baseline-tolerance", "0.05", "--out", dir.resolve("shortcut").toString()))
                .isEqualTo(EvaluateCommand.GATE_FAILED);
        assertThat(worse.toString()).contains("FAIL  grad-cam  mass-inside does not drop by more than 0.05 from"
                + " baseline shapes-clean@1: ");
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("shortcut/summary.json")))
                .getAsJsonObject();
        JsonObject comparison = summary.getAsJsonArray("baselines").get(0).getAsJsonObject();
        assertThat(comparison.get("passed").getAsBoolean()).isFalse();
        assertThat(comparison.get("compared").getAsInt()).isEqualTo(60);
        assertThat(comparison.get("regressed").getAsInt()).isPositive();
    }

    @Test
    void aBaselineNeedsATolerance(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "evaluate", "--model", CLEAN,
                "--data", TEST, "--baseline", dir.resolve("b.json").toString(), "--out", dir.resolve("out").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("camunit: Option --baseline needs --baseline-tolerance T");
    }
}
