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
}
