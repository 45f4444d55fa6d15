package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.engine.GradientLock;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer's activations and (optionally) the gradients of the target scores for a whole batch,
 * copied out of the engine straight into one array per sample, with the resolved targets.
 *
 * @param fixedTargets each image's target with what depends on the image fixed (see {@link ResolvedTargets}),
 *     for perturbed copies of it
 * @param notes per sample, what resolving its target found (see {@link ResolvedTargets}), or empty
 *
 * @param activations per sample, {@code channels * height * width} values, or null when only the
 *     gradients were asked for ({@link #gradientsAt})
 * @param gradients per sample, or null when the capture took none
 */
record LayerCapture(String layer, List<float[]> activations, List<float[]> gradients, int channels, int height,
        int width, int[] targetClasses, double[] scores, int[] predicted, List<Target> fixedTargets,
        List<String> notes) {

    /**
     * Runs features and head at one layer, and the backward pass when asked (under
     * {@link GradientLock}).
     */
    static LayerCapture take(CamModel model, NDArray batch, String layer, List<Target> targets,
            boolean gradients) {
        return gradients
                ? GradientLock.run(() -> run(model, batch, layer, targets, true, true))
                : run(model, batch, layer, targets, false, true);
    }

    /**
     * The gradients at one layer without copying its activations out of the engine, for methods that
     * read only the gradients (FullGrad, at every biased layer).
     */
    static LayerCapture gradientsAt(CamModel model, NDArray batch, String layer, List<Target> targets) {
        return GradientLock.run(() -> run(model, batch, layer, targets, true, false));
    }

    private static LayerCapture run(CamModel model, NDArray batch, String layer, List<Target> targets,
            boolean gradients, boolean activations) {
        NDList acts = model.features(batch, layer);
        NDArray a = acts.get(0);
        Shape shape = a.getShape();
        int n = (int) batch.getShape().get(0);
        requireMaps(model, layer, shape, n, "layer CAMs need");
        ResolvedTargets resolved;
        List<float[]> gradient = null;
        if (gradients) {
            a.setRequiresGradient(true);
            try (GradientCollector collector = a.getManager().getEngine().newGradientCollector()) {
                NDArray output = model.head(acts, layer);
                resolved = ResolvedTargets.resolve(model, output, targets);
                collector.backward(resolved.total());
            }
            gradient = perSample(a.getGradient(), n);
        } else {
            resolved = ResolvedTargets.resolve(model, model.head(acts, layer), targets);
        }
        return new LayerCapture(layer, activations ? perSample(a, n) : null, gradient, (int) shape.get(1),
                (int) shape.get(2), (int) shape.get(3), resolved.classes(), resolved.scores(), resolved.predicted(), resolved.fixed(),
                resolved.notes());
    }

    /**
     * Refuses a layer whose activation is not one stack of feature maps per image.
     *
     * @param needs who needs them, for the message: "layer CAMs need", "Ablation-CAM needs"
     */
    static void requireMaps(CamModel model, String layer, Shape shape, int n, String needs) {
        if (shape.dimension() != 4 || shape.get(0) != n) {
            throw new CamunitException("Layer '" + layer + "' of model " + model.name() + " has an"
                    + " activation of shape " + shape + "; " + needs + " N x C x h x w with N = " + n
                    + ". Choose a convolutional layer (camunit layers lists them).");
        }
    }

    /**
     * One copy out of the engine, into one array per sample: the buffer is a view of the tensor's
     * memory where the engine allows it (a copy otherwise), so there is no batch-wide array to slice.
     */
    private static List<float[]> perSample(NDArray array, int n) {
        NDArray floats = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
        FloatBuffer buffer = floats.toByteBuffer(true).asFloatBuffer();
        int size = buffer.remaining() / n;
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] sample = new float[size];
            buffer.get(sample);
            out.add(sample);
        }
        return out;
    }

    /**
     * Sample {@code n}, ready for a {@link Method} formula. The formulas only read it, so it holds
     * the capture's own arrays.
     */
    LayerActivations sample(int n, float[] classifierRow) {
        return new LayerActivations(activations.get(n), gradients == null ? null : gradients.get(n), classifierRow,
                channels, height, width);
    }

    /** @return every sample's slice without a classifier row, in batch order */
    List<LayerActivations> samples() {
        int n = targetClasses.length;
        List<LayerActivations> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(sample(i, null));
        }
        return out;
    }
}
