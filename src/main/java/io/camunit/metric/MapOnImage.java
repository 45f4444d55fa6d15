package io.camunit.metric;

import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;
import io.camunit.model.ImageSize;

/**
 * The checks and the resizing every region metric starts with: the raw map is brought to the
 * labelled image's resolution (bilinear, the pipeline's rule; regions are never resized), must be
 * finite with positive mass, and the region must not be empty.
 */
final class MapOnImage {

    private MapOnImage() {}

    /**
     * @return the map's values at the mask's size, row-major
     * @throws DegenerateMapException for NaN, infinity, or no positive mass
     * @throws EmptyRegionException for an empty region
     */
    static float[] values(Heatmap map, Mask region) {
        float[] v = valuesOf(map, region.width(), region.height());
        if (region.isEmpty()) {
            throw new EmptyRegionException("The region is empty in the " + ImageSize.format(region.width(), region.height())
                    + " image: nothing can lie inside it. Check the annotation (a box outside the image, a mask"
                    + " of another class or threshold) or the class selected.");
        }
        return v;
    }

    /** The map at a size, checked for degeneracy (no region involved). */
    static float[] valuesOf(Heatmap map, int width, int height) {
        Heatmap resized = map.resize(width, height);
        if (!resized.isFinite()) {
            throw new DegenerateMapException("The map holds NaN or infinite values, so no metric can be computed."
                    + " The model produced non-finite activations or gradients for this input.");
        }
        float[] v = resized.toArray();
        float max = 0;
        for (float x : v) {
            if (x < 0) {
                throw new DegenerateMapException("The map has negative values (" + x + "); metrics need the raw map"
                        + " after ReLU (Explanation.raw()), not a signed one.");
            }
            max = Math.max(max, x);
        }
        if (!(max > 0)) {
            throw new DegenerateMapException("The map has no positive mass (all zero after ReLU): the target score"
                    + " does not increase with any activation of the explained layer for this image. Try another"
                    + " layer or method, or check the target.");
        }
        return v;
    }
}
