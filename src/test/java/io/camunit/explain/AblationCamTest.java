package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.model.BlockModel;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDManager;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Ablation-CAM on heads that are global average pooling + a linear layer, where it has a closed
 * form: ablating channel k to the value v changes the logit of class c by
 * {@code W[c,k] * (mean(A_k) - v)}, so {@code w[k] = W[c,k] * (mean(A_k) - v) / y}.
 */
class AblationCamTest {

    private static float[] lowResMap(BlockModel model, Target target, MethodOptions options) {
        try (NDManager scope = model.newScope()) {
            return new AblationCam().compute(model, TwoChannelModel.input(scope), TwoChannelModel.LAYER, List.of(target),
                    options).maps().get(0);
        }
    }

    private static void assertMap(float[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSize(expected.length);
        for (int p = 0; p < expected.length; p++) {
            assertThat((double) actual[p]).as("position " + p).isCloseTo(expected[p], within(tolerance));
        }
    }

    @Test
    void aLayerWithMinimumZeroIsAblatedToZero() {
        // A0 = [[1, 0], [0, 0]], A1 = [[0.5, 1], [1, 1]]: min 0, so v = 0. Class 0: y = 0.5 + 2/4 - 7/8 = 1/8,
        // w0 = 2 * (1/4) / (1/8) = 4, w1 = -1 * (7/8) / (1/8) = -7; map = 4 A0 - 7 A1.
        try (BlockModel model = TwoChannelModel.build(0, 0.5f)) {
            assertMap(lowResMap(model, Target.classIndex(0), MethodOptions.DEFAULTS), new double[] {0.5, -7, -7, -7}, 1e-5);
        }
    }

    @Test
    void aLayerWithANonZeroMinimumIsAblatedToTenMillionBelowIt() {
        // shift0 = 0.25: A0 = [[1.25, 0.25], [0.25, 0.25]], min A = 0.25, v = 0.25 - 1e7; mean(A0) = 1/2.
        // Class 0: y = 0.5 + 2 * 0.5 - 0.875 = 0.625; w0 = 2 (0.5 - v) / 0.625 = 3.2 (1e7 + 0.25),
        // w1 = -(0.875 - v) / 0.625 = -1.6 (1e7 + 0.625).
        double w0 = 3.2 * (1e7 + 0.25);
        double w1 = -1.6 * (1e7 + 0.625);
        double[] expected = {1.25 * w0 + 0.5 * w1, 0.25 * w0 + w1, 0.25 * w0 + w1, 0.25 * w0 + w1};
        try (BlockModel model = TwoChannelModel.build(0.25f, 0.5f)) {
            float[] map = lowResMap(model, Target.classIndex(0), MethodOptions.DEFAULTS);
            // float32 logits near 2e7 are exact to about 2 units: relative 1e-6.
            assertMap(map, expected, 1e-6 * Math.abs(w0));
        }
    }

    @Test
    void theAblationValueIsZeroOnlyForAMinimumOfExactlyZero() {
        assertThat(AblationCam.ablationValue(0)).isEqualTo(0);
        assertThat(AblationCam.ablationValue(-0.0)).isEqualTo(0);
        assertThat(AblationCam.ablationValue(1e-30)).isEqualTo(1e-30 - 1e7);
        assertThat(AblationCam.ablationValue(-3)).isEqualTo(-3 - 1e7);
    }

    @Test
    void ablationCamOnALinearHeadEqualsItsClosedForm() {
        // tiny-cnn's features.9 is a ReLU feeding global average pooling and the final linear layer.
        TorchScriptModel model = Fixtures.tinyCnn();
        float[][] fc = model.classifierWeights();
        List<Target> targets = List.of(Target.predicted(), Target.classIndex(2), Target.classIndex(0));
        try (NDManager scope = model.newScope()) {
            var batch = model.toBatch(scope, List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2)));
            LayerCapture c = LayerCapture.take(model, batch, "features.9", targets, false);
            BatchMaps maps = new AblationCam().compute(model, batch, "features.9", targets,
                    MethodOptions.DEFAULTS.with("chunk-size=5"));
            int positions = c.height() * c.width();
            for (int n = 0; n < targets.size(); n++) {
                LayerActivations a = c.sample(n, null);
                assertThat(min(a.activations())).isZero();
                int cls = c.targetClasses()[n];
                double y = c.scores()[n];
                float[] w = new float[c.channels()];
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (fc[cls][k] * (a.activationSum(k) / positions - 0) / y);
                }
                float[] expected = Method.CAM.map(c.sample(n, w));
                double scale = max(expected);
                assertThat(maps.targetClasses()[n]).isEqualTo(cls);
                for (int p = 0; p < positions; p++) {
                    assertThat((double) maps.maps().get(n)[p]).as("image " + n + " position " + p)
                            .isCloseTo(expected[p], within(1e-4 * scale));
                }
            }
        }
    }

    @Test
    void chunkSizeDoesNotChangeTheMap() {
        TorchScriptModel model = Fixtures.tinyCnn();
        Explanation one = Explainer.builder().setMethod(Method.ABLATION_CAM).addLayer("features.4")
                .optOptions(MethodOptions.DEFAULTS.with("chunk-size=3")).build()
                .explain(model, Fixtures.scene(1), Target.predicted());
        Explanation all = Explainer.of(Method.ABLATION_CAM, "features.4").explain(model, Fixtures.scene(1), Target.predicted());
        assertThat(one.raw().maxAbsDifference(all.raw())).isLessThan(1e-5);
    }

    @Test
    void chunksFreeTheirArraysWhenTheyEnd() {
        TorchScriptModel model = Fixtures.tinyCnn();
        assertThat(arraysLeftAfter(model, 1)).isEqualTo(arraysLeftAfter(model, 32));
    }

    private static int arraysLeftAfter(TorchScriptModel model, int chunk) {
        try (NDManager scope = model.newScope()) {
            new AblationCam().compute(model, model.toBatch(scope, List.of(Fixtures.scene(0), Fixtures.scene(1))),
                    "features.9", List.of(Target.predicted(), Target.predicted()),
                    MethodOptions.DEFAULTS.withOption("chunk-size", Integer.toString(chunk)));
            return scope.getManagedArrays().size();
        }
    }

    @Test
    void aTargetScoreOfZeroIsAnErrorBecauseTheWeightsDivideByIt() {
        Target zero = Target.score("0 x logit 0", row -> row.get(0).mul(0));
        try (BlockModel model = TwoChannelModel.build(0, 0.5f)) {
            assertThatThrownBy(() -> lowResMap(model, zero, MethodOptions.DEFAULTS))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Ablation-CAM divides by the target score, but the score of 0 x logit 0 is exactly 0"
                            + " for the image at batch index 0 (layer '01Conv2d' of model two-channel). Explain a"
                            + " class with a non-zero score, or use grad-cam or score-cam.");
        }
    }

    @Test
    void aNonFiniteScoreIsAnError() {
        Target nan = Target.score("log of -1", row -> row.get(0).mul(0).sub(1).log());
        try (BlockModel model = TwoChannelModel.build(0, 0.5f)) {
            assertThatThrownBy(() -> lowResMap(model, nan, MethodOptions.DEFAULTS))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Model two-channel gives a non-finite score (NaN) for log of -1 on the unablated"
                            + " input, so its weight cannot be computed. Check the model for overflow on such inputs,"
                            + " or use a gradient method (grad-cam).");
        }
    }

    private static float min(float[] values) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
