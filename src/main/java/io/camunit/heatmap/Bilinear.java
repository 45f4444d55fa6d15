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
     * the channels of an image can be resized without copies.
     */
    static void resizeInto(
            float[] src, int srcOffset, int srcWidth, int srcHeight,
            float[] dst, int dstOffset, int dstWidth, int dstHeight) {
        int[] x0 = new int[dstWidth];
        int[] x1 = new int[dstWidth];
        float[] fx = new float[dstWidth];
        sourceIndices(srcWidth, dstWidth, x0, x1, fx);
        int[] y0 = new int[dstHeight];
        int[] y1 = new int[dstHeight];
        float[] fy = new float[dstHeight];
        sourceIndices(srcHeight, dstHeight, y0, y1, fy);
        for (int y = 0; y < dstHeight; y++) {
            int row0 = srcOffset + y0[y] * srcWidth;
            int row1 = srcOffset + y1[y] * srcWidth;
            float wy = fy[y];
            int out = dstOffset + y * dstWidth;
            for (int x = 0; x < dstWidth; x++) {
                float wx = fx[x];
                float top = src[row0 + x0[x]] * (1 - wx) + src[row0 + x1[x]] * wx;
                float bottom = src[row1 + x0[x]] * (1 - wx) + src[row1 + x1[x]] * wx;
                dst[out + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }

    /** For each target index: the two source indices and the weight of the second one. */
    private static void sourceIndices(int srcSize, int dstSize, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcSize / dstSize;
        for (int d = 0; d < dstSize; d++) {
            double s = Math.max((d + 0.5) * scale - 0.5, 0);
            int lo = Math.min((int) Math.floor(s), srcSize - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, srcSize - 1);
            frac[d] = (float) (s - lo);
            if (i1[d] == lo) {
                frac[d] = 0;
            }
        }
    }
}
