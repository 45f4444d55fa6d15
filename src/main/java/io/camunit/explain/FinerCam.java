package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Finer-CAM (Zhang et al. 2025), as pytorch-grad-cam's {@code FinerCAM} over Grad-CAM: Grad-CAM of
 * the score {@code F = sum_j p_j (y_c - alpha y_j) / (sum_j p_j + 1e-9)}, where {@code y} are the
 * logits, {@code c} the target class, {@code p = softmax(y)} (differentiated too, as in
 * pytorch-grad-cam) and {@code j} runs over the {@code comparisons} classes most similar to
 * {@code c}: those whose clean logits are closest to {@code y_c} ({@code |y_j - y_c|} smallest,
 * ties to the lower index). The comparison classes are chosen once on the clean input.
 *
 * <p>Options {@code alpha} (default 1; 0 gives Grad-CAM of {@code y_c} up to the factor
 * {@code sum p / (sum p + 1e-9)}) and {@code comparisons} (default 3, pytorch-grad-cam's
 * {@code comparison_categories=[1, 2, 3]}; fewer when the model has fewer other classes, where
 * pytorch-grad-cam fails). pytorch-grad-cam ranks the classes by their distance to the
 * <em>target</em> logit and takes the nearest as the main class (the target itself but for ties);
 * camunit takes the target. Classifiers only (an {@code N x K} output, a class target). The
 * explanation's score stays the target's logit.
 *
 * <p>Cost per image: the batch's one forward pass, then one forward and backward pass to the layer,
 * as Grad-CAM.
 */
final class FinerCam implements MapComputation {

    /** The comparison strength unless {@code alpha} says otherwise. */
    static final double DEFAULT_ALPHA = 1;
    /** The number of similar classes unless {@code comparisons} says otherwise. */
    static final int DEFAULT_COMPARISONS = 3;
    /** Added to the probability sum before dividing, as pytorch-grad-cam. */
    static final double EPSILON = 1e-9;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        double alpha = options.alpha().orElse(DEFAULT_ALPHA);
        int comparisons = options.comparisons().orElse(DEFAULT_COMPARISONS);
        int n = targets.size();
        ResolvedTargets clean;
        float[] logits;
        int classes;
        try (NDManager sub = batch.getManager().newSubManager()) {
            NDArray x = batch.duplicate();
            x.attach(sub);
            NDArray output = model.forward(x);
            Shape shape = output.getShape();
            if (shape.dimension() != 2) {
                throw new CamunitException("finer-cam compares class scores, so it needs a classifier (an N x K"
                        + " output); model " + model.name() + " returned " + shape + ". Use grad-cam.");
            }
            classes = (int) shape.get(1);
            if (classes < 2) {
                throw new CamunitException("finer-cam compares the target with similar classes; model "
                        + model.name() + " has " + classes + " class. Use grad-cam.");
            }
            clean = ResolvedTargets.resolve(model, output, targets).withoutTotal();
            logits = output.toType(DataType.FLOAT32, false).toFloatArray();
        }
        List<Target> finer = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = clean.classes()[i];
            if (c < 0) {
                throw new CamunitException("finer-cam explains a class, but the target is '"
                        + targets.get(i).description() + "'. Use Target.classIndex or Target.predicted.");
            }
            int[] similar = similarClasses(logits, i * classes, classes, c, comparisons);
            finer.add(score(c, similar, alpha));
        }
        LayerCapture capture = LayerCapture.take(model, batch, layer, finer, true);
        List<float[]> maps = new ArrayList<>(n);
        for (LayerActivations s : capture.samples()) {
            maps.add(Method.GRAD_CAM.map(s));
        }
        return new BatchMaps(capture.layer(), capture.width(), capture.height(), maps, clean.classes(), clean.scores(),
                clean.predicted(), clean.notes());
    }

    /**
     * @return the {@code count} classes other than {@code c} whose logits are closest to {@code y_c},
     *     nearest first, ties to the lower index
     */
    static int[] similarClasses(float[] logits, int offset, int classes, int c, int count) {
        double target = logits[offset + c];
        return IntStream.range(0, classes).filter(j -> j != c).boxed()
                .sorted(Comparator.comparingDouble((Integer j) -> Math.abs(logits[offset + j] - target)))
                .limit(count).mapToInt(Integer::intValue).toArray();
    }

    /** The Finer-CAM score of one sample's logits, built from NDArray operations so it can be differentiated. */
    private static Target score(int c, int[] similar, double alpha) {
        String description = String.format(Locale.ROOT, "finer-cam score of class %d against classes %s, alpha %s", c,
                java.util.Arrays.toString(similar), alpha);
        return Target.score(description, row -> {
            NDArray p = row.softmax(0);
            NDArray main = row.get(c);
            NDArray numerator = null;
            NDArray denominator = null;
            for (int j : similar) {
                NDArray pj = p.get(j);
                NDArray term = pj.mul(main.sub(row.get(j).mul(alpha)));
                numerator = numerator == null ? term : numerator.add(term);
                denominator = denominator == null ? pj : denominator.add(pj);
            }
            return numerator.div(denominator.add(EPSILON));
        });
    }
}
