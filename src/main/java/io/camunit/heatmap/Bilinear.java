package io.camunit.heatmap;

/**
 * Bilinear resizing of a row-major plane with half-pixel centres and edge clamping: the rule of
 * OpenCV's {@code INTER_LINEAR} and of PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)} without antialiasing, so maps match pytorch-grad-cam's {@code cv2.resize}.
 *
 * <pre>{@code
 * float[] big = Bilinear.resize(small, 7, 7, 224, 224);
 * }</pre>
 */
public final class Bilinear {

    private Bilinear() {}

    /**
     * Resizes one plane.
     *
     * @param src the source values, {@code srcWidth * srcHeight}, row-major
     * @param srcWidth source columns
     * @param srcHeight source rows
     * @param dstWidth target columns
     * @param dstHeight target rows
     * @return a new array of {@code dstWidth * dstHeight} values
     */
    public static float[] resize(float[] src, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
        float[] dst = new float[dstWidth * dstHeight];
        resizeInto(src, 0, srcWidth, srcHeight, dst, 0, dstWidth, dstHeight);
        return dst;
    }

    /**
     * Resizes one plane stored at an offset of {@code src} into {@code dst} at an offset, so that
     * the channels of an image can be resized without copies. Separable: each source row is
     * interpolated horizontally once (two rows are kept), then pairs of rows vertically; every
     * output value is the same float expression as the direct four-neighbour form.
     */
    static void resizeInto(
            float[] src, int srcOffset, int srcWidth, int srcHeight,
            float[] dst, int dstOffset, int dstWidth, int dstHeight) {
        Taps xs = Taps.of(srcWidth, dstWidth);
        Taps ys = Taps.of(srcHeight, dstHeight);
        // Two horizontally interpolated source rows; rows are needed in non-decreasing order.
        float[][] rows = {new float[dstWidth], new float[dstWidth]};
        int[] rowOf = {-1, -1};
        for (int y = 0; y < dstHeight; y++) {
            float[] top = row(src, srcOffset, srcWidth, ys.lo[y], xs, rows, rowOf);
            float[] bottom = row(src, srcOffset, srcWidth, ys.hi[y], xs, rows, rowOf);
            float wy = ys.hiWeight[y];
            float vy = 1 - wy;
            int out = dstOffset + y * dstWidth;
            for (int x = 0; x < dstWidth; x++) {
                dst[out + x] = top[x] * vy + bottom[x] * wy;
            }
        }
    }

    /** Source row {@code r} interpolated horizontally, from the two-row cache or computed into it. */
    private static float[] row(float[] src, int srcOffset, int srcWidth, int r, Taps xs, float[][] rows,
            int[] rowOf) {
        for (int slot = 0; slot < 2; slot++) {
            if (rowOf[slot] == r) {
                return rows[slot];
            }
        }
        // Replace the row with the lower index: later output rows never need it again.
        int slot = rowOf[0] < rowOf[1] ? 0 : 1;
        float[] h = rows[slot];
        int base = srcOffset + r * srcWidth;
        int[] x0 = xs.lo;
        int[] x1 = xs.hi;
        float[] fx = xs.hiWeight;
        float[] gx = xs.loWeight;
        for (int x = 0; x < h.length; x++) {
            h[x] = src[base + x0[x]] * gx[x] + src[base + x1[x]] * fx[x];
        }
        rowOf[slot] = r;
        return h;
    }

    /**
     * Resizes the three 8-bit channels of packed {@code 0xRRGGBB} pixels at once, reading each
     * source pixel once for all three: writes the planes R, G and B of {@code dstWidth * dstHeight}
     * values each, from {@code dstOffset}. Each plane is exactly what {@link #resize} gives for that
     * channel's plane of values 0 to 255.
     *
     * @param rgb the source pixels, {@code srcWidth * srcHeight}, row-major, {@code 0xRRGGBB}
     * @param srcWidth source columns
     * @param srcHeight source rows
     * @param dstWidth target columns
     * @param dstHeight target rows
     * @param dst where the three planes go, channel-major
     * @param dstOffset the index of the first R value in {@code dst}
     */
    public static void resizeRgb(int[] rgb, int srcWidth, int srcHeight, int dstWidth, int dstHeight, float[] dst,
            int dstOffset) {
        resizeRgb(rgb, srcWidth, srcHeight, dstWidth, dstHeight, dst, dstOffset, new double[] {1, 1, 1},
                new double[] {0, 0, 0});
    }

