package com.example.shapes;

import static com.example.shapes.ShapesFiles.CLEAN;
import static com.example.shapes.ShapesFiles.LAYER;
import static com.example.shapes.ShapesFiles.SHORTCUT;
import static com.example.shapes.ShapesFiles.TEST;
import static com.example.shapes.ShapesFiles.TEST_MARKED;
import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.explain.Method.GRAD_CAM;

import io.camunit.explain.Explainer;
import io.camunit.junit.CamTest;
import io.camunit.junit.LabeledSamples;
import io.camunit.junit.UseExplainer;
import io.camunit.junit.UseModel;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledSample;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Sample by sample: the Grad-CAM peak lies on the labelled object (within 15 px), one test per
 * image. The shortcut model's test fails on purpose: each failure carries the image's overlay.
 *
 * <pre>{@code
 * assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
 * }</pre>
 */
@CamTest
class LooksAtEachObjectTest {

    @ParameterizedTest
    @LabeledSamples(value = TEST, limit = 6)
    @DisplayName("shapes-clean looks at the object")
    void cleanModelLooksAtEachObject(LabeledSample s, @UseModel(CLEAN) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = LAYER) Explainer gradCam) {
        assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
    }

    @ParameterizedTest
    @LabeledSamples(value = TEST_MARKED, limit = 2)
    @DisplayName("shapes-shortcut looks at the object (fails on purpose: it looks at the corner mark)")
    void shortcutModelLooksAtEachObject(LabeledSample s, @UseModel(SHORTCUT) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = LAYER) Explainer gradCam) {
        assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
    }
}
