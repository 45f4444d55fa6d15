package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** Placeholder until the method lands; see {@link Method}. */
final class Rise implements MapComputation {

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        throw new CamunitException("Rise is not available in this build.");
    }
}
