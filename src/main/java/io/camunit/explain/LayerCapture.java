package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One layer's activations and (optionally) the gradients of the target scores for a whole batch,
 * copied out of the engine, with the resolved targets.
 */
record LayerCapture(String layer, float[] activations, float[] gradients, int channels, int height,
        int width, int[] targetClasses, double[] scores, int[] predicted) {

    /**
     * Runs features and head at one layer, and the backward pass when asked (under
     * {@link GradientLock}).
     */
    static LayerCapture take(CamModel model, NDArray batch, String layer, List<Target> targets,
            boolean gradients) {
        return gradients
                ? GradientLock.run(() -> run(model, batch, layer, targets, true))
                : run(model, batch, layer, targets, false);
    }

    private static LayerCapture run(CamModel model, NDArray batch, String layer, List<Target> targets,
            boolean gradients) {
        NDList acts = model.features(batch, layer);
        NDArray a = acts.get(0);
        Shape shape = a.getShape();
        int n = (int) batch.getShape().get(0);
        if (shape.dimension() != 4 || shape.get(0) != n) {
            throw new CamunitException("Layer '" + layer + "' of model " + model.name() + " has an"
                    + " activation of shape " + shape + "; layer CAMs need N x C x h x w with N = " + n
                    + ". Choose a convolutional layer (camunit layers lists them).");
        }
        ResolvedTargets resolved;
        float[] gradient = null;
        if (gradients) {
            a.setRequiresGradient(true);
            try (GradientCollector collector = a.getManager().getEngine().newGradientCollector()) {
                NDArray output = model.head(acts, layer);
                resolved = ResolvedTargets.resolve(model, output, targets);
                collector.backward(resolved.total());
            }
            gradient = floats(a.getGradient());
        } else {
            resolved = ResolvedTargets.resolve(model, model.head(acts, layer), targets);
        }
        return new LayerCapture(layer, floats(a), gradient, (int) shape.get(1), (int) shape.get(2),
                (int) shape.get(3), resolved.classes(), resolved.scores(), resolved.predicted());
    }

    private static float[] floats(NDArray array) {
        return array.getDataType() == DataType.FLOAT32
                ? array.toFloatArray()
                : array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /**
     * Sample {@code n}'s slice, ready for a {@link Method} formula. The formulas only read it, so a
     * batch of one hands out the capture's own arrays.
     */
    LayerActivations sample(int n, float[] classifierRow) {
        int size = channels * height * width;
        float[] a = slice(activations, n, size);
        float[] g = gradients == null ? null : slice(gradients, n, size);
        return new LayerActivations(a, g, classifierRow, channels, height, width);
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

    private static float[] slice(float[] batch, int n, int size) {
        return batch.length == size ? batch : Arrays.copyOfRange(batch, n * size, (n + 1) * size);
    }
}
