package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gate a user would write, "the peak lies on the object for at least 80 % of test samples",
 * passes for the clean fixture model and stops the shortcut model, whichever gradient method
 * explains them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseGateMethodsTest {

    private final TorchScriptModel clean = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
    private final TorchScriptModel shortcut = TorchScriptModel.load(Path.of("fixtures/models/shapes-shortcut.pt"));
    private final List<LabeledSample> test = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
    private final List<LabeledSample> marked = LabeledDataset.open(Path.of("fixtures/shapes/test-marked/coco.json")).samples();

    @AfterAll
    void close() {
        clean.close();
        shortcut.close();
    }

    /**
     * The chain a new user writes first, {@code ...peakInside(region).isAtLeast(1);}, is a check of
     * every sample: the shortcut model, whose peak is on the object for 3 of 60 samples, fails it.
     */
    @Test
    void theGateWrittenWithoutAShareIsACheckOfEverySampleAndStopsTheShortcutModel() {
        Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
        assertThatThrownBy(() -> assertThat(gradCam.over(shortcut, marked)).peakInside(LabeledSample::region)
                        .isAtLeast(1))
                .isInstanceOf(CamAssertionError.class)
                .hasMessageContaining("Expecting peak-inside >= 1 for at least 100.0 % of 60 samples but it held for"
                        + " 3 (5.0 %)");
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"GRAD_CAM", "GRAD_CAM_PLUS_PLUS", "LAYER_CAM", "HIRES_CAM"})
    void cleanPassesAndShortcutIsStopped(Method method) {
        Explainer explainer = Explainer.of(method, "features.10");
        assertThat(explainer.over(clean, test)).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
        assertThatThrownBy(() -> assertThat(explainer.over(shortcut, marked))
                        .peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8)))
                .hasMessageContaining("Expecting peak-inside >= 1 for at least 80.0 % of 60 samples");
    }
}
