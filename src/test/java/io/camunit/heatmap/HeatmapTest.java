package io.camunit.heatmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class HeatmapTest {

    @Test
    void upsamplingUsesHalfPixelCentresAndClampsAtTheEdges() {
        // 2 x 2 -> 4 x 4: source x = (d + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
        Heatmap m = Heatmap.of(2, 2, new float[] {0, 1, 2, 3}).resize(4, 4);
        assertThat(m.toArray()).containsExactly(new float[] {
            0, 0.25f, 0.75f, 1,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2, 2.25f, 2.75f, 3}, within(1e-6f));
    }

    @Test
    void downsamplingByTwoAveragesNeighbourPairs() {
        // 4 -> 2: source x = (d + 0.5) * 2 - 0.5 = 0.5, 2.5
        Heatmap m = Heatmap.of(4, 1, new float[] {0, 2, 4, 8}).resize(2, 1);
        assertThat(m.toArray()).containsExactly(1f, 6f);
    }

    @Test
    void resizingToTheSameSizeChangesNothing() {
        Heatmap m = Heatmap.of(3, 1, new float[] {1, 2, 3});
        assertThat(m.resize(3, 1)).isSameAs(m);
    }

    @Test
    void nonSquareResizeKeepsRowsAndColumnsApart() {
        Heatmap m = Heatmap.of(1, 2, new float[] {0, 4}).resize(3, 4);
        assertThat(m.width()).isEqualTo(3);
        assertThat(m.height()).isEqualTo(4);
        // rows: source y = -0.25 -> 0, 0.25, 0.75, 1.25 -> 1
        assertThat(m.get(2, 0)).isEqualTo(0f);
        assertThat(m.get(1, 1)).isEqualTo(1f);
        assertThat(m.get(0, 2)).isEqualTo(3f);
        assertThat(m.get(0, 3)).isEqualTo(4f);
    }

    @Test
    void normalisationMapsMinToZeroAndMaxToAlmostOne() {
        Heatmap m = Heatmap.of(4, 1, new float[] {1, 2, 3, 5}).normalised();
        double range = 4 + 1e-7;
        assertThat(m.toArray()).containsExactly(new float[] {0, (float) (1 / range), (float) (2 / range), (float) (4 / range)},
                within(1e-7f));
    }

    @Test
    void aConstantMapNormalisesToZeros() {
        assertThat(Heatmap.of(2, 1, new float[] {3, 3}).normalised().toArray()).containsExactly(0f, 0f);
    }

    @Test
    void reluClampsNegativesAndKeepsNaNVisible() {
        Heatmap m = Heatmap.of(3, 1, new float[] {-1, 2, Float.NaN}).relu();
        assertThat(m.get(0, 0)).isEqualTo(0f);
        assertThat(m.get(1, 0)).isEqualTo(2f);
        assertThat(m.isFinite()).isFalse();
    }

    @Test
    void meanAveragesElementwise() {
        Heatmap a = Heatmap.of(2, 1, new float[] {0, 1});
        Heatmap b = Heatmap.of(2, 1, new float[] {1, 3});
        assertThat(Heatmap.mean(List.of(a, b)).toArray()).containsExactly(0.5f, 2f);
    }

    @Test
    void mapsOfDifferentSizesCannotBeCombined() {
        Heatmap a = Heatmap.of(2, 1, new float[] {0, 1});
        Heatmap b = Heatmap.of(1, 2, new float[] {0, 1});
        assertThatThrownBy(() -> Heatmap.mean(List.of(a, b))).hasMessageContaining("1x2 map with a 2x1 map");
        assertThatThrownBy(() -> a.maxAbsDifference(b)).hasMessageContaining("2x1 map with a 1x2 map");
    }

    @Test
    void valuesAreCopiedInAndOut() {
        float[] values = {1, 2};
        Heatmap m = Heatmap.of(2, 1, values);
        values[0] = 9;
        m.toArray()[1] = 9;
        assertThat(m.toArray()).containsExactly(1f, 2f);
    }

    @Test
    void wrongValueCountIsRefused() {
        assertThatThrownBy(() -> Heatmap.of(2, 2, new float[3])).hasMessage("A 2x2 heatmap needs 4 values; got 3");
    }
}
