package io.camunit.metric;

import io.camunit.region.Mask;

/**
 * The share of a map's {@code k} highest pixels that lie in a region. Ties at the {@code k}-th
 * value are shared out in proportion (the expected share under random tie-breaking), so the result
 * does not depend on pixel order: a flat map scores the region's share of the image.
 */
final class TopPixels {

    private TopPixels() {}

    static double shareInside(float[] v, Mask region, int k) {
        float threshold = select(v.clone(), v.length - k);
        int above = 0;
        int aboveInside = 0;
        int tied = 0;
        int tiedInside = 0;
        int w = region.width();
        for (int i = 0; i < v.length; i++) {
            if (v[i] < threshold) {
                continue; // most pixels: no need to look them up in the region
            }
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

    /** The value of rank {@code n} (0-based, ascending) by quickselect: linear time, no full sort. */
    static float select(float[] a, int n) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (n <= j) {
                hi = j;
            } else if (n >= i) {
                lo = i;
            } else {
                return a[n];
            }
        }
        return a[n];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }
}
