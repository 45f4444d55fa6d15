package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;

/**
 * Top-k intersection: the share of the map's top {@code percent} % pixels (at least one pixel,
 * {@code ceil(percent / 100 * N)}) that lie in the region. Ties at the cut count in proportion.
 *
 * <pre>{@code
 * double top10 = TopPercentInside.of(explanation.raw(), sample.mask(), 10);
 * }</pre>
 *
 * <p>Its names, one per percentage ({@code top-10-inside}), come from {@link RegionMetric#topPercentInside}.
 */
public final class TopPercentInside {

    private TopPercentInside() {}

    /**
     * @param map a non-negative raw map, resized to the region's image if needed
     * @param region the labelled pixels
     * @param percent the share of pixels to take, in (0, 100]
     * @return the share of those pixels inside the region
     */
    public static double of(Heatmap map, Mask region, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new CamunitException("top-k% inside needs a percentage in (0, 100]; got " + percent);
        }
        float[] v = MapOnImage.values(map, region);
        int k = (int) Math.max(1, Math.ceil(percent / 100 * v.length - 1e-9));
        return TopPixels.shareInside(v, region, k);
    }
}
