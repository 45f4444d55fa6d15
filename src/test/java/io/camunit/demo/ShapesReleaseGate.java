package io.camunit.demo;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.explain.Method.GRAD_CAM;
import static io.camunit.explain.Method.LAYER_CAM;

import io.camunit.assertj.DatasetMetricAssert;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explainer;
import io.camunit.gate.Gate;
import io.camunit.junit.CamTest;
import io.camunit.junit.LabeledSamples;
import io.camunit.junit.UseDataset;
import io.camunit.junit.UseExplainer;
import io.camunit.junit.UseModel;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import io.qameta.allure.Feature;
import io.qameta.allure.Story;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The release gate of the demo ({@code mvn -Pdemo verify}), written as a user writes one: the same
 * Grad-CAM checks on the clean model and on the shortcut model, which looks at a corner mark on
 * {@code test-marked}, and the same gate with Layer-CAM on the clean and shortcut ViTs (a small
 * vision transformer trained the same way, explained at its last block's token grid), and a per-object
 * gate with Layer-CAM on the clean and shortcut detectors on {@code test-multi-marked}, where marks at
 * every object's box corners name and place it. The shortcut models' tests are meant to fail: that is
 * the gate catching them.
 * Tagged {@value #TAG} so the normal test run leaves it out; the demo's own surefire run selects it.
 *
 * <pre>{@code
 * mvn -B -Pdemo verify      # runs this class, the HTML report, and ReleaseGateSummary's verdicts
 * }</pre>
 */
@CamTest
@Tag(ShapesReleaseGate.TAG)
@Feature("Release gate: the explanation looks at the object")
class ShapesReleaseGate {

    /** The JUnit tag that keeps this suite out of the normal test run. */
    static final String TAG = "release-gate-demo";

    private static final String TEST = "fixtures/shapes/test/coco.json";
    private static final String TEST_MARKED = "fixtures/shapes/test-marked/coco.json";
    private static final String CLEAN = "fixtures/models/shapes-clean.pt";
    private static final String SHORTCUT = "fixtures/models/shapes-shortcut.pt";
    private static final String VIT_CLEAN = "fixtures/models/shapes-vit-clean.pt";
    private static final String VIT_SHORTCUT = "fixtures/models/shapes-vit-shortcut.pt";
    /** The ViTs' last block, at the input of its attention: the 8x8 grid of tokens (the class token excluded). */
    private static final String VIT_LAYER = "encoder.layers.encoder_layer_1.ln_1";
    /** The gate: the Grad-CAM peak lies on the object (within 15 px) for at least 80 % of the samples. */
    private static final Gate GATE = Gate.parse("peak-inside >= 1 for 80%");
    private static final String TEST_MULTI_MARKED = "fixtures/shapes/test-multi-marked/coco.json";
    private static final String DETECTOR = "fixtures/models/shapes-detector.pt";
    private static final String DETECTOR_SHORTCUT = "fixtures/models/shapes-detector-shortcut.pt";
    /**
     * The detectors' gate: the Layer-CAM peak of each object's box target (at the 16 x 16 layer) lies in
     * the box for at least 75 % of the objects; the clean detector's peaks do for about 84 %, the shortcut
     * detector's, on the marks, for about 55 %.
     */
    private static final Gate DETECTOR_GATE = Gate.parse("peak-inside >= 1 for 75%");

    @Test
    @Story("shapes-clean")
    @DisplayName("shapes-clean on test: Grad-CAM peak on the object for at least 80 % of the samples")
    void cleanModelLooksAtTheObjectOnTheTestSet(@UseDataset(TEST) LabeledDataset data, @UseModel(CLEAN) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        peakInsideGate("shapes-clean", TEST, gradCam, gradCam.over(model, data.samples()));
    }

    @Test
    @Story("shapes-shortcut")
    @DisplayName("shapes-shortcut on test-marked: Grad-CAM peak on the object for at least 80 % of the samples")
    void shortcutModelLooksAtTheObjectOnTheMarkedTestSet(@UseDataset(TEST_MARKED) LabeledDataset data,
            @UseModel(SHORTCUT) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        peakInsideGate("shapes-shortcut", TEST_MARKED, gradCam, gradCam.over(model, data.samples()));
    }

    @Test
    @Story("shapes-vit-clean")
    @DisplayName("shapes-vit-clean on test: Layer-CAM peak on the object for at least 80 % of the samples")
    void cleanVitLooksAtTheObjectOnTheTestSet(@UseDataset(TEST) LabeledDataset data, @UseModel(VIT_CLEAN) CamModel vit,
            @UseExplainer(method = LAYER_CAM, layer = VIT_LAYER) Explainer layerCam) {
        peakInsideGate("shapes-vit-clean", TEST, layerCam, layerCam.over(vit, data.samples()));
    }

    @Test
    @Story("shapes-vit-shortcut")
    @DisplayName("shapes-vit-shortcut on test-marked: Layer-CAM peak on the object for at least 80 % of the samples")
    void shortcutVitLooksAtTheObjectOnTheMarkedTestSet(@UseDataset(TEST_MARKED) LabeledDataset data,
            @UseModel(VIT_SHORTCUT) CamModel vit, @UseExplainer(method = LAYER_CAM, layer = VIT_LAYER) Explainer layerCam) {
        peakInsideGate("shapes-vit-shortcut", TEST_MARKED, layerCam, layerCam.over(vit, data.samples()));
    }

    @Test
    @Story("shapes-detector")
    @DisplayName("shapes-detector on test-multi-marked: Layer-CAM peak in each object's box for at least 75 % of the"
            + " objects")
    void detectorLooksAtEachObject(@UseDataset(TEST_MULTI_MARKED) LabeledDataset data,
            @UseModel(DETECTOR) CamModel detector,
            @UseExplainer(method = LAYER_CAM, layer = "features.5") Explainer layerCam) {
        gate("shapes-detector", TEST_MULTI_MARKED, layerCam, layerCam.over(detector, data.perObjectSamples()),
                DETECTOR_GATE);
    }

    @Test
    @Story("shapes-detector-shortcut")
    @DisplayName("shapes-detector-shortcut on test-multi-marked: Layer-CAM peak in each object's box for at least"
            + " 75 % of the objects")
    void shortcutDetectorLooksAtEachObject(@UseDataset(TEST_MULTI_MARKED) LabeledDataset data,
            @UseModel(DETECTOR_SHORTCUT) CamModel detector,
            @UseExplainer(method = LAYER_CAM, layer = "features.5") Explainer layerCam) {
        gate("shapes-detector-shortcut", TEST_MULTI_MARKED, layerCam, layerCam.over(detector, data.perObjectSamples()),
                DETECTOR_GATE);
    }

    @ParameterizedTest
    @Story("shapes-clean")
    @DisplayName("shapes-clean on test, sample by sample: Grad-CAM peak on the object")
    @LabeledSamples(value = TEST, limit = 6)
    void cleanModelLooksAtEachObject(LabeledSample s, @UseModel(CLEAN) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
    }

    @ParameterizedTest
    @Story("shapes-shortcut")
    @DisplayName("shapes-shortcut on test-marked, sample by sample: Grad-CAM peak on the object")
    @LabeledSamples(value = TEST_MARKED, limit = 6)
    void shortcutModelLooksAtEachObject(LabeledSample s, @UseModel(SHORTCUT) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
    }

    /**
     * Records the gate's verdict (for the report and the demo's summary), then asserts the gate. A user's
     * test is the last line alone: {@code assertThat(explained).peakInside(LabeledSample::region)
     * .isAtLeast(1, forAtLeast(0.8))}, the same gate.
     */
    private static void peakInsideGate(String model, String data, Explainer explainer, ExplainedSamples explained) {
        gate(model, data, explainer, explained, GATE);
    }

    private static void gate(String model, String data, Explainer explainer, ExplainedSamples explained, Gate gate) {
        DatasetMetricAssert peakInside = assertThat(explained).peakInside(LabeledSample::region);
        String by = explainer.method().id() + " at " + String.join(",", explainer.layers());
        GateOutcome.of(model, data, by, peakInside.verdict(gate)).attach();
        peakInside.meets(gate);
    }
}
