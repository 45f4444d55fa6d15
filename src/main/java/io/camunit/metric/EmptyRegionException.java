package io.camunit.metric;

import io.camunit.CamunitException;

/**
 * A region with no pixel in the image: a metric against it is undefined, so it is an error, never
 * a pass and never NaN.
 *
 * <pre>{@code
 * MassInside.of(map, Mask.empty(64, 64));   // throws EmptyRegionException
 * }</pre>
 */
public class EmptyRegionException extends CamunitException {

    private static final long serialVersionUID = 1L;

    /** @param message which region, in which image, and what to check */
    public EmptyRegionException(String message) {
        super(message);
    }
}
