package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ColormapTest {

    private static void assertClose(int actual, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat(Math.abs((actual >> shift & 0xFF) - (expected >> shift & 0xFF)))
                    .as("channel at bit %d of %06X vs %06X", shift, actual, expected).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void viridisEndpointsAndMiddleAreThePublishedColours() {
        assertClose(Colormap.VIRIDIS.rgb(0), 0x440154);
        assertClose(Colormap.VIRIDIS.rgb(1), 0xFDE725);
        assertClose(Colormap.VIRIDIS.rgb(0.5), 0x21908D);   // matplotlib entry 127.5 of 255
    }

    @Test
    void turboRunsFromBlueToDarkRed() {
        int lo = Colormap.TURBO.rgb(0);
        int blue = Colormap.TURBO.rgb(0.1);
        int hi = Colormap.TURBO.rgb(1);
        assertThat(blue & 0xFF).isGreaterThan(blue >> 16 & 0xFF);    // bluish low end
        assertThat(hi >> 16 & 0xFF).isGreaterThan(hi & 0xFF);        // reddish
        assertClose(lo, 0x23171B);   // the polynomial's published value at 0 (0.136, 0.091, 0.107)
    }

    @Test
    void viridisLightnessRisesMonotonically() {
        // 8-bit rounding can repeat a colour or dip L* by a hair between neighbouring values, so:
        // never down by more than rounding, and strictly up over every 1/16.
        double previous = -1;
        for (int i = 0; i <= 255; i++) {
            double l = lightness(Colormap.VIRIDIS.rgb(i / 255.0));
            assertThat(l).as("L* at %d", i).isGreaterThanOrEqualTo(previous - 0.3);
            previous = l;
        }
        for (int i = 0; i < 16; i++) {
            assertThat(lightness(Colormap.VIRIDIS.rgb((i + 1) / 16.0)))
                    .isGreaterThan(lightness(Colormap.VIRIDIS.rgb(i / 16.0)));
        }
    }

    @ParameterizedTest
    @EnumSource(Colormap.class)
    void valuesAreClampedAndNaNIsZero(Colormap map) {
        assertThat(map.rgb(-3)).isEqualTo(map.rgb(0));
        assertThat(map.rgb(7)).isEqualTo(map.rgb(1));
        assertThat(map.rgb(Double.NaN)).isEqualTo(map.rgb(0));
        assertThat(map.rgb(Double.POSITIVE_INFINITY)).isEqualTo(map.rgb(1));
        assertThat(map.rgb(0.3) & ~0xFFFFFF).isZero();
    }

    /** CIE L* of an sRGB colour. */
    private static double lightness(int rgb) {
        double y = 0.2126 * linear(rgb >> 16 & 0xFF) + 0.7152 * linear(rgb >> 8 & 0xFF) + 0.0722 * linear(rgb & 0xFF);
        return y > 216.0 / 24389 ? 116 * Math.cbrt(y) - 16 : y * 24389 / 27;
    }

    private static double linear(int c) {
        double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
