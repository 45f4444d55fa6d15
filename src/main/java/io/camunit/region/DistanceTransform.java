package io.camunit.region;

/**
 * Exact squared Euclidean distance from every pixel centre to the nearest pixel of a mask, in
 * linear time (the lower-envelope-of-parabolas transform of Felzenszwalb and Huttenlocher, applied
 * to columns then rows). Used for margins and the pointing game's tolerance.
 */
final class DistanceTransform {

    private static final double INF = 1e20;

    private DistanceTransform() {}

    static double[] squaredDistances(Mask mask) {
        int w = mask.width();
        int h = mask.height();
        double[] d = new double[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = mask.bits().get(i) ? 0 : INF;
        }
        double[] f = new double[Math.max(w, h)];
        double[] out = new double[Math.max(w, h)];
        int[] v = new int[Math.max(w, h)];
        double[] z = new double[Math.max(w, h) + 1];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                f[y] = d[y * w + x];
            }
            transform1d(f, h, out, v, z);
            for (int y = 0; y < h; y++) {
                d[y * w + x] = out[y];
            }
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, y * w, f, 0, w);
            transform1d(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        return d;
    }

    /** One dimension: {@code out[q] = min_p (q - p)^2 + f[p]}. */
    private static void transform1d(double[] f, int n, double[] out, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            double s = intersection(f, q, v[k]);
            while (s <= z[k]) {
                k--;
                s = intersection(f, q, v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            double dq = q - v[k];
            out[q] = dq * dq + f[v[k]];
        }
    }

    private static double intersection(double[] f, int q, int p) {
        return ((f[q] + (double) q * q) - (f[p] + (double) p * p)) / (2.0 * q - 2.0 * p);
    }
}
