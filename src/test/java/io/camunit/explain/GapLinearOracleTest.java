package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.Fixtures;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDManager;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle of docs/pipeline.md: when the layer feeds global average pooling and one
 * linear layer, {@code G[k,i,j] = W_fc[c,k] / (h*w)}, so Grad-CAM, XGrad-CAM, HiResCAM and CAM give
 * the same display map, and Layer-CAM is CAM restricted to channels with positive weight.
 * features.9 of tiny-cnn is such a layer.
 */
class GapLinearOracleTest {

    private final TorchScriptModel model = Fixtures.tinyCnn();

    private Heatmap display(Method method, InputImage image, int target) {
        return Explainer.of(method, "features.9").explain(model, image, Target.classIndex(target)).display();
    }

    @ParameterizedTest(name = "scene {0}")
    @ValueSource(ints = {0, 1, 2})
    void gradCamXGradCamAndHiResCamEqualCam(int scene) {
        InputImage image = Fixtures.scene(scene);
        for (int target = 0; target < 3; target++) {
            Heatmap cam = display(Method.CAM, image, target);
            assertThat(cam.max()).isGreaterThan(0.99f);
            for (Method m : List.of(Method.GRAD_CAM, Method.XGRAD_CAM, Method.HIRES_CAM)) {
                assertThat(display(m, image, target).maxAbsDifference(cam)).as(m + " class " + target).isLessThan(1e-5);
            }
        }
    }

    @ParameterizedTest(name = "scene {0}")
    @ValueSource(ints = {0, 1, 2})
    void gradientsAreTheClassifierWeightsOverThePositions(int scene) {
        float[][] w = model.classifierWeights();
        try (NDManager scope = model.newScope()) {
            LayerCapture c = LayerCapture.take(model, model.toBatch(scope, List.of(Fixtures.scene(scene))),
                    "features.9", List.of(Target.classIndex(1)), true);
            int positions = c.height() * c.width();
            for (int k = 0; k < c.channels(); k++) {
                for (int p = 0; p < positions; p++) {
                    assertThat((double) c.gradients().get(0)[k * positions + p])
                            .isCloseTo(w[1][k] / positions, org.assertj.core.api.Assertions.within(1e-7));
                }
            }
        }
    }

    @ParameterizedTest(name = "scene {0}")
    @ValueSource(ints = {0, 1, 2})
    void layerCamIsCamOverThePositivelyWeightedChannels(int scene) {
        InputImage image = Fixtures.scene(scene);
        float[] row = model.classifierWeights()[2].clone();
        for (int k = 0; k < row.length; k++) {
            row[k] = Math.max(row[k], 0);
        }
        try (NDManager scope = model.newScope()) {
            LayerCapture c = LayerCapture.take(model, model.toBatch(scope, List.of(image)), "features.9",
                    List.of(Target.classIndex(2)), false);
            Heatmap expected = Heatmap.of(c.width(), c.height(), Method.CAM.map(c.sample(0, row)))
                    .relu().resize(64, 64).normalised();
            assertThat(display(Method.LAYER_CAM, image, 2).maxAbsDifference(expected)).isLessThan(1e-5);
        }
    }

    @ParameterizedTest(name = "scene {0}")
    @ValueSource(ints = {0, 1, 2})
    void mapsAreInvariantToScalingTheScore(int scene) {
        InputImage image = Fixtures.scene(scene);
        Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.4");
        Explanation logit = gradCam.explain(model, image, Target.classIndex(0));
        Heatmap scaled = gradCam.explain(model, image, Target.score("7 x logit 0", row -> row.get(0).mul(7))).display();
        // Exact up to the 1e-7 added to the range, whose relative weight changes with the scale.
        double epsilonEffect = Heatmap.NORMALISATION_EPSILON / (logit.raw().max() - logit.raw().min());
        assertThat(scaled.maxAbsDifference(logit.display())).isLessThan(1e-6 + epsilonEffect);
    }
}
