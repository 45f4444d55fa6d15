package io.camunit.metric;

import io.camunit.region.Mask;

import java.util.Arrays;

/**
 * The share of a map's {@code k} highest pixels that lie in a region. Ties at the {@code k}-th
 * value are shared out in proportion (the expected share under random tie-breaking), so the result
 * does not depend on pixel order: a flat map scores the region's share of the image.
 */
final class TopPixels {

    private TopPixels() {}

    static double shareInside(float[] v, Mask region, int k) {
        float[] sorted = v.clone();
        Arrays.sort(sorted);
        float threshold = sorted[sorted.length - k];
        int above = 0;
        int aboveInside = 0;
        int tied = 0;
        int tiedInside = 0;
        int w = region.width();
        for (int i = 0; i < v.length; i++) {
            boolean inside = region.contains(i % w, i / w);
            if (v[i] > threshold) {
                above++;
                aboveInside += inside ? 1 : 0;
            } else if (v[i] == threshold) {
                tied++;
                tiedInside += inside ? 1 : 0;
            }
        }
        double fromTies = (double) (k - above) * tiedInside / tied;
        return (aboveInside + fromTies) / k;
    }
}
