package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TopPixelsTest {

    @Test
    void selectFindsTheSameOrderStatisticAsSorting() {
        Random random = new Random(4);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(300);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                // Few distinct values, so ties are common.
                v[i] = random.nextInt(1 + random.nextInt(20));
            }
            float[] sorted = v.clone();
            Arrays.sort(sorted);
            int rank = random.nextInt(n);
            assertThat(TopPixels.select(v.clone(), rank)).as("rank %d of %s", rank, Arrays.toString(v)).isEqualTo(sorted[rank]);
        }
    }
}
