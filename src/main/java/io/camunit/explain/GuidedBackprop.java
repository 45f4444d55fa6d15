package io.camunit.explain;

/** Placeholder until the methods land; see {@link Method}. */
final class GuidedBackprop {

    private GuidedBackprop() {}

    static MapComputation guidedBackprop() {
        return InputGradients.unavailable("guided-backprop");
    }

    static MapComputation guidedGradCam() {
        return InputGradients.unavailable("guided-grad-cam");
    }
}
