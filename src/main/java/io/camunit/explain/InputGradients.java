package io.camunit.explain;

import io.camunit.CamunitException;

/** Placeholder until the methods land; see {@link Method}. */
final class InputGradients {

    private InputGradients() {}

    static MapComputation vanilla() {
        return unavailable("gradient");
    }

    static MapComputation smoothGrad() {
        return unavailable("smoothgrad");
    }

    static MapComputation integratedGradients() {
        return unavailable("integrated-gradients");
    }

    static MapComputation unavailable(String id) {
        return (model, batch, layer, targets, options) -> {
            throw new CamunitException(id + " is not available in this build.");
        };
    }
}
