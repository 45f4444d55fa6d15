package io.camunit.junit;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.forAtLeast;
import static io.camunit.explain.Method.GRAD_CAM;

import io.camunit.explain.Explainer;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The README's "JUnit 5 extension" example, run for real: it must compile and pass as printed there. */
@CamTest
class ReadmeExampleTest {

    @ParameterizedTest
    @LabeledSamples(value = "fixtures/shapes/test/coco.json", limit = 10)
    void looksAtTheObject(LabeledSample s, @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
                          @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
    }

    @Test
    void looksAtTheObjectOnMostOfTheTestSet(@UseDataset("fixtures/shapes/test/coco.json") LabeledDataset data,
                                            @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
                                            @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
        assertThat(gradCam.over(model, data.samples()))
                .peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
    }
}
