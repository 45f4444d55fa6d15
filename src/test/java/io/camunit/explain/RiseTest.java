package io.camunit.explain;

import static io.camunit.explain.HandBuiltModels.HOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.BlockModel;
import io.camunit.model.TorchScriptModel;

import org.junit.jupiter.api.Test;

/** RISE on the hot-square model and the construction of its masks. */
class RiseTest {

    private static Explanation rise(BlockModel model, String... options) {
        return Explainer.builder().setMethod(Method.RISE).optOptions(MethodOptions.DEFAULTS.with(options)).build()
                .explain(model, HandBuiltModels.uniform(HOT_SIZE, HOT_SIZE, 0xFFFFFF), Target.classIndex(1));
    }

    @Test
    void peakLiesInTheSquareTheScoreReadsAndFarPixelsAreBelowAllOfIt() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap m = rise(model, "masks=600", "cell-size=4", "chunk-size=64").raw();
            int peakX = 0;
            int peakY = 0;
            float lowestInside = Float.POSITIVE_INFINITY;
            float highestFar = Float.NEGATIVE_INFINITY;
            for (int y = 0; y < HOT_SIZE; y++) {
                for (int x = 0; x < HOT_SIZE; x++) {
                    if (m.get(x, y) > m.get(peakX, peakY)) {
                        peakX = x;
                        peakY = y;
                    }
                    if (HandBuiltModels.inHotSquare(x, y)) {
                        lowestInside = Math.min(lowestInside, m.get(x, y));
                    } else if (distanceToSquare(x, y) >= 4) {
                        highestFar = Math.max(highestFar, m.get(x, y));
                    }
                }
            }
            assertThat(HandBuiltModels.inHotSquare(peakX, peakY)).as("peak at (%d, %d)", peakX, peakY).isTrue();
            assertThat(lowestInside).isGreaterThan(highestFar);
        }
    }

    /** Chebyshev distance in pixels from (x, y) to the hot square. */
    private static int distanceToSquare(int x, int y) {
        int dx = Math.max(0, Math.max(HandBuiltModels.SQUARE_LEFT - x, x - (HandBuiltModels.SQUARE_LEFT + 3)));
        int dy = Math.max(0, Math.max(HandBuiltModels.SQUARE_TOP - y, y - (HandBuiltModels.SQUARE_TOP + 3)));
        return Math.max(dx, dy);
    }

    @Test
    void withKeepProbabilityOneEveryMaskKeepsEverythingSoTheMapIsTheScore() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap m = rise(model, "masks=10", "keep-probability=1").raw();
            assertThat(m.min()).isCloseTo(1, within(1e-6f));
            assertThat(m.max()).isCloseTo(1, within(1e-6f));
        }
    }

    @Test
    void isReproducibleForASeedAndChangesWithIt() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap first = rise(model, "masks=40", "cell-size=4", "seed=3").raw();
            assertThat(rise(model, "masks=40", "cell-size=4", "seed=3").raw()).isEqualTo(first);
            assertThat(rise(model, "masks=40", "cell-size=4", "seed=4").raw().maxAbsDifference(first))
                    .isGreaterThan(0.05 * first.max());
        }
    }

    @Test
    void chunkSizeDoesNotChangeTheMap() {
        try (BlockModel model = HandBuiltModels.hotSquare()) {
            Heatmap seven = rise(model, "masks=30", "chunk-size=7").raw();
            Heatmap all = rise(model, "masks=30", "chunk-size=30").raw();
            assertThat(seven.maxAbsDifference(all)).isLessThan(1e-6);
        }
    }

    @Test
    void masksAreSmoothUpsampledGridsThatKeepEachPixelWithTheKeepProbability() {
        int cell = 5;
        Rise.MaskSource source = new Rise.MaskSource(new SeededNoise(8), 23, 17, cell, 0.3);
        double sum = 0;
        int masks = 3000;
        for (int i = 0; i < masks; i++) {
            float[] m = source.next();
            assertThat(m).hasSize(23 * 17);
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 17; x++) {
                    float v = m[y * 17 + x];
                    assertThat(v).isBetween(0f, 1f);
                    sum += v;
                    // Bilinear upsampling of a 0/1 grid by at least `cell` changes by at most 1/cell a pixel.
                    if (x > 0) {
                        assertThat(Math.abs(v - m[y * 17 + x - 1])).isLessThanOrEqualTo(1f / cell + 1e-6f);
                    }
                    if (y > 0) {
                        assertThat(Math.abs(v - m[(y - 1) * 17 + x])).isLessThanOrEqualTo(1f / cell + 1e-6f);
                    }
                }
            }
        }
        assertThat(sum / (masks * 23 * 17)).isCloseTo(0.3, within(0.01));
    }

    @Test
    void runsOnAPlainTorchScriptFileAsOnTheCamReadyOne() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                .optInput(Fixtures.tinyCnn().input()).build()) {
            Explainer rise = Explainer.builder().setMethod(Method.RISE)
                    .optOptions(MethodOptions.DEFAULTS.with("masks=32")).build();
            Explanation fromPlain = rise.explain(plain, Fixtures.scene(1), Target.predicted());
            Explanation fromCamReady = rise.explain(Fixtures.tinyCnn(), Fixtures.scene(1), Target.predicted());

            assertThat(fromPlain.raw().max()).isPositive();
            assertThat(fromPlain.raw().maxAbsDifference(fromCamReady.raw())).isLessThan(1e-5 * fromCamReady.raw().max());
        }
    }
}
