package io.camunit.junit;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.forAtLeast;
import static io.camunit.explain.Method.GRAD_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.engine.EngineCheck;
import io.camunit.engine.EngineVerdict;
import io.camunit.explain.Explainer;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.ContactSheet;
import io.camunit.report.EvidenceAttachments;
import io.camunit.report.EvidencePicture;
import io.camunit.report.Npy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The must-show of evidence: deliberately failing {@code @CamTest}s run through the JUnit Launcher
 * with Allure's listener writing to a temporary directory, and the Allure results they leave: a
 * failed status, attachments on disk with their MIME types that open (PNG of the expected size,
 * JSON, {@code .npy} of the map's shape), and the model, method and layer labels. The nested
 * classes run only through the Launcher here (Surefire skips nested classes).
 */
class AllureEvidenceTest {

    static final String SHORTCUT = "fixtures/models/shapes-shortcut.pt";
    static final String CLEAN = "fixtures/models/shapes-clean.pt";
    static final String MARKED = "fixtures/shapes/test-marked/coco.json";
    static final String TEST_SET = "fixtures/shapes/test/coco.json";
    /** Samples the gate runs on: few, to keep the test fast. */
    static final int GATE_SAMPLES = 6;

    /** The release gate on the shortcut model, which looks at the mark: it fails. */
    @CamTest
    static class ShortcutGate {
        @Test
        void peakLiesOnTheObject(@UseDataset(MARKED) LabeledDataset data, @UseModel(SHORTCUT) CamModel model,
                                 @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            assertThat(gradCam.over(model, data.samples().subList(0, GATE_SAMPLES)))
                    .peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
        }
    }

    /** One sample of the shortcut model: its peak is on the mark, not the object. */
    @CamTest
    static class ShortcutSample {
        @ParameterizedTest
        @LabeledSamples(value = MARKED, limit = 1)
        void peakLiesOnTheObject(LabeledSample s, @UseModel(SHORTCUT) CamModel model,
                                 @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
        }
    }

    /** One sample of the clean model, which passes. */
    @CamTest
    static class CleanSample {
        @ParameterizedTest
        @LabeledSamples(value = TEST_SET, limit = 1)
        void peakLiesOnTheObject(LabeledSample s, @UseModel(CLEAN) CamModel model,
                                 @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
        }
    }

    /** An Allure test result as written, with the directory its attachments are in. */
    record Result(JsonObject json, Path dir) {
        String status() {
            return json.get("status").getAsString();
        }

        List<JsonObject> attachments() {
            List<JsonObject> out = new ArrayList<>();
            json.getAsJsonArray("attachments").forEach(a -> out.add(a.getAsJsonObject()));
            return out;
        }

        Map<String, List<String>> labels() {
            Map<String, List<String>> out = new HashMap<>();
            for (JsonElement l : json.getAsJsonArray("labels")) {
                out.computeIfAbsent(l.getAsJsonObject().get("name").getAsString(), k -> new ArrayList<>())
                        .add(l.getAsJsonObject().get("value").getAsString());
            }
            return out;
        }

        Path file(JsonObject attachment) {
            return dir.resolve(attachment.get("source").getAsString());
        }
    }

    /**
     * Runs a test class through the Launcher with Allure's JUnit listener on a lifecycle that writes
     * to {@code results}; Allure's global lifecycle points there for the run and is restored after.
     */
    static List<Result> runWithAllure(Path results, Map<String, String> config, Class<?> testClass) throws IOException {
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        AllureLifecycle previous = Allure.getLifecycle();
        Allure.setLifecycle(lifecycle);
        try {
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .enablePostDiscoveryFilterAutoRegistration(false)
                    .addTestExecutionListeners(new AllureJunitPlatform(lifecycle)).build());
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                    .configurationParameters(config).build());
        } finally {
            Allure.setLifecycle(previous);
        }
        List<Result> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                out.add(new Result(JsonParser.parseString(Files.readString(f)).getAsJsonObject(), results));
            }
        }
        return out;
    }

    static Result onlyResult(List<Result> results) {
        assertThat(results).as("Allure test results").hasSize(1);
        return results.get(0);
    }

    static Map<String, String> config(Path reportDir, String policy) {
        return Map.of(CamSettings.REPORT_DIR, reportDir.toString(), CamSettings.EVIDENCE_POLICY, policy);
    }

    static BufferedImage png(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as("decoded " + file).isNotNull();
        return image;
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    static Heatmap npy(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Npy.read(in, file.toString());
        }
    }

    @Test
    void aFailingGateLeavesAFailedResultWithContactSheetPerClassTableMetricsAndLabels(@TempDir Path results,
            @TempDir Path reports) throws IOException {
        Result r = onlyResult(runWithAllure(results, config(reports, "on-failure"), ShortcutGate.class));
        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.json().getAsJsonObject("statusDetails").get("message").getAsString())
                .contains("Expecting peak-inside >= 1 for at least 80.0 % of 6 samples");
        assertThat(r.labels()).containsEntry("model", List.of("shapes-shortcut.pt"))
                .containsEntry("method", List.of("grad-cam")).containsEntry("layer", List.of("features.10"));
        assertThat(r.labels().get("tag")).contains("model:shapes-shortcut.pt", "method:grad-cam", "layer:features.10");

        List<JsonObject> attachments = r.attachments();
        assertThat(attachments).extracting(a -> a.get("type").getAsString())
                .containsExactly("image/png", "text/csv", "application/json");
        assertThat(attachments).extracting(a -> a.get("name").getAsString())
                .containsExactly("worst 6 of 6 peak-inside", "per class peak-inside", "metrics peak-inside gate");
        for (JsonObject a : attachments) {
            assertThat(r.file(a)).isRegularFile();
        }

        // The contact sheet: 6 cells in rows of 4, each as large as the largest of the 6 images (128 x 128).
        List<LabeledSample> shown = LabeledDataset.open(Path.of(MARKED)).samples().subList(0, GATE_SAMPLES);
        int cellW = EvidenceAttachments.cellSide(shown.stream().mapToInt(LabeledSample::width).max().orElseThrow());
        int cellH = EvidenceAttachments.cellSide(shown.stream().mapToInt(LabeledSample::height).max().orElseThrow());
        assertThat(cellW).isEqualTo(128);
        assertThat(cellH).isEqualTo(128);
        BufferedImage sheet = png(r.file(attachments.get(0)));
        assertThat(sheet.getWidth()).isEqualTo(ContactSheet.GAP + 4 * (cellW + ContactSheet.GAP));
        assertThat(sheet.getHeight()).isEqualTo(ContactSheet.TITLE_HEIGHT
                + 2 * (cellH + ContactSheet.CAPTION_HEIGHT + ContactSheet.GAP));

        JsonObject metrics = json(r.file(attachments.get(2)));
        assertThat(metrics.get("kind").getAsString()).isEqualTo("dataset");
        assertThat(metrics.get("metric").getAsString()).isEqualTo("peak-inside");
        assertThat(metrics.get("samples").getAsInt()).isEqualTo(GATE_SAMPLES);
        assertThat(metrics.get("threshold").getAsDouble()).isEqualTo(1.0);
        assertThat(metrics.get("required_fraction").getAsDouble()).isEqualTo(0.8);
        assertThat(metrics.getAsJsonArray("models").get(0).getAsString()).isEqualTo("shapes-shortcut.pt");
        int passed = metrics.get("passed").getAsInt();
        assertThat(passed).isLessThan(5);   // 80 % of 6 needs 5
        JsonArray values = metrics.getAsJsonArray("values");
        assertThat(values).hasSize(GATE_SAMPLES);
        long passedValues = values.asList().stream().filter(v -> v.getAsJsonObject().get("passed").getAsBoolean()).count();
        assertThat(passedValues).isEqualTo(passed);
        List<Double> worst = metrics.getAsJsonArray("worst").asList().stream()
                .map(v -> v.getAsJsonObject().get("value").getAsDouble()).toList();
        assertThat(worst).hasSize(GATE_SAMPLES).isSorted();

        // The per-class table agrees with the JSON: its last row counts every sample.
        List<String> rows = Files.readAllLines(r.file(attachments.get(1)));
        assertThat(rows.get(0)).isEqualTo("class,samples,passed,pass_rate,mean,missing");
        assertThat(rows.get(rows.size() - 1)).startsWith("(all)," + GATE_SAMPLES + "," + passed + ",");
        assertThat(rows.subList(1, rows.size() - 1).stream().mapToInt(row -> Integer.parseInt(row.split(",")[1])).sum())
                .isEqualTo(GATE_SAMPLES);
    }

    @Test
    void aFailingSampleLeavesOverlayMapAndMetricsThatOpen(@TempDir Path results, @TempDir Path reports)
            throws IOException {
        Result r = onlyResult(runWithAllure(results, config(reports, "on-failure"), ShortcutSample.class));
        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.labels()).containsEntry("model", List.of("shapes-shortcut.pt"))
                .containsEntry("method", List.of("grad-cam")).containsEntry("layer", List.of("features.10"));
        List<JsonObject> attachments = r.attachments();
        assertThat(attachments).extracting(a -> a.get("type").getAsString())
                .containsExactly("image/png", "application/octet-stream", "application/json");
        assertThat(attachments).extracting(a -> a.get("source").getAsString())
                .allMatch(s -> s.endsWith(".png") || s.endsWith(".npy") || s.endsWith(".json"));
        assertThat(r.file(attachments.get(1)).toString()).endsWith(".npy");

        // images/0001.png is 128 x 96: magnified 3 times (384 / 128), colour bar right, 3 caption lines below.
        LabeledSample first = LabeledDataset.open(Path.of(MARKED)).samples().get(0);
        assertThat(first.width()).isEqualTo(128);
        assertThat(first.height()).isEqualTo(96);
        BufferedImage overlay = png(r.file(attachments.get(0)));
        assertThat(overlay.getWidth()).isEqualTo(3 * 128 + EvidencePicture.BAR_GAP + EvidencePicture.BAR_WIDTH);
        assertThat(overlay.getHeight()).isEqualTo(3 * 96 + 3 * 12 + EvidencePicture.CAPTION_PADDING);

        // The raw map at the model's 64 x 64 input, as the JSON says.
        Heatmap map = npy(r.file(attachments.get(1)));
        JsonObject metrics = json(r.file(attachments.get(2)));
        assertThat(map.width()).isEqualTo(64).isEqualTo(metrics.getAsJsonObject("heatmap").get("width").getAsInt());
        assertThat(map.height()).isEqualTo(64).isEqualTo(metrics.getAsJsonObject("heatmap").get("height").getAsInt());
        assertThat(map.max()).isPositive();

        assertThat(metrics.get("kind").getAsString()).isEqualTo("sample");
        assertThat(metrics.get("sample").getAsString()).isEqualTo("images/0001.png");
        assertThat(metrics.get("model").getAsString()).isEqualTo("shapes-shortcut.pt");
        assertThat(metrics.get("method").getAsString()).isEqualTo("grad-cam");
        assertThat(metrics.getAsJsonArray("layers").get(0).getAsString()).isEqualTo("features.10");
        assertThat(metrics.get("target").getAsString()).isEqualTo(first.label());
        assertThat(metrics.get("metric").getAsString()).isEqualTo("peak-inside");
        assertThat(metrics.get("value").getAsDouble()).isEqualTo(0.0);
        assertThat(metrics.get("threshold").getAsDouble()).isEqualTo(1.0);
        assertThat(metrics.get("image_known").getAsBoolean()).isTrue();
        JsonObject region = metrics.getAsJsonObject("region");
        assertThat(region.get("pixels").getAsInt()).isEqualTo(first.mask().area());
        assertThat(region.get("image_width").getAsInt()).isEqualTo(128);
        // The shortcut model peaks at the mark in the top-left corner, far from the object.
        JsonArray peak = metrics.getAsJsonArray("peak");
        assertThat(peak.get(0).getAsInt()).isLessThan(16);
        assertThat(peak.get(1).getAsInt()).isLessThan(16);
    }

    @Test
    void theEngineChecksVerdictJoinsTheReportsEnvironmentKeepingItsEntries(@TempDir Path results, @TempDir Path reports)
            throws IOException {
        Files.writeString(results.resolve("environment.properties"), "team=vision\n");
        String previous = System.setProperty("allure.results.directory", results.toString());
        try {
            runWithAllure(results, config(reports, "on-failure"), CleanSample.class);
        } finally {
            if (previous == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previous);
            }
        }

        Properties environment = new Properties();
        try (Reader in = Files.newBufferedReader(results.resolve("environment.properties"))) {
            environment.load(in);
        }
        EngineVerdict verdict = EngineCheck.verdict();
        assertThat(environment).containsEntry("team", "vision")
                .containsEntry("camunit.engine.check", verdict.status().name().toLowerCase(Locale.ROOT))
                .containsEntry("camunit.engine.convolutions", verdict.kernels().id())
                .containsEntry("camunit.engine.cpu", verdict.cpu().describe())
                .containsEntry("camunit.engine.engine", verdict.engine())
                .containsEntry("camunit.engine.summary", verdict.summary());
    }

    @Test
    void policyNeverAttachesNothingButStillLabels(@TempDir Path results, @TempDir Path reports) throws IOException {
        Result r = onlyResult(runWithAllure(results, config(reports, "never"), ShortcutSample.class));
        assertThat(r.status()).isEqualTo("failed");
        assertThat(r.attachments()).isEmpty();
        assertThat(r.labels()).containsEntry("model", List.of("shapes-shortcut.pt"));
        assertThat(reports.resolve("evidence")).doesNotExist();
    }

    @Test
    void policyOnFailureAttachesNothingToAPassingTest(@TempDir Path results, @TempDir Path reports) throws IOException {
        Result r = onlyResult(runWithAllure(results, config(reports, "on-failure"), CleanSample.class));
        assertThat(r.status()).isEqualTo("passed");
        assertThat(r.attachments()).isEmpty();
        assertThat(r.labels()).containsEntry("model", List.of("shapes-clean.pt"));
    }

    @Test
    void policyAlwaysAttachesWhatAPassingTestExplained(@TempDir Path results, @TempDir Path reports)
            throws IOException {
        Result r = onlyResult(runWithAllure(results, config(reports, "always"), CleanSample.class));
        assertThat(r.status()).isEqualTo("passed");
        LabeledSample first = LabeledDataset.open(Path.of(TEST_SET)).samples().get(0);
        assertThat(r.attachments()).extracting(a -> a.get("name").getAsString()).containsExactly(
                "explained overlay " + first.id(), "explained heatmap " + first.id() + " (raw, 64x64)",
                "explained metrics " + first.id());
        JsonObject metrics = json(r.file(r.attachments().get(2)));
        assertThat(metrics.get("model").getAsString()).isEqualTo("shapes-clean.pt");
        assertThat(metrics.get("metric").isJsonNull()).isTrue();
        assertThat(metrics.getAsJsonObject("region").get("pixels").getAsInt()).isEqualTo(first.mask().area());
        assertThat(npy(r.file(r.attachments().get(1))).width()).isEqualTo(64);
        assertThat(png(r.file(r.attachments().get(0))).getWidth())
                .isEqualTo(EvidenceAttachments.scale(first.width(), first.height()) * first.width()
                        + EvidencePicture.BAR_GAP + EvidencePicture.BAR_WIDTH);
    }
}
