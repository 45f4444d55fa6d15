package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * The targets of a batch resolved against the model's output: class indices, the per-sample
 * scores, and their sum (the scalar whose gradient is taken; samples are independent, so the
 * gradient of the sum at sample n is the gradient of sample n's score).
 */
record ResolvedTargets(int[] classes, double[] scores, int[] predicted, NDArray total) {

    static ResolvedTargets resolve(CamModel model, NDArray output, List<Target> targets) {
        Shape shape = output.getShape();
        int n = targets.size();
        if (shape.dimension() == 0 || shape.get(0) != n) {
            throw new CamunitException("Model " + model.name() + " returned an output of shape " + shape
                    + " for a batch of " + n + "; expected one row per image (N x ...).");
        }
        boolean matrix = shape.dimension() == 2;
        int k = matrix ? (int) shape.get(1) : -1;
        float[] values = matrix ? output.toType(DataType.FLOAT32, false).toFloatArray() : null;
        int[] predicted = new int[n];
        int[] classes = new int[n];
        double[] scores = new double[n];
        float[] oneHot = matrix ? new float[n * k] : null;
        NDArray functionTotal = null;
        for (int i = 0; i < n; i++) {
            predicted[i] = matrix ? argmax(values, i * k, k) : -1;
            Target t = targets.get(i);
            if (t instanceof Target.Score s) {
                classes[i] = -1;
                NDArray score = s.function().apply(output.get(i));
                if (score.size() != 1) {
                    throw new CamunitException("Target '" + s.description() + "' must reduce one sample's"
                            + " output to a scalar; it returned shape " + score.getShape() + ". End it with"
                            + " a reduction such as .sum() or .mean().");
                }
                scores[i] = score.toType(DataType.FLOAT64, false).getDouble();
                NDArray scalar = score.reshape(new Shape());
                functionTotal = functionTotal == null ? scalar : functionTotal.add(scalar);
            } else {
                if (!matrix) {
                    throw new CamunitException("Target '" + t.description() + "' needs class scores, but model "
                            + model.name() + " returns shape " + shape + " (expected N x K). Use"
                            + " Target.score(...) to reduce such an output to one number per image.");
                }
                int c = t instanceof Target.ClassIndex ci ? ci.index() : predicted[i];
                if (c < 0 || c >= k) {
                    throw new CamunitException("Target class " + c + " is out of range: model " + model.name()
                            + " has " + k + " classes (0 to " + (k - 1) + ")"
                            + (model.classes().isEmpty() ? "" : ": " + model.classes()) + ".");
                }
                classes[i] = c;
                scores[i] = values[i * k + c];
                oneHot[i * k + c] = 1;
            }
        }
        NDArray total = functionTotal;
        if (matrix && oneHotUsed(oneHot)) {
            NDArray mask = output.getManager().create(oneHot, shape).toType(output.getDataType(), false);
            NDArray classTotal = output.mul(mask).sum();
            total = total == null ? classTotal : total.add(classTotal);
        }
        return new ResolvedTargets(classes, scores, predicted, total);
    }

    private static boolean oneHotUsed(float[] oneHot) {
        for (float v : oneHot) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
