package io.camunit.junit;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.explain.Method.GRAD_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.explain.Explainer;
import io.camunit.model.CamModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.report.Npy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Evidence without Allure's listener (the test kit runs the nested classes, so no Allure test case
 * belongs to them): plain files under {@code <camunit.report.dir>/evidence/<class>/<method>[<n>]/},
 * with safe names even for hostile sample ids, and soft-assertion failures with evidence too.
 */
class DirectoryEvidenceTest {

    static final String SHORTCUT = "fixtures/models/shapes-shortcut.pt";
    static final String MARKED = "fixtures/shapes/test-marked/coco.json";

    @CamTest
    static class ShortcutSample {
        @ParameterizedTest
        @LabeledSamples(value = MARKED, limit = 2)
        void peakLiesOnTheObject(LabeledSample s, @UseModel(SHORTCUT) CamModel model,
                                 @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
        }
    }

    /** Samples whose ids try to escape the evidence directory; the mass check cannot pass (more than 1). */
    @CamTest
    static class HostileIds {
        @ParameterizedTest
        @ValueSource(strings = {"../../x", "..", "/tmp/camunit-escape", "a\\..\\..\\b", "../../../etc/passwd"})
        void massInside(String id, @UseModel(SHORTCUT) CamModel model,
                        @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            LabeledSample real = LabeledDataset.open(Path.of(MARKED)).samples().get(0);
            LabeledSample hostile = new LabeledSample(id, real.imagePath(), real.width(), real.height(),
                    List.of(new LabeledObject("square", Box.coco(10, 10, 20, 20))), Optional.empty());
            assertThat(gradCam.explain(model, hostile)).massInside(hostile.region()).isGreaterThan(1.0);
        }
    }

    /** Two soft failures reported by AssertJ's extension after the test body. */
    @CamTest
    @ExtendWith(SoftAssertionsExtension.class)
    static class SoftFailures {
        @InjectSoftAssertions
        io.camunit.assertj.CamSoftAssertions softly;

        @ParameterizedTest
        @LabeledSamples(value = MARKED, limit = 1)
        void both(LabeledSample s, @UseModel(SHORTCUT) CamModel model,
                  @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            softly.assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
            softly.assertThat(gradCam.explain(model, s)).massInside(s.region()).isGreaterThan(0.5);
        }
    }

    static void run(Path reports, Class<?> testClass, int failures) {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameters(Map.of(CamSettings.REPORT_DIR, reports.toString())).execute()
                .testEvents().assertStatistics(s -> s.failed(failures));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void withoutAllureEachInvocationGetsItsDirectoryOfFilesThatOpen(@TempDir Path reports) throws IOException {
        run(reports, ShortcutSample.class, 2);
        Path classDir = reports.resolve("evidence").resolve("io.camunit.junit.DirectoryEvidenceTest_ShortcutSample");
        assertThat(names(classDir)).containsExactly("peakLiesOnTheObject[1]", "peakLiesOnTheObject[2]");
        Path first = classDir.resolve("peakLiesOnTheObject[1]");
        assertThat(names(first)).containsExactly("01-overlay_images_0001.png.png",
                "02-heatmap_images_0001.png_raw_64x64.npy", "03-metrics_images_0001.png.json");
        BufferedImage overlay = ImageIO.read(first.resolve("01-overlay_images_0001.png.png").toFile());
        assertThat(overlay.getWidth()).isEqualTo(3 * 128 + 8);
        try (InputStream in = Files.newInputStream(first.resolve("02-heatmap_images_0001.png_raw_64x64.npy"))) {
            assertThat(Npy.read(in, "heatmap").width()).isEqualTo(64);
        }
        JsonObject metrics = JsonParser.parseString(Files.readString(first.resolve("03-metrics_images_0001.png.json")))
                .getAsJsonObject();
        assertThat(metrics.get("sample").getAsString()).isEqualTo("images/0001.png");
        assertThat(metrics.get("model").getAsString()).isEqualTo("shapes-shortcut.pt");
        assertThat(names(classDir.resolve("peakLiesOnTheObject[2]"))).allMatch(n -> n.contains("images_0002.png"));
        // No temporary file is left behind: every write was temp-then-rename.
        try (Stream<Path> all = Files.walk(reports)) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".tmp"));
        }
    }

    @Test
    void aRerunReplacesTheEarlierRunsEvidenceAndLeavesOtherFiles(@TempDir Path reports) throws IOException {
        Path dir = reports.resolve("evidence/io.camunit.junit.DirectoryEvidenceTest_ShortcutSample/peakLiesOnTheObject[1]");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("04-stale_from_an_earlier_run.json"), "{}");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        run(reports, ShortcutSample.class, 2);
        assertThat(names(dir)).containsExactly("01-overlay_images_0001.png.png",
                "02-heatmap_images_0001.png_raw_64x64.npy", "03-metrics_images_0001.png.json", "notes.txt");
    }

    @Test
    void hostileSampleIdsStayInsideTheTestsDirectory(@TempDir Path root) throws IOException {
        Path reports = root.resolve("reports");
        run(reports, HostileIds.class, 5);
        Path methodDirs = reports.resolve("evidence").resolve("io.camunit.junit.DirectoryEvidenceTest_HostileIds");
        assertThat(names(methodDirs)).containsExactly("massInside[1]", "massInside[2]", "massInside[3]",
                "massInside[4]", "massInside[5]");
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(15);
            for (Path f : files) {
                assertThat(f.getParent().getParent()).isEqualTo(methodDirs);
                assertThat(f.getFileName().toString()).matches("\\d{2}-[A-Za-z0-9_][A-Za-z0-9._-]*\\.(png|npy|json)");
            }
        }
        assertThat(names(methodDirs.resolve("massInside[1]"))).containsExactly("01-overlay_.._.._x.png",
                "02-heatmap_.._.._x_raw_64x64.npy", "03-metrics_.._.._x.json");
        assertThat(Path.of("/tmp/camunit-escape")).doesNotExist();
        // The id is kept as it is inside the JSON, where it is only text.
        JsonObject metrics = JsonParser.parseString(Files.readString(methodDirs.resolve("massInside[1]")
                .resolve("03-metrics_.._.._x.json"))).getAsJsonObject();
        assertThat(metrics.get("sample").getAsString()).isEqualTo("../../x");
        assertThat(metrics.get("condition").getAsString()).isEqualTo("> 1.0");
    }

    @Test
    void softAssertionFailuresReportedAfterTheBodyCarryTheirEvidence(@TempDir Path reports) throws IOException {
        run(reports, SoftFailures.class, 1);
        Path dir = reports.resolve("evidence/io.camunit.junit.DirectoryEvidenceTest_SoftFailures/both[1]");
        assertThat(names(dir)).containsExactly("01-overlay_images_0001.png.png",
                "02-heatmap_images_0001.png_raw_64x64.npy", "03-metrics_images_0001.png.json",
                "04-overlay_images_0001.png.png", "05-heatmap_images_0001.png_raw_64x64.npy",
                "06-metrics_images_0001.png.json");
        assertThat(JsonParser.parseString(Files.readString(dir.resolve("03-metrics_images_0001.png.json")))
                .getAsJsonObject().get("metric").getAsString()).isEqualTo("peak-inside");
        assertThat(JsonParser.parseString(Files.readString(dir.resolve("06-metrics_images_0001.png.json")))
                .getAsJsonObject().get("metric").getAsString()).isEqualTo("mass-inside");
    }
}
