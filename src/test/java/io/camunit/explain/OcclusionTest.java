package io.camunit.explain;

import static io.camunit.explain.HandBuiltModels.HOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.BlockModel;
import io.camunit.model.TorchScriptModel;

import org.junit.jupiter.api.Test;

/**
 * Occlusion on the hot-square model (class 1 = mean of the white square rows 4..7, columns 8..11,
 * all 1 in the input tensor): covering {@code o} of the square's 16 pixels with 0 drops the score
 * by {@code o / 16}, and a pixel gets the mean drop of the windows covering it.
 */
class OcclusionTest {

    private static Explanation occlusion(BlockModel model, String... options) {
        return Explainer.builder().setMethod(Method.OCCLUSION).optOptions(MethodOptions.DEFAULTS.with(options)).build()
                .explain(model, HandBuiltModels.uniform(HOT_SIZE, HOT_SIZE, 0xFFFFFF), Target.classIndex(1));
    }

    @Test
    void pixelValueIsTheMeanScoreDropOfTheWindowsCoveringIt() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Explanation e = occlusion(model, "window=4", "stride=2");
            Heatmap m = e.raw();

            assertThat(e.score()).isCloseTo(1, within(1e-6));
            // Inside the square every pixel has windows overlapping it by 4, 8, 8 and 16 pixels: mean 9/16.
            for (int y = 4; y < 8; y++) {
                for (int x = 8; x < 12; x++) {
                    assertThat(m.get(x, y)).as("(%d, %d)", x, y).isCloseTo(9f / 16, within(1e-6f));
                }
            }
            // (x 8, y 3): windows at rows {0, 2} x columns {6, 8} overlap it by 0, 0, 4 and 8: mean 3/16.
            assertThat(m.get(8, 3)).isCloseTo(3f / 16, within(1e-6f));
            // (x 7, y 3): overlaps 0, 0, 0 and 4: mean 1/16.
            assertThat(m.get(7, 3)).isCloseTo(1f / 16, within(1e-6f));
            assertThat(m.get(0, 0)).isZero();
            assertThat(m.get(15, 15)).isZero();
            int atMax = 0;
            for (int y = 0; y < HOT_SIZE; y++) {
                for (int x = 0; x < HOT_SIZE; x++) {
                    if (m.get(x, y) > 9f / 16 - 1e-5f) {
                        atMax++;
                        assertThat(HandBuiltModels.inHotSquare(x, y)).as("(%d, %d) is in the square", x, y).isTrue();
                    }
                }
            }
            assertThat(atMax).isEqualTo(16);
        }
    }

    @Test
    void defaultWindowIsAnEighthOfTheInputWithHalfWindowStride() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            // Window 2, stride 1 on 16 x 16: a square-interior pixel is covered by 4 windows each fully inside.
            Heatmap m = occlusion(model).raw();
            assertThat(m.get(9, 5)).isCloseTo(4f / 16, within(1e-6f));
            // A corner pixel of the square: windows overlap it by 1, 2, 2 and 4 pixels.
            assertThat(m.get(8, 4)).isCloseTo(9f / 64, within(1e-6f));
        }
    }

    @Test
    void windowsFilledWithTheImagesOwnValueChangeNothing() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Explanation e = occlusion(model, "window=4", "baseline=1");
            assertThat(e.raw().max()).isZero();
            assertThat(e.isDegenerate()).isTrue();
        }
    }

    @Test
    void aWindowAsLargeAsTheInputCoversItOnce() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap m = occlusion(model, "window=40").raw();
            assertThat(m.min()).isCloseTo(1, within(1e-6f));
            assertThat(m.max()).isCloseTo(1, within(1e-6f));
        }
    }

    @Test
    void aNonFiniteScoreOfAnOccludedCopyIsAnErrorNamingTheWindow() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            // log of the square's mean: -Infinity once window 6 (rows 4..7, columns 8..11) hides it all.
            Target logMean = Target.score("log of the square's mean", row -> row.get(1).log());
            assertThatThrownBy(() -> Explainer.builder().setMethod(Method.OCCLUSION)
                    .optOptions(MethodOptions.DEFAULTS.withOption("window", "4").withOption("stride", "4")).build()
                    .explain(model, HandBuiltModels.uniform(HOT_SIZE, HOT_SIZE, 0xFFFFFF), logMean))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model hot-square gives a non-finite score (-Infinity) for log of the"
                            + " square's mean on the occlusion window 6");
        }
    }

    @Test
    void windowsStartEveryStrideAndTheLastEndsAtTheBorder() {
        assertThat(Occlusion.starts(16, 4, 2)).containsExactly(0, 2, 4, 6, 8, 10, 12);
        assertThat(Occlusion.starts(64, 12, 5)).containsExactly(0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 52);
        assertThat(Occlusion.starts(10, 10, 3)).containsExactly(0);
        assertThat(Occlusion.starts(7, 3, 5)).containsExactly(0, 4);
    }

    @Test
    void chunkSizeDoesNotChangeTheMap() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap one = occlusion(model, "window=3", "stride=2", "chunk-size=1").raw();
            Heatmap many = occlusion(model, "window=3", "stride=2", "chunk-size=50").raw();
            assertThat(one.maxAbsDifference(many)).isLessThan(1e-6);
        }
    }

    @Test
    void runsOnAPlainTorchScriptFileAsOnTheCamReadyOne() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                .optInput(Fixtures.tinyCnn().input()).build()) {
            Explainer occlusion = Explainer.builder().setMethod(Method.OCCLUSION)
                    .optOptions(MethodOptions.DEFAULTS.withOption("window", "16").withOption("stride", "16")).build();
            Explanation fromPlain = occlusion.explain(plain, Fixtures.scene(0), Target.predicted());
            Explanation fromCamReady = occlusion.explain(Fixtures.tinyCnn(), Fixtures.scene(0), Target.predicted());

            assertThat(fromPlain.raw().max()).isPositive();
            assertThat(fromPlain.raw().maxAbsDifference(fromCamReady.raw())).isLessThan(1e-5 * fromCamReady.raw().max());
        }
    }
}
