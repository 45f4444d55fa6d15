package io.camunit.heatmap;

import io.camunit.model.ImageSize;

import java.util.Arrays;

/**
 * An immutable single-channel map of {@code height x width} float values, stored row-major.
 *
 * <pre>{@code
 * Heatmap m = Heatmap.of(2, 3, new float[] {0, 1, 2, 3, 4, 5});
 * m.get(2, 1);        // 5.0: column 2 of row 1
 * m.resize(6, 4);     // bilinear, half-pixel centres
 * }</pre>
 */
public final class Heatmap {

    /** The {@code 1e-7} added to the range in {@link #normalised()}, as pytorch-grad-cam does. */
    public static final double NORMALISATION_EPSILON = 1e-7;

    private final int width;
    private final int height;
    private final float[] values;

    private Heatmap(int width, int height, float[] values) {
        this.width = width;
        this.height = height;
        this.values = values;
    }

    /**
     * Creates a map from row-major values; the array is copied.
     *
     * @param width the number of columns, at least 1
     * @param height the number of rows, at least 1
     * @param values {@code width * height} values, row after row
     * @return the map
     */
    public static Heatmap of(int width, int height, float[] values) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "A heatmap needs at least 1 x 1 values; got " + ImageSize.format(width, height));
        }
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "A " + ImageSize.format(width, height) + " heatmap needs " + width * height
                            + " values; got " + values.length);
        }
        return new Heatmap(width, height, values.clone());
    }

    /** Wraps an array this package created and will not change again. */
    static Heatmap wrap(int width, int height, float[] values) {
        return new Heatmap(width, height, values);
    }

    /** @return the number of columns */
    public int width() {
        return width;
    }

    /** @return the number of rows */
    public int height() {
        return height;
    }

    /**
     * @param x the column, from 0
     * @param y the row, from 0
     * @return the value at column x of row y
     */
    public float get(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException(
                    "(" + x + ", " + y + ") lies outside this " + ImageSize.format(width, height) + " map");
        }
        return values[y * width + x];
    }

    /** @return a copy of the values, row-major */
    public float[] toArray() {
        return values.clone();
    }

    /** @return the smallest value */
    public float min() {
        float min = Float.POSITIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** @return the largest value */
    public float max() {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** @return the sum of the values, accumulated in double precision */
    public double sum() {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }

    /** @return true when every value is finite (no NaN, no infinity) */
    public boolean isFinite() {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resizes with bilinear interpolation and half-pixel centres ({@link Bilinear}).
     *
     * @param newWidth the target number of columns
     * @param newHeight the target number of rows
     * @return the resized map (this map when the size is unchanged)
     */
    public Heatmap resize(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        return wrap(newWidth, newHeight, Bilinear.resize(values, width, height, newWidth, newHeight));
    }

    /**
     * Clamps negative values to zero ({@code max(m, 0)}), step 2 of the pipeline.
     *
     * @return the rectified map
     */
    public Heatmap relu() {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            // NaN stays NaN so that a broken map is reported as degenerate, not hidden as zero.
            out[i] = values[i] < 0 ? 0 : values[i];
        }
        return wrap(width, height, out);
    }

    /**
     * Mirrors the map left to right: what undoes a horizontal flip of the input.
     *
     * @return the mirrored map
     */
    public Heatmap flippedHorizontally() {
        float[] out = new float[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                out[y * width + x] = values[y * width + width - 1 - x];
            }
        }
        return wrap(width, height, out);
    }

    /**
     * Min-max normalisation {@code (m - min) / (max - min + 1e-7)}, step 4 of the pipeline: the
     * display map. A constant map becomes all zeros.
     *
     * @return the normalised map, values in [0, 1)
     */
    public Heatmap normalised() {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // One division, then multiplications: twice as fast as a division per value, and the float
        // results equal the divided ones but where the double product rounds across a float boundary.
        double scale = 1 / ((double) max - min + NORMALISATION_EPSILON);
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((values[i] - min) * scale);
        }
        return wrap(width, height, out);
    }

    /**
     * The element-wise mean of maps of one size, used to fuse several layers.
     *
     * @param maps at least one map, all of the same size
     * @return their mean
     */
    public static Heatmap mean(java.util.List<Heatmap> maps) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("The mean of no maps is undefined");
        }
        Heatmap first = maps.get(0);
        double[] sum = new double[first.values.length];
        for (Heatmap m : maps) {
            if (m.width != first.width || m.height != first.height) {
                throw new IllegalArgumentException(
                        "Cannot average a " + ImageSize.format(m.width, m.height) + " map with a "
                                + ImageSize.format(first.width, first.height) + " map");
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += m.values[i];
            }
        }
        float[] out = new float[sum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sum[i] / maps.size());
        }
        return wrap(first.width, first.height, out);
    }

    /**
     * The largest absolute difference to another map of the same size, for comparisons with goldens.
     *
     * @param other a map of the same size
     * @return {@code max |this - other|}
     */
    public double maxAbsDifference(Heatmap other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException(
                    "Cannot compare a " + ImageSize.format(width, height) + " map with a "
                            + ImageSize.format(other.width, other.height) + " map");
        }
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            max = Math.max(max, Math.abs((double) values[i] - other.values[i]));
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Heatmap h
                && h.width == width
                && h.height == height
                && Arrays.equals(h.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Heatmap[" + width + "x" + height + ", min=" + min() + ", max=" + max() + "]";
    }
}
