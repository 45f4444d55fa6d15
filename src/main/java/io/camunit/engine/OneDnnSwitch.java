package io.camunit.engine;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PyTorch's switches for oneDNN and NNPACK convolutions ({@code at::Context::setUserEnabledMkldnn}
 * and {@code setUserEnabledNNPACK}, what {@code torch.backends.mkldnn.enabled} and
 * {@code torch.backends.nnpack.enabled} set in Python). PyTorch reads them each time it chooses a
 * convolution kernel, so they take effect at any moment, unlike oneDNN's {@code DNNL_MAX_CPU_ISA},
 * which is read once, at the first convolution of a process. DJL does not expose them; they are
 * reached through the native library's exported symbols. NNPACK stays off: PyTorch would otherwise
 * try it for some shapes (unverified kernels), and on a processor without it log that it cannot
 * start, on every such convolution.
 *
 * <pre>{@code
 * OneDnnSwitch.shared().select(false);   // PyTorch's own kernels; throws when the symbols are missing
 * }</pre>
 */
final class OneDnnSwitch {

    static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    static final String SET_MKLDNN = "_ZN2at7Context20setUserEnabledMkldnnEb";
    static final String SET_NNPACK = "_ZN2at7Context20setUserEnabledNNPACKEb";

    /** Found once per JVM, on first use; a failure to find it is kept and thrown again each time. */
    private static OneDnnSwitch shared;
    private static IllegalStateException missing;

    private final Pointer context;
    private final Function setMkldnn;
    private final Function setNnpack;

    private OneDnnSwitch(Pointer context, Function setMkldnn, Function setNnpack) {
        this.context = context;
        this.setMkldnn = setMkldnn;
        this.setNnpack = setNnpack;
    }

    /**
     * @return the switch of this JVM's PyTorch library, found on first use
     * @throws IllegalStateException saying which library or symbol is missing, every time
     */
    static synchronized OneDnnSwitch shared() {
        if (shared == null && missing == null) {
            try {
                shared = open();
            } catch (IllegalStateException e) {
                missing = e;
            }
        }
        if (missing != null) {
            throw new IllegalStateException(missing.getMessage(), missing);
        }
        return shared;
    }

    /** Finds the switch in the loaded PyTorch library (starting the engine if needed). */
    private static OneDnnSwitch open() {
        Engine.getEngine("PyTorch");
        Path dir = Path.of(LibUtils.getLibtorchPath());
        NativeLibrary torch = library(dir.resolve("libtorch_cpu.so"));
        try {
            Pointer context = torch.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
            return new OneDnnSwitch(context, torch.getFunction(SET_MKLDNN), torch.getFunction(SET_NNPACK));
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("the PyTorch library in " + dir + " does not export the switch: "
                    + e.getMessage(), e);
        }
    }

    private static NativeLibrary library(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file.getFileName() + " in " + file.getParent()
                    + " (a PyTorch build other than DJL's Linux CPU library)");
        }
        try {
            return NativeLibrary.getInstance(file.toString());
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes oneDNN compute every following convolution of the process, or PyTorch's own kernels;
     * NNPACK is off either way.
     *
     * @param oneDnn whether oneDNN computes convolutions
     */
    void select(boolean oneDnn) {
        setMkldnn.invokeVoid(new Object[] {context, oneDnn});
        setNnpack.invokeVoid(new Object[] {context, false});
    }
}
