package io.camunit.engine;

import io.camunit.CamunitException;

/**
 * Gradients were asked for on a machine where the engine check found no way to compute them
 * correctly. The message names the CPU, the evidence, the fix and the methods that still run.
 *
 * <pre>{@code
 * try {
 *     gradCam.explain(model, image, Target.predicted());
 * } catch (EngineFaultException e) {
 *     // "Gradient methods are refused: on this CPU, ... Fix: ... DNNL_MAX_CPU_ISA=AVX ..."
 * }
 * }</pre>
 */
public class EngineFaultException extends CamunitException {

    private static final long serialVersionUID = 1L;

    /** @param message the verdict's refusal */
    public EngineFaultException(String message) {
        super(message);
    }
}
