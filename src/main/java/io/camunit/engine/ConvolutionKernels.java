package io.camunit.engine;

/**
 * Which kernels compute the engine's convolutions, forward and backward, for the whole JVM.
 *
 * <pre>{@code
 * EngineCheck.verdict().kernels();   // ONEDNN where the check verified them, else PYTORCH
 * }</pre>
 */
public enum ConvolutionKernels {

    /**
     * PyTorch's default on x86 processors, oneDNN's vectorised kernels, the fastest; NNPACK, which
     * PyTorch would try for some shapes, is off, so that the kernels the probe verified are the ones
     * that run (and processors without NNPACK do not log that it cannot start).
     */
    ONEDNN("onednn", "oneDNN's convolution kernels (PyTorch's default)"),

    /**
     * PyTorch's own kernels (im2col and matrix products): oneDNN and NNPACK are switched off, as
     * {@code torch.backends.mkldnn.enabled = False} and {@code torch.backends.nnpack.enabled = False}
     * do in Python. Measured on ResNet-18 at 224 x 224 with one thread: 2.0 times the time of oneDNN's
     * kernels for a forward pass of one image, 3.4 for 32; 2.4 for a forward and backward pass of one
     * image, 3.6 for 8.
     */
    PYTORCH("pytorch", "PyTorch's own convolution kernels (oneDNN and NNPACK off)");

    private final String id;
    private final String description;

    ConvolutionKernels(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** @return the short name reports use: {@code onednn} or {@code pytorch} */
    public String id() {
        return id;
    }

    /** @return what computes the convolutions, for messages */
    public String description() {
        return description;
    }

    /**
     * Makes the engine compute every following convolution of this JVM with these kernels.
     *
     * @throws IllegalStateException when the switch cannot be found in the loaded PyTorch library
     */
    void select() {
        if (this == PYTORCH) {
            OneDnnSwitch.shared().select(false);
        } else {
            try {
                OneDnnSwitch.shared().select(true);
            } catch (IllegalStateException e) {
                // No switch in this library: PyTorch's defaults stay, which the probe then checks.
            }
        }
    }
}
