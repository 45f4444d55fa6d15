package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The target score of one sample read from the outputs of perturbed copies of it (masked inputs,
 * ablated activations), for its target as fixed on the unperturbed input
 * ({@link ResolvedTargets#fixed()}): the logit of the class resolved there, a segmentation class
 * over the pixels assigned to it there, a box target matched again among each copy's candidates
 * (as pytorch-grad-cam's {@code FasterRCNNBoxScoreTarget} on each output), or the sample's score
 * function applied to each row. So
 * {@link Target#predicted()} explains the class predicted for the image, not for each copy.
 *
 * <pre>{@code
 * PerturbedScores scorer = new PerturbedScores(model, resolved.fixed().get(n));
 * double[] s = scorer.of(model.forward(masked), "Score-CAM masked input of channel", 0);
 * }</pre>
 */
final class PerturbedScores {

    private final CamModel model;
    private final Target target;

    /**
     * @param model the model, for messages
     * @param fixedTarget the sample's target as fixed on the unperturbed input: a class index, a
     *     segmentation target with its pixels, or a score function
     */
    PerturbedScores(CamModel model, Target fixedTarget) {
        if (fixedTarget instanceof Target.Predicted
                || fixedTarget instanceof Target.Segmentation s && s.pixels().isEmpty()) {
            throw new IllegalArgumentException("Perturbed copies are scored for a target fixed on the clean"
                    + " input; got " + fixedTarget.description());
        }
        this.model = model;
        this.target = fixedTarget;
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
        if (target instanceof Target.ClassIndex ci) {
            Shape shape = output.getShape();
            if (shape.dimension() != 2 || shape.get(1) <= ci.index()) {
                throw unlike(shape, m, m + " x K class scores with K > " + ci.index());
            }
            double[] values = output.get(":, " + ci.index()).toType(DataType.FLOAT64, false).toDoubleArray();
            System.arraycopy(values, 0, scores, 0, m);
        } else if (target instanceof Target.Segmentation s) {
            Shape shape = output.getShape();
            var pixels = s.pixels().orElseThrow();
            if (shape.dimension() != 4 || shape.get(1) <= s.index() || shape.get(2) != pixels.height()
                    || shape.get(3) != pixels.width()) {
                throw unlike(shape, m, m + " x K x " + pixels.height() + " x " + pixels.width()
                        + " segmentation logits with K > " + s.index());
            }
            float[] values = output.toType(DataType.FLOAT32, false).toFloatArray();
            for (int j = 0; j < m; j++) {
                scores[j] = SegmentationScore.of(values, shape, j, s.index(), pixels);
            }
        } else if (target instanceof Target.Detection d) {
            Shape shape = output.getShape();
            if (shape.dimension() != 3 || shape.get(2) <= DetectionScore.FIRST_CLASS + d.index()) {
                throw unlike(shape, m, m + " x M x (4 + 1 + K) candidate boxes with K > " + d.index());
            }
            float[] values = output.toType(DataType.FLOAT32, false).toFloatArray();
            for (int j = 0; j < m; j++) {
                // Matched again on each copy: the labelled box, not a candidate, is what the target names.
                scores[j] = DetectionScore.match(values, shape, j, d).score();
            }
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

    private CamunitException unlike(Shape shape, int m, String expected) {
        return new CamunitException("Model " + model.name() + " returned an output of shape " + shape
                + " for " + m + " perturbed inputs; expected " + expected + ", as for the unperturbed input.");
    }
}
