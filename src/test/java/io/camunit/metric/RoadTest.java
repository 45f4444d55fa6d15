package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.explain.SeededNoise;

import org.junit.jupiter.api.Test;

/** ROAD's pixel selection and imputation against hand-computed values; names in the one registry. */
class RoadTest {

    private static final double E = 1.0 / 6;
    private static final double D = 1.0 / 12;

    private static float[] oneChannel3x3(boolean[] removed) {
        float[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        return NoisyLinearImputation.impute(v, 3, 3, removed, 0, null);
    }

    @Test
    void aRemovedCentreIsTheWeightedMeanOfItsEightNeighbours() {
        boolean[] removed = new boolean[9];
        removed[4] = true;
        double expected = E * (2 + 4 + 6 + 8) + D * (1 + 3 + 7 + 9);   // the weights sum to 1
        float[] out = oneChannel3x3(removed);
        assertThat(out[4]).isCloseTo((float) expected, within(1e-6f));
        assertThat(out[0]).isEqualTo(1f);
    }

    @Test
    void aRemovedCornerIsNormalisedByTheWeightsInsideTheImage() {
        boolean[] removed = new boolean[9];
        removed[0] = true;
        double expected = (E * 2 + E * 4 + D * 5) / (E + E + D);
        assertThat(oneChannel3x3(removed)[0]).isCloseTo((float) expected, within(1e-6f));
    }

    @Test
    void twoAdjacentRemovedPixelsAreSolvedTogether() {
        // A 1x3 row with the two left pixels removed: x0 = x1 (its only neighbour), x1 = (x0 + 9) / 2.
        float[] out = NoisyLinearImputation.impute(new float[] {0, 0, 9}, 3, 1, new boolean[] {true, true, false}, 0,
                null);
        assertThat(out[0]).isCloseTo(9f, within(1e-5f));
        assertThat(out[1]).isCloseTo(9f, within(1e-5f));
    }

    @Test
    void everyChannelIsImputedFromItsOwnValues() {
        float[] v = new float[18];
        for (int i = 0; i < 9; i++) {
            v[i] = 1;
            v[9 + i] = -2;
        }
        boolean[] removed = new boolean[9];
        removed[4] = true;
        float[] out = NoisyLinearImputation.impute(v, 3, 3, removed, 0, null);
        assertThat(out[4]).isCloseTo(1f, within(1e-6f));
        assertThat(out[13]).isCloseTo(-2f, within(1e-6f));
    }

    @Test
    void noiseIsSeededAndOnlyOnRemovedPixels() {
        boolean[] removed = new boolean[9];
        removed[4] = true;
        float[] v = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] a = NoisyLinearImputation.impute(v, 3, 3, removed, 0.01, new SeededNoise(3));
        float[] b = NoisyLinearImputation.impute(v, 3, 3, removed, 0.01, new SeededNoise(3));
        float g = new SeededNoise(3).gaussians(1, 0.01)[0];
        assertThat(a).isEqualTo(b);
        assertThat(a[4]).isCloseTo(1 + g, within(1e-6f)).isNotEqualTo(1f);
        assertThat(a[3]).isEqualTo(1f);
    }

    @Test
    void imputingEveryPixelIsRefused() {
        boolean[] all = {true, true, true, true};
        assertThatThrownBy(() -> NoisyLinearImputation.impute(new float[4], 2, 2, all, 0, null))
                .isInstanceOf(CamunitException.class).hasMessageContaining("all 4 pixels");
    }

    @Test
    void thePercentileIsNumPysLinearOne() {
        float[] v = {4, 1, 3, 2};
        assertThat(Road.percentile(v, 10)).isCloseTo(1.3, within(1e-12));
        assertThat(Road.percentile(v, 50)).isCloseTo(2.5, within(1e-12));
        assertThat(Road.percentile(v, 90)).isCloseTo(3.7, within(1e-12));
    }

    @Test
    void mostRelevantFirstRemovesThePixelsAtOrAboveThePercentile() {
        float[] map = {0.1f, 0.9f, 0.5f, 0.3f, 0.7f};   // 80th percentile: 0.1, 0.3, 0.5, 0.7, 0.9 -> 0.74
        assertThat(Road.removed(map, 80, true)).containsExactly(false, true, false, false, false);
        assertThat(Road.removed(map, 50, true)).containsExactly(false, true, true, false, true);
    }

    @Test
    void leastRelevantFirstRemovesTheLowestPixels() {
        float[] map = {0.1f, 0.9f, 0.5f, 0.3f, 0.7f};
        assertThat(Road.removed(map, 80, false)).containsExactly(true, false, false, false, false);
        assertThat(Road.removed(map, 50, false)).containsExactly(true, false, true, true, false);
    }

    @Test
    void tiesAtTheThresholdAreRemovedWithIt() {
        float[] map = {0, 0.5f, 0.5f, 0.5f, 1};   // 50th percentile 0.5: three pixels tie
        assertThat(Road.removed(map, 50, true)).containsExactly(false, true, true, true, true);
    }

    @Test
    void whenTiesWouldRemoveEveryPixelOnlyThoseAboveTheThresholdGo() {
        float[] map = {0, 0, 0, 0.2f, 1};   // 50th percentile 0 is the minimum
        assertThat(Road.removed(map, 50, true)).containsExactly(false, false, false, true, true);
    }

    @Test
    void aConstantMapIsDegenerate() {
        assertThatThrownBy(() -> Road.removed(new float[] {0.4f, 0.4f, 0.4f}, 50, true))
                .isInstanceOf(DegenerateMapException.class).hasMessageContaining("same value");
    }

    @Test
    void namesAreCanonicalAndRunTheModel() {
        assertThat(SampleMetric.parse("ROAD-MORF-80.0").name()).isEqualTo("road-morf-80");
        assertThat(SampleMetric.parse("road-lerf-12.5").name()).isEqualTo("road-lerf-12.5");
        assertThat(SampleMetric.parse("road").needsModel()).isTrue();
        assertThatThrownBy(() -> SampleMetric.parse("road-morf-100")).hasMessageContaining("(0, 100)");
        assertThatThrownBy(() -> SampleMetric.parse("road-xyz")).hasMessageContaining("road-morf-P");
        assertThat(io.camunit.gate.Gate.parse("median road-morf-80 <= -0.2").metric()).isEqualTo("road-morf-80");
        assertThat(io.camunit.gate.Gate.parse("mean road >= 0.1").metric()).isEqualTo("road");
    }
}
