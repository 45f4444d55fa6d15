package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Each formula on a hand-computed case: two channels, one row of two positions,
 * A0 = [1, 3], A1 = [2, 0], G0 = [0.5, -0.5] (mean 0), G1 = [1, 1] (mean 1).
 */
class MethodTest {

    private static final LayerActivations CASE = new LayerActivations(
            new float[] {1, 3, 2, 0}, new float[] {0.5f, -0.5f, 1, 1}, null, 2, 1, 2);

    @Test
    void gradCamWeighsChannelsByTheirMeanGradient() {
        // w = [0, 1]
        assertThat(Method.GRAD_CAM.map(CASE)).containsExactly(2f, 0f);
    }

    @Test
    void hiResCamSumsGradientTimesActivation() {
        // [0.5*1 + 1*2, -0.5*3 + 1*0]
        assertThat(Method.HIRES_CAM.map(CASE)).containsExactly(2.5f, -1.5f);
    }

    @Test
    void gradCamElementwiseRectifiesEachProductBeforeSumming() {
        assertThat(Method.GRAD_CAM_ELEMENTWISE.map(CASE)).containsExactly(2.5f, 0f);
    }

    @Test
    void layerCamWeighsActivationsByPositiveGradients() {
        // [0.5*1 + 1*2, 0*3 + 1*0]
        assertThat(Method.LAYER_CAM.map(CASE)).containsExactly(2.5f, 0f);
    }

    @Test
    void xGradCamNormalisesByTheActivationSum() {
        // w0 = (0.5 - 1.5) / 4 = -0.25, w1 = 2 / 2 = 1
        assertThat(Method.XGRAD_CAM.map(CASE)).containsExactly(new float[] {1.75f, -0.75f}, within(1e-6f));
    }

    @Test
    void gradCamPlusPlusUsesTheSecondOrderAlpha() {
        // w0 = 0.5 * 0.25 / (0.5 + 4 * 0.125 + 1e-6), w1 = 2 * 1 / (2 + 2 + 1e-6)
        double w0 = 0.5 * 0.25 / (1 + 1e-6);
        double w1 = 2 / (4 + 1e-6);
        assertThat(Method.GRAD_CAM_PLUS_PLUS.map(CASE))
                .containsExactly(new float[] {(float) (w0 + 2 * w1), (float) (3 * w0)}, within(1e-6f));
    }

    @Test
    void gradCamPlusPlusIgnoresPositionsWithZeroGradient() {
        LayerActivations zeroGradient = new LayerActivations(
                new float[] {1, 3}, new float[] {0, 0}, null, 1, 1, 2);
        assertThat(Method.GRAD_CAM_PLUS_PLUS.map(zeroGradient)).containsExactly(0f, 0f);
    }

    @Test
    void camWeighsChannelsByTheClassifierRow() {
        LayerActivations withRow = new LayerActivations(
                new float[] {1, 3, 2, 0}, null, new float[] {2, -1}, 2, 1, 2);
        assertThat(Method.CAM.map(withRow)).containsExactly(0f, 6f);
    }

    @Test
    void forwardOnlyMethodsNeedNoGradients() {
        Set<Method> forwardOnly = EnumSet.of(Method.CAM, Method.EIGEN_CAM, Method.FEM, Method.KPCA_CAM,
                Method.SCORE_CAM, Method.SS_CAM, Method.IS_CAM, Method.ABLATION_CAM, Method.OCCLUSION, Method.RISE,
                Method.RANDOM, Method.SOBEL);
        for (Method m : Method.values()) {
            assertThat(m.needsGradients()).as(m.id()).isEqualTo(!forwardOnly.contains(m));
        }
    }

    @Test
    void onlyLayerMethodsUseLayers() {
        assertThat(Method.GRAD_CAM.usesLayers()).isTrue();
        assertThat(Method.SCORE_CAM.usesLayers()).isTrue();
        assertThat(Method.GUIDED_GRAD_CAM.usesLayers()).isTrue();
        assertThat(Method.INTEGRATED_GRADIENTS.kind()).isEqualTo(Method.Kind.INPUT);
        assertThat(Method.RISE.kind()).isEqualTo(Method.Kind.BLACK_BOX);
        assertThat(Method.OCCLUSION.usesLayers()).isFalse();
    }

    @Test
    void eigenCamIsTheFirstPrincipalComponentOfARankOneActivation() {
        // A[k, p] = w[k] * u[p] + c[k]: centring removes c, the first right singular vector is +-w / |w|,
        // and the projection is +-(u - mean u) * |w| = +-[-1, 3, 0, -2] * 5. The layer's total per position
        // is u * sum(w) + sum(c) = -u + 5, so the sign that agrees with it is minus.
        float[] w = {3, -4, 0};
        float[] u = {1, 5, 2, 0};
        float[] c = {10, -7, 2};
        float[] a = new float[3 * 4];
        for (int k = 0; k < 3; k++) {
            for (int p = 0; p < 4; p++) {
                a[k * 4 + p] = w[k] * u[p] + c[k];
            }
        }
        assertThat(Method.EIGEN_CAM.map(new LayerActivations(a, null, null, 3, 2, 2)))
                .containsExactly(new float[] {5, -15, 0, 10}, within(1e-4f));
    }

    @Test
    void eigenCamIsHighWhereTheLayerIsActive() {
        // Two channels both [4, 0, 0, 0]: centred [3, -1, -1, -1] along w = [1, 1] (|w| = sqrt 2).
        float[] a = {4, 0, 0, 0, 4, 0, 0, 0};
        float s = (float) Math.sqrt(2);
        assertThat(Method.EIGEN_CAM.map(new LayerActivations(a, null, null, 2, 1, 4)))
                .containsExactly(new float[] {3 * s, -s, -s, -s}, within(1e-4f));
    }

    @Test
    void eigenGradCamDecomposesGradientTimesActivation() {
        float[] a = {1, 2, 3, 4};
        float[] g = {2, 2, 2, 2};
        // G * A = [2, 4, 6, 8] in one channel: centred [-3, -1, 1, 3], rising with the product.
        assertThat(Method.EIGEN_GRAD_CAM.map(new LayerActivations(a, g, null, 1, 1, 4)))
                .containsExactly(new float[] {-3, -1, 1, 3}, within(1e-4f));
    }

    @Test
    void eigenCamOfAConstantBlockIsZero() {
        float[] a = {2, 2, 2, 2, 5, 5, 5, 5};
        assertThat(Method.EIGEN_CAM.map(new LayerActivations(a, null, null, 2, 2, 2))).containsOnly(0f);
    }

    @Test
    void methodsAreFoundByTheirCommandLineNames() {
        assertThat(Method.fromId("grad-cam++")).isEqualTo(Method.GRAD_CAM_PLUS_PLUS);
        assertThat(Method.fromId("GRAD_CAM")).isEqualTo(Method.GRAD_CAM);
        assertThat(Method.fromId("Layer-CAM")).isEqualTo(Method.LAYER_CAM);
    }

    @Test
    void unknownMethodNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Method.fromId("gradcam"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Unknown method 'gradcam'")
                .hasMessageContaining("cam, grad-cam, grad-cam++, xgrad-cam, hires-cam, grad-cam-elementwise, layer-cam,"
                        + " eigen-cam, eigen-grad-cam");
    }
}
