package io.camunit.region;

import java.util.Objects;
import java.util.Optional;

/**
 * One labelled object of an image: its class name and where it is, and the box the annotation
 * gives when its region is something else (a COCO object's {@code bbox} next to its segmentation).
 *
 * <pre>{@code
 * new LabeledObject("square", Box.coco(10, 12, 20, 20));
 * new LabeledObject("square", polygon, Optional.of(Box.coco(10, 12, 20, 20)));   // outline and bbox
 * }</pre>
 *
 * @param label the class name
 * @param region where the object is, in pixels of the labelled image
 * @param labelledBox the annotation's box when the region is not that box (empty when the region is
 *     the box, or the annotation gives none)
 */
public record LabeledObject(String label, Region region, Optional<Box> labelledBox) {

    /** Checks for nulls; a labelled box equal to the region is the region. */
    public LabeledObject {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(labelledBox, "labelledBox");
        if (labelledBox.isPresent() && labelledBox.get().equals(region)) {
            labelledBox = Optional.empty();
        }
    }

    /**
     * An object labelled by its region alone.
     *
     * @param label the class name
     * @param region where the object is, in pixels of the labelled image
     */
    public LabeledObject(String label, Region region) {
        this(label, region, Optional.empty());
    }

    /**
     * @param imageWidth the labelled image's width
     * @param imageHeight the labelled image's height
     * @return the object's box: the annotation's box ({@link #labelledBox}), else the region itself when
     *     it is a box, else the tight box of a polygon or of the pixels it covers
     * @throws io.camunit.CamunitException when the region covers no pixel of the image
     */
    public Box box(int imageWidth, int imageHeight) {
        if (labelledBox.isPresent()) {
            return labelledBox.get();
        }
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
