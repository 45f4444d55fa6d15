package io.camunit.metric;

import io.camunit.CamunitException;

/**
 * A map no metric can be computed on: all zero after ReLU (no positive mass), or holding NaN or
 * infinity. Assertions report it as a failure that says so, never as a pass and never as NaN.
 *
 * <pre>{@code
 * try {
 *     MassInside.of(map, region);
 * } catch (DegenerateMapException e) {
 *     // "The map has no positive mass (all zero after ReLU) ..."
 * }
 * }</pre>
 */
public class DegenerateMapException extends CamunitException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong with the map and what it usually means */
    public DegenerateMapException(String message) {
        super(message);
    }
}
