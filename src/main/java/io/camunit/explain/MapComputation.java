package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * How one {@link Method} turns a batch into maps: at one layer for layer methods, at the input for
 * input-space and black-box methods. {@link Explainer} does the rest of the pipeline (ReLU,
 * upsampling, normalisation, layer fusion, augmentation), the same for every method.
 */
interface MapComputation {

    /**
     * @param model the model
     * @param batch the prepared batch {@code N x 3 x H x W}, owned by a scope the caller closes
     * @param layer the layer, or null for methods that work on the input
     * @param targets one target per image
     * @param options the method's knobs
     * @return one map per image, before ReLU
     */
    BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets, MethodOptions options);
}