    /**
     * {@link #resizeRgb(int[], int, int, int, int, float[], int)}, then each value {@code v} of
     * channel {@code c} becomes {@code (float) (v * scale[c] - shift[c])}, computed in double: the
     * input normalisation, in the same pass as the vertical interpolation rather than a pass of its own.
     *
     * @param rgb the source pixels, {@code srcWidth * srcHeight}, row-major, {@code 0xRRGGBB}
     * @param srcWidth source columns
     * @param srcHeight source rows
     * @param dstWidth target columns
     * @param dstHeight target rows
     * @param dst where the three planes go, channel-major
     * @param dstOffset the index of the first R value in {@code dst}
     * @param scale per channel (R, G, B), the factor of the resized value
     * @param shift per channel, subtracted after scaling
     */
    public static void resizeRgb(int[] rgb, int srcWidth, int srcHeight, int dstWidth, int dstHeight, float[] dst,
            int dstOffset, double[] scale, double[] shift) {
        Taps xs = Taps.of(srcWidth, dstWidth);
        Taps ys = Taps.of(srcHeight, dstHeight);
        // Two source rows, each interpolated horizontally for the three channels (R, G, B blocks).
        float[][] rows = {new float[3 * dstWidth], new float[3 * dstWidth]};
        int[] rowOf = {-1, -1};
        int plane = dstWidth * dstHeight;
        for (int y = 0; y < dstHeight; y++) {
            float[] top = rgbRow(rgb, srcWidth, ys.lo[y], xs, rows, rowOf);
            float[] bottom = rgbRow(rgb, srcWidth, ys.hi[y], xs, rows, rowOf);
            float wy = ys.hiWeight[y];
            float vy = 1 - wy;
            for (int c = 0; c < 3; c++) {
                int in = c * dstWidth;
                int out = dstOffset + c * plane + y * dstWidth;
                double s = scale[c];
                double t = shift[c];
                for (int x = 0; x < dstWidth; x++) {
                    // The interpolated value is a float, as in resize; only the normalisation is in double.
                    float v = top[in + x] * vy + bottom[in + x] * wy;
                    dst[out + x] = (float) (v * s - t);
                }
            }
        }
    }

    private static float[] rgbRow(int[] rgb, int srcWidth, int r, Taps xs, float[][] rows, int[] rowOf) {
        for (int slot = 0; slot < 2; slot++) {
            if (rowOf[slot] == r) {
                return rows[slot];
            }
        }
        int slot = rowOf[0] < rowOf[1] ? 0 : 1;
        float[] h = rows[slot];
        int[] x0 = xs.lo;
        int[] x1 = xs.hi;
        float[] fx = xs.hiWeight;
        float[] gx = xs.loWeight;
        int width = x0.length;
        int base = r * srcWidth;
        for (int x = 0; x < width; x++) {
            int a = rgb[base + x0[x]];
            int b = rgb[base + x1[x]];
            float g = gx[x];
            float f = fx[x];
            h[x] = ((a >> 16) & 0xFF) * g + ((b >> 16) & 0xFF) * f;
            h[width + x] = ((a >> 8) & 0xFF) * g + ((b >> 8) & 0xFF) * f;
            h[2 * width + x] = (a & 0xFF) * g + (b & 0xFF) * f;
        }
        rowOf[slot] = r;
        return h;
    }

    /**
     * For each target index along one axis: the two source indices it reads, and their weights
     * ({@code loWeight = 1 - hiWeight}; 0 for the second when both indices are the same edge pixel).
     */
    private record Taps(int[] lo, int[] hi, float[] loWeight, float[] hiWeight) {

        static Taps of(int srcSize, int dstSize) {
            int[] lo = new int[dstSize];
            int[] hi = new int[dstSize];
            float[] loWeight = new float[dstSize];
            float[] hiWeight = new float[dstSize];
            double scale = (double) srcSize / dstSize;
            for (int d = 0; d < dstSize; d++) {
                double s = Math.max((d + 0.5) * scale - 0.5, 0);
                lo[d] = Math.min((int) Math.floor(s), srcSize - 1);
                hi[d] = Math.min(lo[d] + 1, srcSize - 1);
                hiWeight[d] = hi[d] == lo[d] ? 0 : (float) (s - lo[d]);
                loWeight[d] = 1 - hiWeight[d];
            }
            return new Taps(lo, hi, loWeight, hiWeight);
        }
    }
}
