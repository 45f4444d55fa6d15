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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Score-CAM on {@link TwoChannelModel}, computed by hand. Upsampling {@code A0 = [[1, 0], [0, 0]]}
 * to 4 x 4 with corner-aligned sampling gives {@code U0[i][j] = (1 - i/3)(1 - j/3)}, already in
 * [0, 1], so {@code mask0 = U0}; {@code A1 = 1 - A0/2} gives {@code mask1 = 1 - U0}. Input channel
 * 0 is 1 on the top-left 2 x 2 block, where {@code U0 = 1, 2/3, 2/3, 4/9}, so with
 * {@code M = mean(x0 * mask)} over the 16 pixels: {@code M0 = (25/9)/16 = 25/144},
 * {@code M1 = (11/9)/16 = 11/144}. The layer of a masked input has {@code mean(A0) = M} and
 * {@code mean(A1) = 1 - M/2}, so class 0 scores {@code y0 = b0 - 1 + 2.5 M} and class 1
 * {@code y1 = 3 - 2.5 M}; softmax weights do not depend on the bias {@code b0}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoreCamTest {

    private final BlockModel model = TwoChannelModel.build(0, 0.5f);

    @AfterAll
    void close() {
        model.close();
    }

    private float[] lowResMap(Target target, MethodOptions options) {
        return lowResMap(model, target, options);
    }

    private static float[] lowResMap(BlockModel model, Target target, MethodOptions options) {
        try (NDManager scope = model.newScope()) {
            return new ScoreCam().compute(model, TwoChannelModel.input(scope), TwoChannelModel.LAYER, List.of(target),
                    options).maps().get(0);
        }
    }

    /** {@code w0 A0 + w1 A1} on the 2 x 2 layer, with {@code w1 = 1 - w0}. */
    private static double[] map(double w0) {
        double w1 = 1 - w0;
        return new double[] {w0 + 0.5 * w1, w1, w1, w1};
    }

    private static void assertMap(float[] actual, double[] expected) {
        assertThat(actual).hasSize(4);
        for (int p = 0; p < 4; p++) {
            assertThat((double) actual[p]).as("position " + p).isCloseTo(expected[p], within(1e-6));
        }
    }

    @Test
    void masksAreCornerAlignedUpsampledChannelsScaledToZeroOne() {
        float[] a = {1, 0, 0, 0, 0.5f, 1, 1, 1};
        float[] masks = new float[32];
        LayerActivations s = new LayerActivations(a, null, null, 2, 2, 2);
        ScoreCam.mask(s, 0, 4, 4, masks, 0);
        ScoreCam.mask(s, 1, 4, 4, masks, 16);
        double[] ramp = {1, 2 / 3.0, 1 / 3.0, 0};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat((double) masks[i * 4 + j]).isCloseTo(ramp[i] * ramp[j], within(1e-7));
                assertThat((double) masks[16 + i * 4 + j]).isCloseTo(1 - ramp[i] * ramp[j], within(1e-7));
            }
        }
    }

    @Test
    void aConstantChannelGivesAnAllZeroMask() {
        float[] masks = new float[16];
        java.util.Arrays.fill(masks, 9);
        ScoreCam.mask(new LayerActivations(new float[] {3, 3, 3, 3}, null, null, 1, 2, 2), 0, 4, 4, masks, 0);
        assertThat(masks).containsOnly(0f);
    }

    @Test
    void weightsAreTheSoftmaxOfTheMaskedInputsScores() {
        // s0 - s1 = 2.5 (25 - 11) / 144 = 35/144 for class 0.
        double w0 = 1 / (1 + Math.exp(-35 / 144.0));
        assertMap(lowResMap(Target.classIndex(0), MethodOptions.DEFAULTS), map(w0));
    }

    @Test
    void theTargetClassIsScoredOnEveryMaskedInput() {
        // Class 1: s0 - s1 = -35/144.
        double w0 = 1 / (1 + Math.exp(35 / 144.0));
        assertMap(lowResMap(Target.classIndex(1), MethodOptions.DEFAULTS), map(w0));
    }

    @Test
    void predictedIsResolvedOnTheUnmaskedInput() {
        // With b0 = 3 the unmasked input predicts class 0 (y0 = 3 + 0.5 - 0.875 = 2.625 > y1 = 2.375),
        // while every masked input scores class 1 higher (y0 <= 2 + 2.5 * 25/144 < 2.566 <= y1).
        try (BlockModel biased = TwoChannelModel.build(0, 3)) {
            assertMap(lowResMap(biased, Target.predicted(), MethodOptions.DEFAULTS), map(1 / (1 + Math.exp(-35 / 144.0))));
        }
    }

    @Test
    void aScoreFunctionIsAppliedToEachMaskedOutput() {
        double w0 = 1 / (1 + Math.exp(-70 / 144.0));
        Target doubled = Target.score("2 x logit 0", row -> row.get(0).mul(2));
        assertMap(lowResMap(doubled, MethodOptions.DEFAULTS), map(w0));
    }

    @Test
    void topChannelsKeepsTheHighestVarianceChannelsAndSoftmaxesOverThem() {
        // var(A0) = 3/16 > var(A1) = 3/64: channel 0 alone, softmax over one channel = 1.
        assertMap(lowResMap(Target.classIndex(1), MethodOptions.DEFAULTS.with("top-channels=1")), map(1));
        assertMap(lowResMap(Target.classIndex(1), MethodOptions.DEFAULTS.with("top-channels=5")),
                map(1 / (1 + Math.exp(35 / 144.0))));
    }

    @Test
    void keptChannelsAreTheTopVariancesInIndexOrderWithTiesToTheLowerIndex() {
        float[] a = {0, 0, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 5, 5, 5, 5};
        LayerActivations s = new LayerActivations(a, null, null, 5, 2, 2);
        assertThat(ScoreCam.keptChannels(s, 2)).containsExactly(1, 2);
        assertThat(ScoreCam.keptChannels(s, 3)).containsExactly(1, 2, 3);
        assertThat(ScoreCam.keptChannels(s, 0)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void chunkSizeDoesNotChangeTheMap() {
        TorchScriptModel tiny = Fixtures.tinyCnn();
        Explanation one = Explainer.builder().setMethod(Method.SCORE_CAM).addLayer("features.9")
                .optOptions(MethodOptions.DEFAULTS.with("chunk-size=1")).build()
                .explain(tiny, Fixtures.scene(2), Target.predicted());
        Explanation all = Explainer.builder().setMethod(Method.SCORE_CAM).addLayer("features.9")
                .optOptions(MethodOptions.DEFAULTS.with("chunk-size=32")).build()
                .explain(tiny, Fixtures.scene(2), Target.predicted());
        assertThat(one.raw().maxAbsDifference(all.raw())).isLessThan(1e-5);
    }

    @Test
    void chunksFreeTheirArraysWhenTheyEnd() {
        TorchScriptModel tiny = Fixtures.tinyCnn();
        int oneChunk = arraysLeftAfter(tiny, 32);
        int thirtyTwoChunks = arraysLeftAfter(tiny, 1);
        assertThat(thirtyTwoChunks).isEqualTo(oneChunk);
    }

    private static int arraysLeftAfter(TorchScriptModel tiny, int chunk) {
        try (NDManager scope = tiny.newScope()) {
            new ScoreCam().compute(tiny, tiny.toBatch(scope, List.of(Fixtures.scene(0))), "features.9",
                    List.of(Target.predicted()), MethodOptions.DEFAULTS.withOption("chunk-size", Integer.toString(chunk)));
            return scope.getManagedArrays().size();
        }
    }

    @Test
    void aNonFiniteMaskedScoreIsAnError() {
        Target nan = Target.score("log of -1", row -> row.get(0).mul(0).sub(1).log());
        assertThatThrownBy(() -> lowResMap(nan, MethodOptions.DEFAULTS))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Model two-channel gives a non-finite score (NaN) for log of -1 on the Score-CAM masked"
                        + " input of channel 0, so its weight cannot be computed. Check the model for overflow on"
                        + " such inputs, or use a gradient method (grad-cam).");
    }
}
