package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files evidence becomes, on hand-made 4 x 4 samples whose metrics are exact: names, MIME
 * types, picture sizes from the layout constants, the map round trip, and the JSON and CSV contents.
 */
class EvidenceAttachmentsTest {

    /** The labelled object of every sample: the top-left 2 x 2 pixels. */
    static final Box OBJECT = Box.coco(0, 0, 2, 2);

    /** A 4 x 4 map with {@code tenths} at (0, 0) and the rest of 10 at (3, 3): mass inside OBJECT is tenths / 10. */
    static Explanation explanation(String id, int tenths) {
        float[] v = new float[16];
        v[0] = tenths;
        v[15] = 10 - tenths;
        Heatmap map = Heatmap.of(4, 4, v);
        return new Explanation(id, 4, 4, Method.GRAD_CAM, List.of("features.10"), "class 0", 0, "circle", 2.5, 1, map,
                map.normalised(), List.of(map), Explanation.Pipeline.DEFAULT);
    }

    /** A labelled sample whose 4 x 4 image file exists, so pictures can be drawn. */
    static LabeledSample sample(Path dir, String id, String label) {
        BufferedImage white = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                white.setRGB(x, y, 0xFFFFFF);
            }
        }
        Path file = Png.write(white, dir.resolve(id));
        return new LabeledSample(id, file, 4, 4, List.of(new LabeledObject(label, OBJECT)), Optional.empty());
    }

    static MetricValue massAtLeastHalf(double value) {
        return new MetricValue("mass-inside", OptionalDouble.of(value), ">= 0.5", OptionalDouble.of(0.5), Optional.empty());
    }

    static BufferedImage decode(Attachment a) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(a.bytes()));
    }

    static JsonObject json(Attachment a) {
        return JsonParser.parseString(new String(a.bytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void aFailedSampleGivesOverlayMapAndMetricsWithExactValues() throws IOException {
        Explanation e = explanation("images/a.png", 2);
        List<Attachment> files = EvidenceAttachments.of(SampleEvidence.failed(e, OBJECT, massAtLeastHalf(0.2)), 12);

        assertThat(files).extracting(Attachment::name).containsExactly("overlay images/a.png",
                "heatmap images/a.png (raw, 4x4)", "metrics images/a.png");
        assertThat(files).extracting(Attachment::mimeType).containsExactly("image/png", "application/octet-stream",
                "application/json");
        assertThat(files).extracting(Attachment::extension).containsExactly("png", "npy", "json");

        // 4 x 4 magnified 4 times (the most), colour bar, three caption lines (method, target, metric).
        BufferedImage overlay = decode(files.get(0));
        assertThat(EvidenceAttachments.scale(4, 4)).isEqualTo(4);
        assertThat(overlay.getWidth()).isEqualTo(16 + EvidencePicture.BAR_GAP + EvidencePicture.BAR_WIDTH);
        assertThat(overlay.getHeight()).isEqualTo(16 + 3 * 12 + EvidencePicture.CAPTION_PADDING);

        assertThat(Npy.read(new ByteArrayInputStream(files.get(1).bytes()), "map")).isEqualTo(e.raw());

        assertThat(json(files.get(2))).isEqualTo(JsonParser.parseString("""
                {"kind": "sample", "sample": "images/a.png", "label": null, "model": null, "method": "grad-cam",
                 "layers": ["features.10"], "target": "circle", "target_class": 0, "predicted_class": 1,
                 "score": 2.5, "metric": "mass-inside", "value": 0.2, "condition": ">= 0.5", "threshold": 0.5,
                 "note": null,
                 "region": {"description": "box [0, 0, 2, 2]", "pixels": 4, "bounds": [0, 0, 2, 2],
                            "image_width": 4, "image_height": 4},
                 "distractor": null, "peak": [3, 3], "mass_inside": 0.2,
                 "heatmap": {"map": "raw", "width": 4, "height": 4}, "image_known": false}
                """));
    }

    @Test
    void aKnownModelAndSampleAppearInTheMetricsAndAnUnknownExplanationStaysAsItIs(@TempDir Path dir) {
        Explanation e = explanation("a.png", 2);
        LabeledSample s = sample(dir, "a.png", "circle");
        SampleEvidence bare = SampleEvidence.failed(e, OBJECT, massAtLeastHalf(0.2));
        SampleEvidence filled = bare.withContext(x -> Optional.empty());
        assertThat(filled).isSameAs(bare);
        SampleEvidence known = new SampleEvidence(e, Optional.of(OBJECT), bare.metric(), Optional.of("m.pt"),
                Optional.of(s), Optional.empty());
        JsonObject metrics = json(EvidenceAttachments.of(known, 12).get(2));
        assertThat(metrics.get("model").getAsString()).isEqualTo("m.pt");
        assertThat(metrics.get("label").getAsString()).isEqualTo("circle");
        assertThat(metrics.get("image_known").getAsBoolean()).isTrue();
        assertThat(known.models()).containsExactly("m.pt");
        assertThat(known.methods()).containsExactly("grad-cam");
        assertThat(known.layers()).containsExactly("features.10");
    }

    /**
     * a 0.8 (circle), b 0.2 (square), c 0.6 (circle), d 0.4 (square), e no value (square); gate
     * {@code mass-inside >= 0.5 for 90%}, tallied as the assertions tally it.
     */
    static DatasetEvidence gate(Path dir) {
        Gate gate = Gate.parse("mass-inside >= 0.5 for 90%");
        SampleTally<ExplainedSample> tally = gate.tally(24, true);
        String[] ids = {"a.png", "b.png", "c.png", "d.png", "e.png"};
        String[] labels = {"circle", "square", "circle", "square", "square"};
        int[] tenths = {8, 2, 6, 4, 0};
        for (int i = 0; i < 5; i++) {
            ExplainedSample x = new ExplainedSample(sample(dir, ids[i], labels[i]), explanation(ids[i], tenths[i]),
                    Optional.of("m.pt"));
            tally.add(new SampleValue(ids[i], labels[i], i < 4 ? tenths[i] / 10.0 : null, i < 4 ? null
                    : "degenerate map"), x);
        }
        Verdict v = gate.judge(tally);
        java.util.function.Function<SampleValue, DatasetEvidence.SampleResult> result = x -> new DatasetEvidence
                .SampleResult(x.id(), x.label(), x.hasValue() ? OptionalDouble.of(x.value()) : OptionalDouble.empty(),
                        tally.passes(x), Optional.ofNullable(x.reason()), Optional.of("m.pt"));
        return new DatasetEvidence("mass-inside", gate.toString(), v.outcome(), v.figures(),
                tally.all().stream().map(result).toList(), v.perClass(), tally.worst().stream()
                        .map(k -> new DatasetEvidence.WorstSample(k.payload(), result.apply(k.value()))).toList(),
                List.of("grad-cam"), List.of("features.10"));
    }

    @Test
    void aFailedGateGivesContactSheetPerClassTableAndMetrics(@TempDir Path dir) throws IOException {
        List<Attachment> files = EvidenceAttachments.of(gate(dir), 12);
        assertThat(files).extracting(Attachment::name).containsExactly("worst 5 of 5 mass-inside",
                "per class mass-inside", "metrics mass-inside gate");
        assertThat(files).extracting(Attachment::mimeType).containsExactly("image/png", "text/csv", "application/json");

        // Five 4 x 4 pictures in cells of the smallest size (96), four per row: two rows.
        BufferedImage sheet = decode(files.get(0));
        assertThat(sheet.getWidth()).isEqualTo(ContactSheet.GAP + 4 * (96 + ContactSheet.GAP));
        assertThat(sheet.getHeight()).isEqualTo(ContactSheet.TITLE_HEIGHT + 2 * (96 + ContactSheet.CAPTION_HEIGHT
                + ContactSheet.GAP));

        // circle: 0.8 and 0.6 pass, mean 0.7; square: 0.2, 0.4 and no value fail, mean of the two values 0.3.
        assertThat(new String(files.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("""
                class,samples,passed,pass_rate,mean,missing
                circle,2,2,1.000000,0.700000,0
                square,3,0,0.000000,0.300000,1
                (all),5,2,0.400000,0.500000,1
                """);

        JsonObject metrics = json(files.get(2));
        assertThat(metrics.get("gate").getAsString()).isEqualTo("mass-inside >= 0.5 for 90%");
        assertThat(metrics.get("outcome").getAsString()).isEqualTo("2/5 samples (40.0 %), 1 without a value");
        assertThat(metrics.get("threshold").getAsDouble()).isEqualTo(0.5);
        assertThat(metrics.get("required_fraction").getAsDouble()).isEqualTo(0.9);
        assertThat(metrics.get("rate").getAsDouble()).isEqualTo(0.4);
        assertThat(metrics.get("samples").getAsInt()).isEqualTo(5);
        assertThat(metrics.get("passed").getAsInt()).isEqualTo(2);
        assertThat(metrics.get("missing").getAsInt()).isEqualTo(1);
        assertThat(metrics.getAsJsonArray("models").asList()).extracting(m -> m.getAsString()).containsExactly("m.pt");
        // The square mean is (0.2 + 0.4) / 2 in doubles, 0.30000000000000004.
        assertThat(metrics.getAsJsonArray("per_class")).isEqualTo(JsonParser.parseString("""
                [{"class": "circle", "samples": 2, "passed": 2, "pass_rate": 1.0, "mean": 0.7, "missing": 0},
                 {"class": "square", "samples": 3, "passed": 0, "pass_rate": 0.0, "mean": 0.30000000000000004,
                  "missing": 1}]
                """));
        assertThat(metrics.getAsJsonArray("worst").asList()).extracting(w -> w.getAsJsonObject().get("sample")
                .getAsString()).containsExactly("e.png", "b.png", "d.png", "c.png", "a.png");
        assertThat(metrics.getAsJsonArray("worst").get(0)).isEqualTo(JsonParser.parseString("""
                {"sample": "e.png", "label": "square", "model": "m.pt", "value": null, "passed": false,
                 "note": "degenerate map"}
                """));
        assertThat(metrics.getAsJsonArray("values").asList()).extracting(w -> w.getAsJsonObject().get("sample")
                .getAsString()).containsExactly("a.png", "b.png", "c.png", "d.png", "e.png");
    }

    @Test
    void thePerClassTableIsTheSameUnderAGermanDefaultLocale(@TempDir Path dir) {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.GERMANY);
        try {
            assertThat(new String(EvidenceAttachments.of(gate(dir), 12).get(1).bytes(), StandardCharsets.UTF_8))
                    .contains("circle,2,2,1.000000,0.700000,0");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void theContactSheetShowsOnlyTheWorstN(@TempDir Path dir) throws IOException {
        List<Attachment> files = EvidenceAttachments.of(gate(dir), 2);
        assertThat(files.get(0).name()).isEqualTo("worst 2 of 5 mass-inside");
        assertThat(decode(files.get(0)).getHeight()).isEqualTo(ContactSheet.TITLE_HEIGHT + 96
                + ContactSheet.CAPTION_HEIGHT + ContactSheet.GAP);
        JsonObject metrics = json(files.get(2));
        assertThat(metrics.getAsJsonArray("worst")).hasSize(2);
        assertThat(metrics.getAsJsonArray("values")).hasSize(5);
    }

    @Test
    void oneExplainedSampleGivesItsThreeFilesAndSeveralASheetAndAList(@TempDir Path dir) throws IOException {
        SampleEvidence a = new SampleEvidence(explanation("a.png", 8), Optional.of(OBJECT), Optional.empty(),
                Optional.of("m.pt"), Optional.of(sample(dir, "a.png", "circle")), Optional.empty());
        SampleEvidence b = new SampleEvidence(explanation("b.png", 2), Optional.empty(), Optional.empty(),
                Optional.of("m.pt"), Optional.empty(), Optional.of(InputImage.of("b.png", new BufferedImage(4, 4,
                        BufferedImage.TYPE_INT_RGB))));
        assertThat(EvidenceAttachments.of(ExplainedEvidence.of(List.of(a)), 12)).extracting(Attachment::name)
                .containsExactly("explained overlay a.png", "explained heatmap a.png (raw, 4x4)",
                        "explained metrics a.png");

        List<Attachment> two = EvidenceAttachments.of(ExplainedEvidence.of(List.of(a, b)), 12);
        assertThat(two).extracting(Attachment::name).containsExactly("explained 2 of 2", "explained 2");
        assertThat(decode(two.get(0)).getWidth()).isEqualTo(ContactSheet.GAP + 4 * (96 + ContactSheet.GAP));
        assertThat(json(two.get(1))).isEqualTo(JsonParser.parseString("""
                {"kind": "explained", "count": 2, "shown": 2, "explanations": [
                  {"sample": "a.png", "model": "m.pt", "method": "grad-cam", "layers": ["features.10"],
                   "target": "circle", "target_class": 0, "predicted_class": 1, "score": 2.5},
                  {"sample": "b.png", "model": "m.pt", "method": "grad-cam", "layers": ["features.10"],
                   "target": "circle", "target_class": 0, "predicted_class": 1, "score": 2.5}]}
                """));
    }

    @Test
    void picturesAreMagnifiedTowards384PixelsAtMostFourTimes() {
        assertThat(EvidenceAttachments.scale(64, 64)).isEqualTo(4);
        assertThat(EvidenceAttachments.scale(96, 128)).isEqualTo(3);
        assertThat(EvidenceAttachments.scale(128, 96)).isEqualTo(3);
        assertThat(EvidenceAttachments.scale(224, 224)).isEqualTo(1);
        assertThat(EvidenceAttachments.scale(1024, 768)).isEqualTo(1);
        assertThat(EvidenceAttachments.cellSide(4)).isEqualTo(96);
        assertThat(EvidenceAttachments.cellSide(128)).isEqualTo(128);
        assertThat(EvidenceAttachments.cellSide(1024)).isEqualTo(160);
    }
}
