package io.camunit.metric;

import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;

/**
 * Mass inside: the share of the map's mass that lies in the region,
 * {@code sum_{p in R} m_p / sum_p m_p}, on the raw map (no min subtraction: a constant offset would
 * leak mass into every region). Known as the energy-based pointing game (Score-CAM paper), relevance
 * mass accuracy (Arras et al.) and attribution localisation (Quantus). Scale-invariant; in [0, 1].
 *
 * <pre>{@code
 * double share = MassInside.of(explanation.raw(), sample.mask());   // 0.83: 83 % of the mass on the object
 * }</pre>
 */
public final class MassInside {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "mass-inside";

    private MassInside() {}

    /**
     * @param map a non-negative raw map, resized to the region's image if needed
     * @param region the labelled pixels
     * @return the share of mass inside, in [0, 1]
     */
    public static double of(Heatmap map, Mask region) {
        float[] v = MapOnImage.values(map, region);
        double total = 0;
        for (float x : v) {
            total += x;
        }
        // The region's pixels in the same row-major order as a scan of the image, so the same sum.
        double inside = 0;
        for (int i = region.nextInside(0); i >= 0; i = region.nextInside(i + 1)) {
            inside += v[i];
        }
        return inside / total;
    }
}
