package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Integrated Gradients (Sundararajan et al. 2017) as signed attributions, so that their defining
 * property can be checked: the attributions of an image add up to {@code S(x) - S(x')}
 * (completeness). {@link Method#INTEGRATED_GRADIENTS} draws its map from the same numbers.
 *
 * <ul>
 *   <li>Baseline {@code x'}: the constant {@link MethodOptions#baseline()} in every element of the
 *       model input tensor (after normalisation); the default 0 is the normalised mean colour, the
 *       zero tensor Captum uses by default.</li>
 *   <li>Path integral {@code (x - x') * integral_0^1 dS/dx (x' + a (x - x')) da} by Gauss-Legendre
 *       quadrature with {@link MethodOptions#steps()} nodes (default {@value #DEFAULT_STEPS}),
 *       Captum's default {@code gausslegendre} rule.</li>
 *   <li>Cost per image: {@code steps} forward and backward passes, {@link MethodOptions#chunkSize()}
 *       path points at a time (default 16), plus one forward pass for the batch and one for the
 *       baselines.</li>
 * </ul>
 *
 * <pre>{@code
 * IntegratedGradients.Attribution a = IntegratedGradients.attribute(model, image, Target.predicted(),
 *         MethodOptions.DEFAULTS.withOption("steps", "100"));
 * a.sum();               // sum of the 3 x H x W attributions
 * a.scoreDifference();   // S(x) - S(x'): equal to the sum up to the quadrature error
 * }</pre>
 */
public final class IntegratedGradients {

    /** Integration steps when {@link MethodOptions#steps()} is 0. */
    public static final int DEFAULT_STEPS = 50;

    private IntegratedGradients() {}

    /**
     * Attributes one image's target score to its input elements.
     *
     * @param model any model that can be differentiated at its input
     * @param image the image
     * @param target what to explain
     * @param options steps, baseline and chunk size (the rest is ignored)
     * @return the signed attributions with the two scores
     */
    public static Attribution attribute(CamModel model, InputImage image, Target target, MethodOptions options) {
        return attribute(model, List.of(image), List.of(target), options).get(0);
    }

    /**
     * Attributes a batch of images, one target each.
     *
     * @param model any model that can be differentiated at its input
     * @param images the images
     * @param targets exactly one target per image
     * @param options steps, baseline and chunk size
     * @return one attribution per image, in order
     */
    public static List<Attribution> attribute(CamModel model, List<InputImage> images, List<Target> targets,
            MethodOptions options) {
        if (images.size() != targets.size()) {
            throw new CamunitException("Integrated Gradients of " + images.size() + " images needs exactly one"
                    + " target per image; got " + targets.size() + ".");
        }
        try (NDManager scope = model.newScope()) {
            NDArray batch = model.toBatch(scope, images);
            List<Attribution> out = new ArrayList<>();
            for (Attribution a : compute(model, batch, targets, options).attributions()) {
                out.add(a);
            }
            return out;
        }
    }

    /** The attributions of a batch with the targets resolved on the unperturbed images. */
    record Result(List<Attribution> attributions, ResolvedTargets resolved) {}

    static Result compute(CamModel model, NDArray batch, List<Target> targets, MethodOptions options) {
        InputPasses.requireImages(model, batch, Method.INTEGRATED_GRADIENTS);
        int n = (int) batch.getShape().get(0);
        int height = (int) batch.getShape().get(2);
        int width = (int) batch.getShape().get(3);
        int size = 3 * height * width;
        int steps = options.steps().orElse(DEFAULT_STEPS);
        int chunk = InputPasses.chunk(options);
        float baseline = (float) options.baseline();
        GaussLegendre rule = GaussLegendre.of(steps);
        ResolvedTargets clean = InputPasses.clean(model, batch, targets);
        double[] baselineScores = baselineScores(model, batch, targets, clean, baseline, size);
        List<float[]> images = InputPasses.images(batch);
        List<Attribution> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = images.get(i);
            Target fixed = clean.fixed().get(i);
            double[] integral = new double[size];
            for (int start = 0; start < steps; start += chunk) {
                int count = Math.min(chunk, steps - start);
                float[] path = new float[count * size];
                for (int k = 0; k < count; k++) {
                    double a = rule.nodes()[start + k];
                    for (int e = 0; e < size; e++) {
                        path[k * size + e] = (float) (baseline + a * ((double) x[e] - baseline));
                    }
                }
                float[] g = InputPasses.gradients(model, path, new Shape(count, 3, height, width),
                        Collections.nCopies(count, fixed), batch.getManager()).values();
                for (int k = 0; k < count; k++) {
                    double w = rule.weights()[start + k];
                    for (int e = 0; e < size; e++) {
                        integral[e] += w * g[k * size + e];
                    }
                }
            }
            float[] attribution = new float[size];
            for (int e = 0; e < size; e++) {
                attribution[e] = (float) ((x[e] - baseline) * integral[e]);
            }
            out.add(new Attribution(height, width, attribution, clean.classes()[i], clean.scores()[i],
                    baselineScores[i], steps));
        }
        return new Result(out, clean);
    }

    /** {@code S(x')} per image, for the class each image resolved to: one forward pass. */
    private static double[] baselineScores(CamModel model, NDArray batch, List<Target> targets,
            ResolvedTargets clean, float baseline, int size) {
        int n = targets.size();
        float[] constant = new float[n * size];
        java.util.Arrays.fill(constant, baseline);
        List<Target> fixed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            fixed.add(clean.fixed().get(i));
        }
        try (NDManager sub = batch.getManager().newSubManager()) {
            NDArray x = sub.create(constant, batch.getShape());
            return ResolvedTargets.resolve(model, model.forward(x), fixed).scores();
        }
    }

    /**
     * The signed Integrated Gradients attributions of one image, in the model input's layout.
     *
     * @param height the input height {@code H}
     * @param width the input width {@code W}
     * @param values {@code 3 x H x W} attributions, channel-major ({@code c * H * W + y * W + x})
     * @param targetClass the explained class, -1 for a score function
     * @param score {@code S(x)}
     * @param baselineScore {@code S(x')}
     * @param steps the quadrature nodes used
     */
    public record Attribution(int height, int width, float[] values, int targetClass, double score,
            double baselineScore, int steps) {

        /** Checks the size and keeps a copy of the values. */
        public Attribution {
            if (values.length != 3 * height * width) {
                throw new IllegalArgumentException("Attributions of a 3 x " + height + " x " + width + " input need "
                        + 3 * height * width + " values; got " + values.length);
            }
            values = values.clone();
        }

        /** @return a copy of the {@code 3 x H x W} attributions */
        @Override
        public float[] values() {
            return values.clone();
        }

        /** @return the sum of all attributions: by completeness, close to {@link #scoreDifference()} */
        public double sum() {
            double s = 0;
            for (float v : values) {
                s += v;
            }
            return s;
        }

        /** @return {@code S(x) - S(x')}, what the attributions must add up to */
        public double scoreDifference() {
            return score - baselineScore;
        }

        /**
         * @return {@code |sum - (S(x) - S(x'))| / |S(x) - S(x')|}, the quadrature error relative to
         *     what is attributed (infinite when the difference is 0 and the sum is not)
         */
        public double completenessError() {
            double gap = Math.abs(sum() - scoreDifference());
            return gap == 0 ? 0 : gap / Math.abs(scoreDifference());
        }

        /**
         * @return the per-pixel attribution: the sum over the three channels, signed (its total is
         *     {@link #sum()})
         */
        public Heatmap pixels() {
            int n = height * width;
            float[] out = new float[n];
            for (int p = 0; p < n; p++) {
                out[p] = values[p] + values[n + p] + values[2 * n + p];
            }
            return Heatmap.of(width, height, out);
        }
    }
}
