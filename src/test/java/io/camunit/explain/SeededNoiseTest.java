package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeededNoiseTest {

    @Test
    void splitMix64GivesThePublishedSequenceForSeedZero() {
        // The first outputs of SplitMix64 from state 0, as in the reference implementation.
        SeededNoise noise = new SeededNoise(0);
        assertThat(noise.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(noise.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(noise.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void theSameSeedGivesTheSameNoise() {
        assertThat(new SeededNoise(42).gaussians(101, 0.5)).containsExactly(new SeededNoise(42).gaussians(101, 0.5));
    }

    @Test
    void gaussiansHaveTheAskedSpread() {
        float[] g = new SeededNoise(7).gaussians(200_000, 2);
        double sum = 0;
        double squares = 0;
        for (float v : g) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / g.length;
        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(Math.sqrt(squares / g.length - mean * mean)).isCloseTo(2, within(0.02));
    }

    @Test
    void uniformsLieInTheUnitInterval() {
        for (float u : new SeededNoise(3).uniforms(10_000)) {
            assertThat(u).isBetween(0f, 1f).isNotEqualTo(1f);
        }
    }
}
