package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.heatmap.Heatmap;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SimilarityTest {

    private static Heatmap row(float... values) {
        return Heatmap.of(values.length, 1, values);
    }

    private static Heatmap constant(int size, float value) {
        float[] v = new float[size * size];
        Arrays.fill(v, value);
        return Heatmap.of(size, size, v);
    }

    @Test
    void spearmanIsOneForAnyIncreasingRelation() {
        assertThat(RankCorrelation.spearman(row(1, 2, 3, 4), row(10, 200, 3000, 40000))).isCloseTo(1, within(1e-12));
        assertThat(RankCorrelation.spearman(row(1, 2, 3, 4), row(4, 3, 2, 1))).isCloseTo(-1, within(1e-12));
    }

    @Test
    void spearmanGivesTiesTheirMeanRank() {
        // ranks [1.5, 1.5, 3, 4] vs [1, 2, 3, 4]: 4.5 / sqrt(4.5 * 5)
        assertThat(RankCorrelation.spearman(row(1, 1, 2, 3), row(1, 2, 3, 4)))
                .isCloseTo(4.5 / Math.sqrt(22.5), within(1e-12));
    }

    @Test
    void spearmanOfAConstantMapIsZeroNotNaN() {
        assertThat(RankCorrelation.spearman(row(1, 1, 1), row(1, 2, 3))).isZero();
    }

    @Test
    void ssimOfAMapWithItselfIsOne() {
        float[] v = new float[81];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37 % 11) / 10f;
        }
        Heatmap m = Heatmap.of(9, 9, v);
        assertThat(Ssim.of(m, m, 1)).isCloseTo(1, within(1e-12));
    }

    @Test
    void ssimOfTwoDifferentFlatMapsIsTheLuminanceTermAlone() {
        // means 0 and 1, no variance: (C1 * C2) / ((1 + C1) * C2) = C1 / (1 + C1), C1 = 1e-4
        assertThat(Ssim.of(constant(7, 0), constant(7, 1), 1)).isCloseTo(1e-4 / (1 + 1e-4), within(1e-15));
    }

    @Test
    void ssimAveragesTheWindowFormulaOverEveryWindowInside() {
        java.util.Random random = new java.util.Random(2);
        float[] x = new float[12 * 9];
        float[] y = new float[12 * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
            y[i] = 0.5f * x[i] + 0.5f * random.nextFloat();
        }
        double expected = 0;
        int windows = 0;
        for (int top = 0; top + 7 <= 9; top++) {
            for (int left = 0; left + 7 <= 12; left++) {
                double mx = 0;
                double my = 0;
                for (int j = top; j < top + 7; j++) {
                    for (int i = left; i < left + 7; i++) {
                        mx += x[j * 12 + i] / 49.0;
                        my += y[j * 12 + i] / 49.0;
                    }
                }
                double vx = 0;
                double vy = 0;
                double vxy = 0;
                for (int j = top; j < top + 7; j++) {
                    for (int i = left; i < left + 7; i++) {
                        vx += (x[j * 12 + i] - mx) * (x[j * 12 + i] - mx) / 48.0;
                        vy += (y[j * 12 + i] - my) * (y[j * 12 + i] - my) / 48.0;
                        vxy += (x[j * 12 + i] - mx) * (y[j * 12 + i] - my) / 48.0;
                    }
                }
                double c1 = 1e-4;
                double c2 = 9e-4;
                expected += (2 * mx * my + c1) * (2 * vxy + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        }
        assertThat(Ssim.of(Heatmap.of(12, 9, x), Heatmap.of(12, 9, y), 1)).isCloseTo(expected / windows, within(1e-9));
    }

    @Test
    void ssimNeedsSevenBySevenMaps() {
        assertThatThrownBy(() -> Ssim.of(constant(6, 0), constant(6, 0), 1)).hasMessageContaining("at least 7 x 7");
    }
}
