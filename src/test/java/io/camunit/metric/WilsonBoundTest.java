package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonBoundTest {

    @Test
    void normalQuantilesAreTheTabulatedOnes() {
        assertThat(WilsonBound.normalQuantile(0.975)).isCloseTo(1.959964, within(1e-5));
        assertThat(WilsonBound.normalQuantile(0.95)).isCloseTo(1.644854, within(1e-5));
        assertThat(WilsonBound.normalQuantile(0.5)).isCloseTo(0, within(1e-6));
    }

    @Test
    void fortyOfFortySamplesGiveALowerBoundTheFormulaGives() {
        // 38 of 40 at 95 %: (p + z^2/2n - z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = 0.95, z = 1.644854
        double z = 1.644854;
        double p = 0.95;
        double n = 40;
        double expected = (p + z * z / (2 * n) - z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n);
        assertThat(WilsonBound.lowerBound(38, 40, 0.95)).isCloseTo(expected, within(1e-6)).isCloseTo(0.8596, within(1e-4));
    }

    @Test
    void moreSamplesTightenTheBound() {
        assertThat(WilsonBound.lowerBound(3800, 4000, 0.95)).isCloseTo(0.9440, within(1e-4));
        assertThat(WilsonBound.lowerBound(0, 0, 0.95)).isZero();
        assertThat(WilsonBound.lowerBound(10, 10, 0.95)).isLessThan(1).isGreaterThan(0.7);
    }
}
