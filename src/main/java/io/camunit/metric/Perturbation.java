package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * What the model-based metrics share: the image as the model's input tensor, and the target
 * class's softmax probability for a batch of perturbed copies, evaluated in chunks of forward
 * passes without gradients.
 */
final class Perturbation {

    static final int CHUNK = 16;

    final CamModel model;
    final float[] input;
    final int height;
    final int width;
    final int targetClass;

    Perturbation(CamModel model, InputImage image, int targetClass) {
        this.model = model;
        this.targetClass = targetClass;
        try (NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(image));
            this.height = (int) x.getShape().get(2);
            this.width = (int) x.getShape().get(3);
            this.input = x.toFloatArray();
        }
    }

    int pixels() {
        return height * width;
    }

    /** The target's softmax probability for each input, {@code 3 x H x W} values each. */
    double[] probabilities(List<float[]> inputs) {
        double[] out = new double[inputs.size()];
        for (int start = 0; start < inputs.size(); start += CHUNK) {
            int n = Math.min(CHUNK, inputs.size() - start);
            float[] batch = new float[n * input.length];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inputs.get(start + i), 0, batch, i * input.length, input.length);
            }
            try (NDManager scope = model.newScope()) {
                NDArray logits = model.forward(scope.create(batch, new Shape(n, 3, height, width)));
                if (logits.getShape().dimension() != 2) {
                    throw new CamunitException("Model " + model.name() + " returns shape " + logits.getShape()
                            + "; probability metrics (deletion, insertion, confidence, ROAD) need N x K class scores.");
                }
                int k = (int) logits.getShape().get(1);
                if (targetClass < 0 || targetClass >= k) {
                    throw new CamunitException("Target class " + targetClass + " is out of range for model "
                            + model.name() + " with " + k + " classes.");
                }
                float[] p = logits.toType(DataType.FLOAT32, false).softmax(1).toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[start + i] = p[i * k + targetClass];
                }
            }
        }
        return out;
    }

    /** Pixels ordered from the highest map value to the lowest; ties by position, for determinism. */
    static int[] order(float[] map) {
        Integer[] idx = new Integer[map.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> {
            int c = Float.compare(map[b], map[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

}
