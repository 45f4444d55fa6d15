package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.heatmap.Heatmap;
import io.camunit.region.Box;
import io.camunit.region.Mask;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of the region metrics on one-row images. */
class RegionMetricsTest {

    private static Heatmap row(float... values) {
        return Heatmap.of(values.length, 1, values);
    }

    private static Mask pixels(int width, int... xs) {
        boolean[] inside = new boolean[width];
        for (int x : xs) {
            inside[x] = true;
        }
        return Mask.of(width, 1, inside);
    }

    @Test
    void massInsideIsTheRegionsShareOfTheSum() {
        assertThat(MassInside.of(row(1, 2, 3, 4), pixels(4, 2, 3))).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void massInsideCountsARegionTouchingTheImageEdge() {
        assertThat(MassInside.of(row(1, 2, 3, 4), pixels(4, 3))).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void massInsideUsesTheRawMapSoAConstantOffsetLeaksMass() {
        assertThat(MassInside.of(row(1, 1, 1, 1), pixels(4, 0))).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void mapsAreResizedToTheLabelledImageNotTheRegion() {
        // [0, 2] -> [0, 0.5, 1.5, 2] at 4 x 1
        assertThat(MassInside.of(row(0, 2), pixels(4, 3))).isCloseTo(0.5, within(1e-7));
    }

    @Test
    void peakInsideHitsWithinTheToleranceExactlyAtTheLimit() {
        // Peak at x = 4, region at x = 0: the centres are 4 px apart.
        assertThat(PeakInside.of(row(0, 0, 0, 0, 1), pixels(5, 0), 4)).isTrue();
        assertThat(PeakInside.of(row(0, 0, 0, 0, 1), pixels(5, 0), 3.99)).isFalse();
    }

    @Test
    void peakInsideCountsAnyOfTiedMaxima() {
        assertThat(PeakInside.of(row(1, 0, 0, 0, 1), pixels(5, 4), 0)).isTrue();
        assertThat(PeakInside.of(row(1, 0, 0, 0, 1), pixels(5, 2), 0)).isFalse();
    }

    @Test
    void peakInsideIsWhetherATiedMaximumLiesInTheDilatedRegionOnRandomMapsAndMasks() {
        java.util.Random random = new java.util.Random(2718);
        for (int trial = 0; trial < 200; trial++) {
            int w = 1 + random.nextInt(60);
            int h = 1 + random.nextInt(60);
            boolean[] in = new boolean[w * h];
            double density = random.nextDouble() * 0.1;
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextDouble() < density;
            }
            in[random.nextInt(in.length)] = true; // an empty region is refused before any metric
            // Few levels, so that maxima are often tied, up to a flat map; or many, so that they are
            // rare (both ways PeakInside can go).
            int levels = 1 + random.nextInt(random.nextBoolean() ? 4 : 1000);
            float[] values = new float[w * h];
            for (int i = 0; i < values.length; i++) {
                values[i] = 1 + random.nextInt(levels);
            }
            Mask region = Mask.of(w, h, in);
            Heatmap map = Heatmap.of(w, h, values);
            float max = 0;
            for (float v : values) {
                max = Math.max(max, v);
            }
            for (double tolerance : new double[] {0, 1, 2.5, 15}) {
                Mask grown = region.dilated(tolerance);
                boolean expected = false;
                for (int i = 0; i < values.length; i++) {
                    expected |= values[i] == max && grown.contains(i % w, i / w);
                }
                assertThat(PeakInside.of(map, region, tolerance)).as("trial %d, tolerance %s", trial, tolerance)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void rankAccuracyTakesAsManyTopPixelsAsTheRegionHas() {
        // K = 2: the top two are x = 0 and 1; only x = 0 is in the region.
        assertThat(RankAccuracy.of(row(4, 3, 2, 1), pixels(4, 0, 2))).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rankAccuracySharesTiesInProportion() {
        // A flat map: each pixel is equally likely to be "the top one".
        assertThat(RankAccuracy.of(row(1, 1, 1, 1), pixels(4, 0))).isCloseTo(0.25, within(1e-12));
        // Top 2 of [5, 1, 1, 1]: x = 0, then one of three tied pixels, one of which is inside.
        assertThat(RankAccuracy.of(row(5, 1, 1, 1), pixels(4, 0, 3))).isCloseTo((1 + 1.0 / 3) / 2, within(1e-12));
    }

    @Test
    void topPercentInsideTakesTheCeilingOfThePercentage() {
        Heatmap falling = row(10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertThat(TopPercentInside.of(falling, pixels(10, 0), 10)).isCloseTo(1, within(1e-12));
        assertThat(TopPercentInside.of(falling, pixels(10, 0), 20)).isCloseTo(0.5, within(1e-12));
        // 25 % of 10 pixels is 2.5: three pixels.
        assertThat(TopPercentInside.of(falling, pixels(10, 0), 25)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void iouCutsAtTheShareOfTheMaximumInclusive() {
        // Threshold 0.2 of max 1: 0.1 is out, 0.2 (exactly at the cut) and above are in.
        assertThat(IouAtThreshold.mask(row(0, 0.1f, 0.5f, 1), pixels(4, 1, 2), 0.2)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(IouAtThreshold.mask(row(0, 0.2f, 0.5f, 1), pixels(4, 1, 2), 0.2)).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void boxIouUsesTheLargestConnectedComponent() {
        // 6 x 3 map: a 2 x 2 blob at the left, a 3 x 3 blob at the right (larger).
        float[] v = {
            1, 1, 0, 1, 1, 1,
            1, 1, 0, 1, 1, 1,
            0, 0, 0, 1, 1, 1};
        Heatmap map = Heatmap.of(6, 3, v);
        assertThat(IouAtThreshold.localise(map, 6, 3, 0.5)).isEqualTo(Box.coco(3, 0, 3, 3));
        assertThat(IouAtThreshold.box(map, List.of(Box.coco(0, 0, 2, 2), Box.coco(3, 0, 3, 3)), 6, 3, 0.5))
                .isCloseTo(1, within(1e-12));
        assertThat(IouAtThreshold.box(map, List.of(Box.coco(3, 0, 3, 1)), 6, 3, 0.5)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void anEmptyRegionIsAnErrorNotAPass() {
        assertThatThrownBy(() -> MassInside.of(row(1, 2), Mask.empty(2, 1)))
                .isInstanceOf(EmptyRegionException.class)
                .hasMessageContaining("The region is empty in the 2x1 image");
    }

    @Test
    void aRegionOutsideTheImageIsEmpty() {
        Mask outside = Box.coco(10, 0, 5, 1).toMask(4, 1);
        assertThatThrownBy(() -> RankAccuracy.of(row(1, 2, 3, 4), outside)).isInstanceOf(EmptyRegionException.class);
    }

    @Test
    void anAllZeroMapIsDegenerate() {
        assertThatThrownBy(() -> MassInside.of(row(0, 0), pixels(2, 0)))
                .isInstanceOf(DegenerateMapException.class)
                .hasMessageContaining("no positive mass (all zero after ReLU)");
    }

    @Test
    void nanAndInfiniteMapsAreDegenerate() {
        assertThatThrownBy(() -> PeakInside.of(row(1, Float.NaN), pixels(2, 0), 0))
                .isInstanceOf(DegenerateMapException.class).hasMessageContaining("NaN or infinite");
        assertThatThrownBy(() -> TopPercentInside.of(row(1, Float.POSITIVE_INFINITY), pixels(2, 0), 50))
                .isInstanceOf(DegenerateMapException.class).hasMessageContaining("NaN or infinite");
    }

    @Test
    void signedMapsAreRefused() {
        assertThatThrownBy(() -> MassInside.of(row(-1, 2), pixels(2, 0)))
                .isInstanceOf(DegenerateMapException.class).hasMessageContaining("negative values");
    }
}
