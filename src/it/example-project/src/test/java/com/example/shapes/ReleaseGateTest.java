package com.example.shapes;

import static com.example.shapes.ShapesFiles.CLEAN;
import static com.example.shapes.ShapesFiles.LAYER;
import static com.example.shapes.ShapesFiles.SHORTCUT;
import static com.example.shapes.ShapesFiles.TEST;
import static com.example.shapes.ShapesFiles.TEST_MARKED;
import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.forAtLeast;
import static io.camunit.explain.Method.GRAD_CAM;

import io.camunit.explain.Explainer;
import io.camunit.junit.CamTest;
import io.camunit.junit.UseDataset;
import io.camunit.junit.UseExplainer;
import io.camunit.junit.UseModel;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The release gate over a whole data set: the Grad-CAM peak lies on the object for at least 80 %
 * of the samples. The clean model passes (58 of 60); the shortcut model, on images whose corner
 * mark names the class, is caught (3 of 60), and its failure carries a contact sheet of the worst
 * samples and a per-class table.
 *
 * <pre>{@code
 * assertThat(gradCam.over(model, data.samples())).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
 * }</pre>
 */
@CamTest
class ReleaseGateTest {

    @Test
    @DisplayName("shapes-clean: peak on the object for at least 80 % of the test set")
    void cleanModelPassesTheGate(@UseDataset(TEST) LabeledDataset data, @UseModel(CLEAN) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = LAYER) Explainer gradCam) {
        assertThat(gradCam.over(model, data.samples())).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
    }

    @Test
    @DisplayName("shapes-shortcut: peak on the object for at least 80 % of the marked test set (fails on purpose)")
    void shortcutModelPassesTheGate(@UseDataset(TEST_MARKED) LabeledDataset data, @UseModel(SHORTCUT) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = LAYER) Explainer gradCam) {
        assertThat(gradCam.over(model, data.samples())).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
    }
}
