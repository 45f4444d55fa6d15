package io.camunit.metric;

import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;

/**
 * Peak inside (the pointing game of Zhang et al.): the map's maximum lies within {@code tolerance}
 * pixels (Euclidean, pixel centres) of the region. With tied maxima, any of them counts (the
 * spec's rule). The default tolerance is the protocol's 15 px; Quantus uses 0.
 *
 * <pre>{@code
 * boolean hit = PeakInside.of(explanation.raw(), sample.mask(), PeakInside.DEFAULT_TOLERANCE);
 * }</pre>
 */
public final class PeakInside {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "peak-inside";
    /** The pointing game's tolerance in pixels. */
    public static final double DEFAULT_TOLERANCE = 15;

    private PeakInside() {}

    /**
     * @param map a non-negative raw map, resized to the region's image if needed
     * @param region the labelled pixels
     * @param tolerance pixels of slack around the region, at least 0
     * @return true when a maximum lies within the tolerance of the region
     */
    public static boolean of(Heatmap map, Mask region, double tolerance) {
        float[] v = MapOnImage.values(map, region);
        // The maximum and how many pixels share it, in one pass (the values are finite).
        float max = Float.NEGATIVE_INFINITY;
        int ties = 0;
        for (float x : v) {
            if (x > max) {
                max = x;
                ties = 1;
            } else if (x == max) {
                ties++;
            }
        }
        int width = region.width();
        double side = 2 * Math.floor(tolerance) + 1;
        if (ties * side * side > v.length) {
            // So many tied maxima (a flat map) that growing the region once is cheaper than
            // looking around each of them.
            Mask target = region.dilated(tolerance);
            for (int i = 0; i < v.length; i++) {
                if (v[i] == max && target.contains(i % width, i / width)) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] == max && region.isNear(i % width, i / width, tolerance)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the maximum is, for messages: the first maximum in row-major order.
     *
     * @param map a map
     * @param width the labelled image's width
     * @param height the labelled image's height
     * @return {@code {x, y}}
     */
    public static int[] peak(Heatmap map, int width, int height) {
        float[] v = map.resize(width, height).toArray();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return new int[] {best % width, best / width};
    }
}
