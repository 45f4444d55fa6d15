package com.example.shapes;

import static com.example.shapes.ShapesFiles.CLEAN;
import static com.example.shapes.ShapesFiles.LAYER;
import static com.example.shapes.ShapesFiles.TEST;
import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.explain.Method.GRAD_CAM;

import io.camunit.explain.Explainer;
import io.camunit.gate.Baseline;
import io.camunit.junit.CamTest;
import io.camunit.junit.UseDataset;
import io.camunit.junit.UseExplainer;
import io.camunit.junit.UseModel;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A regression test against a recorded baseline: the share of the Grad-CAM map inside the object
 * (mass-inside) may not drop by more than 0.05 on any test sample from what the released model
 * had. The baseline was recorded once, for the released model, with camunit's command line:
 *
 * <pre>
 * java -jar camunit.jar evaluate --model models/shapes-clean.pt --data data/test/coco.json \
 *     --method grad-cam --layer features.10 --metrics mass-inside \
 *     --save-baselines src/test/resources/baselines --baseline-name shapes-clean@1 --out target/baseline-run
 * </pre>
 *
 * (or from Java: {@code Baseline.record("shapes-clean@1", assertThat(explained).massInside(LabeledSample::region)
 * .sampleValues()).save(path)}). Every later model of the project is checked against it.
 */
@CamTest
class BaselineRegressionTest {

    /** Recorded for shapes-clean@1; commit it with the tests. */
    private static final Path RELEASED = Path.of("src/test/resources/baselines/grad-cam/mass-inside.json");

    @Test
    @DisplayName("shapes-clean: mass inside the object does not drop from the released model's baseline")
    void doesNotRegressFromTheReleasedModel(@UseDataset(TEST) LabeledDataset data, @UseModel(CLEAN) CamModel model,
            @UseExplainer(method = GRAD_CAM, layer = LAYER) Explainer gradCam) {
        assertThat(gradCam.over(model, data.samples())).massInside(LabeledSample::region)
                .doesNotRegressFrom(Baseline.load(RELEASED), 0.05);
    }
}
