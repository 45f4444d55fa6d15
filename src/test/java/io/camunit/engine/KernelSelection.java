package io.camunit.engine;

/**
 * Selects convolution kernels for the whole JVM, bypassing the engine check: for the benchmark that
 * measures what the check's switch costs, on models whose convolutions oneDNN computes correctly.
 * Never for maps that are kept; call {@link #restore()} after.
 *
 * <pre>{@code
 * KernelSelection.use(ConvolutionKernels.ONEDNN);
 * try { ... } finally { KernelSelection.restore(); }
 * }</pre>
 */
public final class KernelSelection {

    private KernelSelection() {}

    /** @param kernels the kernels every following convolution uses */
    public static void use(ConvolutionKernels kernels) {
        GradientLock.locked(() -> {
            kernels.select();
            return null;
        });
    }

    /** Puts back the kernels of the JVM's verdict. */
    public static void restore() {
        use(EngineCheck.verdict().kernels());
    }
}
