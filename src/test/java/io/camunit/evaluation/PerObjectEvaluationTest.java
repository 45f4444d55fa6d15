package io.camunit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.assertj.CamAssertions;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.HandBuiltDetector;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleValue;
import io.camunit.metric.SampleMetric;
import io.camunit.model.BlockModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector is evaluated object by object. {@link HandBuiltDetector} at 64 x 64 has one candidate per
 * quadrant, predicting circle, square, triangle, circle; test scene 0001 (128 x 96) is labelled with
 * a circle filling the top-left quadrant, a square filling the top-right one and a star in the
 * bottom-left one, which no candidate predicts. Layer-CAM of a quadrant's candidate lies in that
 * quadrant alone, so its peak is inside that object's box.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerObjectEvaluationTest {

    private static final List<String> CLASSES = List.of("circle", "square", "triangle", "star");

    private final BlockModel detector = HandBuiltDetector.of(64, 64, 4, new int[] {0, 1, 2, 0}, 0.05, 1, 4, CLASSES);
    private final Explainer layerCam = Explainer.of(Method.LAYER_CAM, HandBuiltDetector.LAYER);
    private final Explainer eigenCam = Explainer.of(Method.EIGEN_CAM, HandBuiltDetector.LAYER);
    private List<LabeledSample> samples;

    @BeforeAll
    void data(@TempDir Path dir) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(Path.of("fixtures/shapes/test/images/0001.png"), images.resolve("0001.png"));
        String json = "{\"categories\": [{\"id\": 1, \"name\": \"circle\"}, {\"id\": 2, \"name\": \"square\"},"
                + " {\"id\": 3, \"name\": \"triangle\"}, {\"id\": 4, \"name\": \"star\"}],"
                + " \"images\": [{\"id\": 1, \"file_name\": \"images/0001.png\", \"width\": 128, \"height\": 96}],"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 64, 48]},"
                + " {\"id\": 2, \"image_id\": 1, \"category_id\": 2, \"bbox\": [64, 0, 64, 48]},"
                + " {\"id\": 3, \"image_id\": 1, \"category_id\": 4, \"bbox\": [0, 48, 64, 48]}]}";
        samples = LabeledDataset.open(Files.writeString(dir.resolve("coco.json"), json)).samples();
    }

    @AfterAll
    void close() {
        detector.close();
    }

    private EvaluationResult evaluate(List<MeasuredSample> rows, Gate... gates) {
        return Evaluation.builder().setModel(detector).setSamples(samples).setExplainers(List.of(layerCam, eigenCam))
                .optMetrics(SampleMetric.parseList("peak-inside,mass-inside")).optGates(List.of(gates))
                .optKeepValues(true).build()
                .run(new EvaluationListener() {
                    @Override
                    public void measured(MeasuredSample row) {
                        rows.add(row);
                    }
                });
    }

    @Test
    void everyLabelledObjectIsOneRowNamedByImageAndObjectIndex() {
        List<MeasuredSample> rows = new ArrayList<>();
        EvaluationResult r = evaluate(rows);

        assertThat(r.samples()).isEqualTo(3);
        assertThat(r.sampleValues("layer-cam", "peak-inside").values()).extracting(SampleValue::id, SampleValue::label)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("images/0001.png#0", "circle"),
                        org.assertj.core.groups.Tuple.tuple("images/0001.png#1", "square"),
                        org.assertj.core.groups.Tuple.tuple("images/0001.png#2", "star"));
        assertThat(rows).filteredOn(row -> row.method().equals("layer-cam"))
                .extracting(row -> row.explanation().target())
                .satisfiesExactly(
                        t -> assertThat(t).startsWith("class 0 in box [x1=0, y1=0, x2=32, y2=32]; candidate 0 of 4 matched"),
                        t -> assertThat(t).startsWith("class 1 in box [x1=32, y1=0, x2=64, y2=32]; candidate 1 of 4 matched"),
                        t -> assertThat(t).startsWith("class 3 in box [x1=0, y1=32, x2=32, y2=64]; no candidate matched"));
    }

    @Test
    void eachObjectIsMeasuredAgainstItsOwnBoxAndAnUnmatchedObjectHasNoValueAndTheReason() {
        List<SampleValue> peak = evaluate(new ArrayList<>()).sampleValues("layer-cam", "peak-inside").values();

        assertThat(peak.get(0).value()).isEqualTo(1.0);
        assertThat(peak.get(1).value()).isEqualTo(1.0);
        assertThat(peak.get(2).value()).isNull();
        assertThat(peak.get(2).reason()).startsWith("No candidate matched: none of the 4 candidates is predicted as"
                + " class 3 with IoU >= 0.5 (best IoU of a class-3 candidate: none predicted), score 0. The map has no"
                + " positive mass");
    }

    @Test
    void eigenCamNeedsNoMatchSoEveryObjectHasAValue() {
        List<SampleValue> mass = evaluate(new ArrayList<>()).sampleValues("eigen-cam", "mass-inside").values();

        assertThat(mass).hasSize(3).allSatisfy(v -> assertThat(v.value()).isNotNull());
    }

    @Test
    void gatesCountObjects() {
        EvaluationResult r = evaluate(new ArrayList<>(), Gate.parse("peak-inside >= 1 for 60%"));

        var verdict = r.verdicts().stream().filter(v -> v.method().equals("layer-cam")).findFirst().orElseThrow().verdict();
        assertThat(verdict.total()).isEqualTo(3);
        assertThat(verdict.passing()).isEqualTo(2);
        assertThat(verdict.missing()).isEqualTo(1);
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.summary()).isEqualTo("2/3 objects (66.7 %), 1 without a value");
    }

    @Test
    void aFailingDataSetAssertionOnPerObjectSamplesCountsObjects() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CamAssertions.assertThat(
                        layerCam.over(detector, LabeledSample.perObject(samples)))
                .peakInside(LabeledSample::region).isAtLeast(1, CamAssertions.forAll()))
                .hasMessageContaining("Expecting peak-inside >= 1 for at least 100.0 % of 3 objects but it held for 2"
                        + " (66.7 %)")
                .hasMessageContaining("[peak-inside over 3 objects]")
                .hasMessageContaining("worst objects:");
    }

    @Test
    void theDataSetAssertionsReadPerObjectSamples() {
        CamAssertions.assertThat(layerCam.over(detector, LabeledSample.perObject(samples).subList(0, 2)))
                .peakInside(LabeledSample::region).isAtLeast(1, CamAssertions.forAll());
    }

    @Test
    void anExplainerGivenOneObjectOfADetectorExplainsItsBoxInInputPixels() {
        Explanation e = layerCam.explain(detector, LabeledSample.perObject(samples).get(1));

        assertThat(e.target()).startsWith(Target.box(Box.coco(32, 0, 32, 32), 1).description() + "; candidate 1 of 4");
        assertThat(e.targetLabel()).isEqualTo("square");
    }

    @Test
    void aDetectorHasNoPredictedClassToEvaluate() {
        assertThatThrownBy(() -> Evaluation.builder().setModel(detector).setSamples(samples)
                .setExplainers(List.of(layerCam)).optTarget(Evaluation.TargetMode.PREDICTED).build())
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model quadrant-detector is a detector: an image has no one predicted class");
    }
}
