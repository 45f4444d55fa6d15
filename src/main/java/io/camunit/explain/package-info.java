/**
 * CAM methods: an {@link io.camunit.explain.Explainer} runs one {@link io.camunit.explain.Method}
 * at one or more layers of a model for a batch of images with one
 * {@link io.camunit.explain.Target} each, and returns immutable
 * {@link io.camunit.explain.Explanation}s holding plain arrays.
 */
package io.camunit.explain;
