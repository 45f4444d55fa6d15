package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The target score of one sample read from the outputs of perturbed copies of it (masked inputs,
 * ablated activations): the logit of the class resolved on the unperturbed input, or the sample's
 * score function applied to each row. Perturbed copies keep the class the clean input resolved to,
 * so {@link Target#predicted()} explains the class predicted for the image, not for each copy.
 */
final class PerturbedScores {

    private final CamModel model;
    private final int targetClass;
    private final Target target;

    /**
     * @param model the model, for messages
     * @param targetClass the class resolved on the clean input, or -1 for a score function
     * @param target the sample's target (its function is used when {@code targetClass < 0})
     */
    PerturbedScores(CamModel model, int targetClass, Target target) {
        this.model = model;
        this.targetClass = targetClass;
        this.target = target;
    }

    /**
     * @param output the model's output for {@code m} perturbed copies, {@code m x ...}
     * @param what what the copies are, for messages, e.g. "Score-CAM mask of channel"
     * @param firstIndex the index (channel) of the first copy, for messages; -1 for none
     * @return the target score of each copy, in double precision
     * @throws CamunitException when a score is not finite
     */
    double[] of(NDArray output, String what, int firstIndex) {
        int m = (int) output.getShape().get(0);
        double[] scores = new double[m];
        if (targetClass >= 0) {
            Shape shape = output.getShape();
            if (shape.dimension() != 2 || shape.get(1) <= targetClass) {
                throw new CamunitException("Model " + model.name() + " returned an output of shape " + shape
                        + " for " + m + " perturbed inputs; expected " + m + " x K class scores with K > "
                        + targetClass + ", as for the unperturbed input.");
            }
            double[] values = output.get(":, " + targetClass).toType(DataType.FLOAT64, false).toDoubleArray();
            System.arraycopy(values, 0, scores, 0, m);
        } else {
            Target.Score function = (Target.Score) target;
            for (int j = 0; j < m; j++) {
                scores[j] = function.function().apply(output.get(j)).toType(DataType.FLOAT64, false)
                        .toDoubleArray()[0];
            }
        }
        for (int j = 0; j < m; j++) {
            if (!Double.isFinite(scores[j])) {
                throw new CamunitException("Model " + model.name() + " gives a non-finite score (" + scores[j]
                        + ") for " + target.description() + " on the " + what + (firstIndex < 0 ? "" : " " + (firstIndex + j))
                        + ", so its weight cannot be computed. Check the model for overflow on such inputs,"
                        + " or use a gradient method (grad-cam).");
            }
        }
        return scores;
    }
}
