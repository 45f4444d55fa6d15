package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Box;
import io.camunit.region.Mask;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Weakly supervised localisation (the CAM paper, threshold 0.2 by default): the map is cut at
 * {@code t * max}, giving {@code S = {p : m_p >= t * max m}}. The mask variant is the IoU of
 * {@code S} with the region; the box variant takes the bounding box of the largest 8-connected
 * component of {@code S} and returns its best box IoU with the labelled boxes.
 *
 * <pre>{@code
 * double iou = IouAtThreshold.mask(explanation.raw(), sample.mask(), 0.2);
 * double boxIou = IouAtThreshold.box(explanation.raw(), List.of(Box.coco(10, 10, 30, 20)), 96, 96, 0.2);
 * }</pre>
 */
public final class IouAtThreshold {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "iou";
    /** The CAM paper's threshold. */
    public static final double DEFAULT_THRESHOLD = 0.2;

    private IouAtThreshold() {}

    /**
     * @param map a non-negative raw map, resized to the region's image if needed
     * @param region the labelled pixels
     * @param threshold the share of the maximum to cut at, in (0, 1]
     * @return {@code |S ∩ R| / |S ∪ R|}
     */
    public static double mask(Heatmap map, Mask region, double threshold) {
        float[] v = MapOnImage.values(map, region);
        boolean[] s = above(v, threshold);
        int w = region.width();
        int inter = 0;
        int union = 0;
        for (int i = 0; i < v.length; i++) {
            boolean r = region.contains(i % w, i / w);
            inter += s[i] && r ? 1 : 0;
            union += s[i] || r ? 1 : 0;
        }
        return (double) inter / union;
    }

    /**
     * @param map a non-negative raw map, resized to the image if needed
     * @param boxes the labelled boxes, at least one
     * @param width the labelled image's width
     * @param height the labelled image's height
     * @param threshold the share of the maximum to cut at, in (0, 1]
     * @return the largest IoU between the box of the largest component and a labelled box
     */
    public static double box(Heatmap map, List<Box> boxes, int width, int height, double threshold) {
        if (boxes.isEmpty()) {
            throw new EmptyRegionException("IoU of boxes needs at least one labelled box; the sample has none.");
        }
        Box found = largestComponentBox(above(MapOnImage.valuesOf(map, width, height), threshold), width, height);
        double best = 0;
        for (Box b : boxes) {
            best = Math.max(best, found.iou(b));
        }
        return best;
    }

    /**
     * @param map a non-negative raw map at the image's size
     * @param width the image's width
     * @param height the image's height
     * @param threshold the share of the maximum to cut at
     * @return the bounding box of the largest 8-connected component above the threshold
     */
    public static Box localise(Heatmap map, int width, int height, double threshold) {
        return largestComponentBox(above(MapOnImage.valuesOf(map, width, height), threshold), width, height);
    }

    private static boolean[] above(float[] v, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new CamunitException("IoU at threshold needs a threshold in (0, 1]; got " + threshold);
        }
        float max = 0;
        for (float x : v) {
            max = Math.max(max, x);
        }
        boolean[] s = new boolean[v.length];
        double cut = threshold * max;
        for (int i = 0; i < v.length; i++) {
            s[i] = v[i] >= cut;
        }
        return s;
    }

    private static Box largestComponentBox(boolean[] s, int w, int h) {
        int[] label = new int[s.length];
        int bestSize = 0;
        int[] best = null;
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < s.length; start++) {
            if (!s[start] || label[start] != 0) {
                continue;
            }
            next++;
            int size = 0;
            int minX = w;
            int minY = h;
            int maxX = -1;
            int maxY = -1;
            label[start] = next;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int x = p % w;
                int y = p / w;
                size++;
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                            int q = ny * w + nx;
                            if (s[q] && label[q] == 0) {
                                label[q] = next;
                                queue.add(q);
                            }
                        }
                    }
                }
            }
            // Ties between components go to the first in row-major order, for determinism.
            if (size > bestSize) {
                bestSize = size;
                best = new int[] {minX, minY, maxX, maxY};
            }
        }
        return Box.coco(best[0], best[1], best[2] - best[0] + 1, best[3] - best[1] + 1);
    }
}
