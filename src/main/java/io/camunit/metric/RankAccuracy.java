package io.camunit.metric;

import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;

/**
 * Relevance rank accuracy (Arras et al.): with {@code K = |R|}, the share of the map's {@code K}
 * highest pixels that lie in the region. Ties at the {@code K}-th value count in proportion (the
 * expected value under random tie-breaking). In [0, 1]; 1 when the region holds the top of the map.
 *
 * <pre>{@code
 * double r = RankAccuracy.of(explanation.raw(), sample.mask());
 * }</pre>
 */
public final class RankAccuracy {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "rank-accuracy";

    private RankAccuracy() {}

    /**
     * @param map a non-negative raw map, resized to the region's image if needed
     * @param region the labelled pixels
     * @return the share of the top {@code |R|} pixels inside the region
     */
    public static double of(Heatmap map, Mask region) {
        float[] v = MapOnImage.values(map, region);
        return TopPixels.shareInside(v, region, region.area());
    }
}
