package io.camunit.heatmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BilinearTest {

    /**
     * The separable resize gives, bit for bit, the four-neighbour form of the rule: source
     * coordinate {@code max((d + 0.5) * (src / dst) - 0.5, 0)}, neighbours clamped at the edge,
     * {@code (s00 (1 - wx) + s01 wx) (1 - wy) + (s10 (1 - wx) + s11 wx) wy} in float.
     */
    @ParameterizedTest
    @CsvSource({"7,7,224,224", "16,16,64,64", "96,96,64,64", "128,96,64,64", "5,1,1,1", "1,5,3,9", "3,2,2,7",
        "64,64,96,112"})
    void separableResizeEqualsTheFourNeighbourFormExactly(int srcW, int srcH, int dstW, int dstH) {
        Random random = new Random(srcW * 31L + dstH);
        float[] src = new float[srcW * srcH];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) random.nextGaussian();
        }

        float[] resized = Bilinear.resize(src, srcW, srcH, dstW, dstH);

        float[] expected = new float[dstW * dstH];
        for (int y = 0; y < dstH; y++) {
            double sy = Math.max((y + 0.5) * ((double) srcH / dstH) - 0.5, 0);
            int ya = Math.min((int) Math.floor(sy), srcH - 1);
            int yb = Math.min(ya + 1, srcH - 1);
            float wy = yb == ya ? 0 : (float) (sy - ya);
            for (int x = 0; x < dstW; x++) {
                double sx = Math.max((x + 0.5) * ((double) srcW / dstW) - 0.5, 0);
                int xa = Math.min((int) Math.floor(sx), srcW - 1);
                int xb = Math.min(xa + 1, srcW - 1);
                float wx = xb == xa ? 0 : (float) (sx - xa);
                float top = src[ya * srcW + xa] * (1 - wx) + src[ya * srcW + xb] * wx;
                float bottom = src[yb * srcW + xa] * (1 - wx) + src[yb * srcW + xb] * wx;
                expected[y * dstW + x] = top * (1 - wy) + bottom * wy;
            }
        }
        assertThat(resized).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource({"96,96,64,64", "128,96,64,64", "7,5,224,224", "3,1,1,4"})
    void packedRgbResizesEachChannelExactlyAsItsOwnPlane(int srcW, int srcH, int dstW, int dstH) {
        Random random = new Random(srcW * 7L + dstW);
        int[] rgb = new int[srcW * srcH];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(1 << 24);
        }
        int m = dstW * dstH;
        float[] out = new float[5 + 3 * m];

        Bilinear.resizeRgb(rgb, srcW, srcH, dstW, dstH, out, 5);

        for (int c = 0; c < 3; c++) {
            float[] plane = new float[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                plane[i] = (rgb[i] >> (16 - 8 * c)) & 0xFF;
            }
            assertThat(java.util.Arrays.copyOfRange(out, 5 + c * m, 5 + (c + 1) * m))
                    .containsExactly(Bilinear.resize(plane, srcW, srcH, dstW, dstH));
        }
        assertThat(java.util.Arrays.copyOfRange(out, 0, 5)).containsOnly(0f);
    }

    @ParameterizedTest
    @CsvSource({"128,96,64,64", "5,7,9,3"})
    void packedRgbWithScaleAndShiftIsTheResizedValueScaledThenShiftedInDouble(int srcW, int srcH, int dstW,
            int dstH) {
        Random random = new Random(srcH * 11L + dstH);
        int[] rgb = new int[srcW * srcH];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(1 << 24);
        }
        int m = dstW * dstH;
        double[] scale = {1 / (255 * 0.229), 1 / (255 * 0.224), 1 / (255 * 0.225)};
        double[] shift = {0.485 / 0.229, 0.456 / 0.224, 0.406 / 0.225};
        float[] plain = new float[3 * m];
        float[] normalised = new float[3 * m];

        Bilinear.resizeRgb(rgb, srcW, srcH, dstW, dstH, plain, 0);
        Bilinear.resizeRgb(rgb, srcW, srcH, dstW, dstH, normalised, 0, scale, shift);

        float[] expected = new float[3 * m];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) (plain[i] * scale[i / m] - shift[i / m]);
        }
        assertThat(normalised).containsExactly(expected);
    }
}
