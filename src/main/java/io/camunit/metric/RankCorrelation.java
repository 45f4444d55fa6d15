package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.ImageSize;

import java.util.Arrays;

/**
 * Spearman rank correlation between two maps of one size: the Pearson correlation of their
 * pixel ranks, tied values sharing their mean rank. Used for the randomisation sanity check of
 * Adebayo et al.: a method whose map barely changes when the model's weights are re-initialised
 * (correlation near 1) does not explain the model. In [-1, 1]; 0 when either map is constant.
 *
 * <pre>{@code
 * double rho = RankCorrelation.spearman(trained.raw(), randomised.raw());
 * }</pre>
 */
public final class RankCorrelation {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "spearman";

    private RankCorrelation() {}

    /**
     * @param a a map
     * @param b a map of the same size
     * @return Spearman's rho
     */
    public static double spearman(Heatmap a, Heatmap b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new CamunitException("Rank correlation compares maps of one size; got "
                    + ImageSize.format(a.width(), a.height()) + " and " + ImageSize.format(b.width(), b.height())
                    + ". Resize one to the other first.");
        }
        if (!a.isFinite() || !b.isFinite()) {
            throw new DegenerateMapException("Rank correlation of a map with NaN or infinite values is undefined.");
        }
        return pearson(ranks(a.toArray()), ranks(b.toArray()));
    }

    static double[] ranks(float[] v) {
        // Sort (value, index) pairs packed in longs: a primitive sort, no boxing.
        long[] keys = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            int bits = Float.floatToIntBits(v[i] == 0 ? 0f : v[i]);
            bits = bits < 0 ? bits ^ 0x7fffffff : bits;
            keys[i] = (long) bits << 32 | i;
        }
        Arrays.sort(keys);
        double[] rank = new double[v.length];
        int i = 0;
        while (i < keys.length) {
            int j = i;
            while (j + 1 < keys.length && (keys[j + 1] >> 32) == (keys[i] >> 32)) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[(int) keys[k]] = mean;
            }
            i = j + 1;
        }
        return rank;
    }

    static double pearson(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        // A constant map carries no ranking: report no correlation rather than NaN.
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }
}
