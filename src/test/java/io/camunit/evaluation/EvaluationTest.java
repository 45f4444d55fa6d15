package io.camunit.evaluation;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.gate.Gate;
import io.camunit.gate.Verdict;
import io.camunit.metric.SampleMetric;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** An evaluation from Java: what {@code camunit evaluate} prints, judged by the gates the assertions use. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationTest {

    private final TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
    private final List<LabeledSample> test = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
    private final Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void aGateGivesTheSameVerdictInAnEvaluationAndInAnAssertion() {
        Gate gate = Gate.parse("peak-inside >= 1 for 80%");
        List<MeasuredSample> rows = new ArrayList<>();
        EvaluationResult r = Evaluation.builder().setModel(model).setSamples(test).setExplainers(List.of(gradCam))
                .optMetrics(SampleMetric.parseList("peak-inside,mass-inside")).optGates(List.of(gate))
                .optKeepValues(true).build()
                .run(new EvaluationListener() {
                    @Override
                    public void measured(MeasuredSample row) {
                        rows.add(row);
                    }
                });
        Verdict evaluated = r.verdicts().get(0).verdict();
        Verdict asserted = gate.judge(assertThat(gradCam.over(model, test)).peakInside(LabeledSample::region)
                .sampleValues().values());
        assertThat(evaluated.passed()).isTrue();
        assertThat(evaluated.summary()).isEqualTo(asserted.summary()).isEqualTo("58/60 samples (96.7 %)");
        assertThat(r.passed()).isTrue();
        assertThat(rows).hasSize(60);
        assertThat(r.statistics("grad-cam", "peak-inside").overall().mean()).isEqualTo(58 / 60.0);
        assertThat(r.sampleValues("grad-cam", "mass-inside").values()).hasSize(60);
    }

    @Test
    void anUnknownLabelFailsTheBuildBeforeAnythingIsExplained() {
        try (TorchScriptModel tiny = TorchScriptModel.load(Path.of("fixtures/models/tiny-cnn.pt"))) {
            assertThatThrownBy(() -> Evaluation.builder().setModel(tiny).setSamples(test)
                            .setExplainers(List.of(Explainer.of(Method.GRAD_CAM, "features.9"))).build())
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model tiny-cnn.pt does not know the label 'star' (15 samples, e.g.");
        }
    }

    @Test
    void onlyTheClassesTheModelKnowsCanBeEvaluated() {
        try (TorchScriptModel tiny = TorchScriptModel.load(Path.of("fixtures/models/tiny-cnn.pt"))) {
            Evaluation known = Evaluation.builder().setModel(tiny).setSamples(test)
                    .setExplainers(List.of(Explainer.of(Method.GRAD_CAM, "features.9")))
                    .optClasses(List.of("circle", "square", "triangle")).build();

            assertThat(known.size()).isEqualTo(45);
            assertThat(known.samples()).extracting(LabeledSample::label).doesNotContain("star");
        }
    }

    @Test
    void classesNoSampleHasAreRefusedListingThoseThereAre() {
        assertThatThrownBy(() -> Evaluation.builder().setModel(model).setSamples(test).setExplainers(List.of(gradCam))
                        .optClasses(List.of("hexagon")).build())
                .hasMessage("No sample has an object of the classes [hexagon] to evaluate; the samples' classes are"
                        + " [square, circle, triangle, star]. Name classes of the data set (--classes, optClasses).");
    }

    @Test
    void aGateOnAMetricTheEvaluationDoesNotMeasureIsRefused() {
        assertThatThrownBy(() -> Evaluation.builder().setModel(model).setSamples(test).setExplainers(List.of(gradCam))
                        .optMetrics(SampleMetric.parseList("mass-inside"))
                        .optGates(List.of(Gate.parse("peak-inside >= 1 for 80%"))).build())
                .hasMessage("Gate \"peak-inside >= 1 for 80%\" is on metric 'peak-inside', which this evaluation does"
                        + " not measure; its metrics are mass-inside.");
    }
}
