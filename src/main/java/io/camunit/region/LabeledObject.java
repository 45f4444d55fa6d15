package io.camunit.region;

import java.util.Objects;

/**
 * One labelled object of an image: its class name and where it is.
 *
 * <pre>{@code
 * new LabeledObject("square", Box.coco(10, 12, 20, 20));
 * }</pre>
 *
 * @param label the class name
 * @param region where the object is, in pixels of the labelled image
 */
public record LabeledObject(String label, Region region) {

    /** Checks for nulls. */
    public LabeledObject {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(region, "region");
    }

    /**
     * @param imageWidth the labelled image's width
     * @param imageHeight the labelled image's height
     * @return the object's box: the region itself when it is a box, else the tight box of a polygon or
     *     of the pixels it covers
     * @throws io.camunit.CamunitException when the region covers no pixel of the image
     */
    public Box box(int imageWidth, int imageHeight) {
        if (region instanceof Box b) {
            return b;
        }
        if (region instanceof Polygon p) {
            return p.bounds();
        }
        Mask pixels = region.toMask(imageWidth, imageHeight);
        if (pixels.isEmpty()) {
            throw new io.camunit.CamunitException("Object '" + label + "' (" + region.describe() + ") covers no pixel"
                    + " of the " + io.camunit.model.ImageSize.format(imageWidth, imageHeight) + " image, so it has no box. Check the annotation.");
        }
        return pixels.boundingBox();
    }
}
