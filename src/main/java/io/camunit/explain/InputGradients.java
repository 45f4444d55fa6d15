package io.camunit.explain;

import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The gradient methods at the input, for any model that can be differentiated at its input
 * (plain TorchScript included): maps at the model input size {@code H x W}. The gradient is taken
 * with respect to the model input tensor, i.e. after normalisation, and the three channels of
 * each pixel are reduced to one value by {@code max_c |.|} (Simonyan et al.), except for
 * Integrated Gradients (see {@link #integratedGradients()}).
 */
final class InputGradients {

    /** SmoothGrad's noisy copies when {@link MethodOptions#samples()} is 0. */
    static final int DEFAULT_SAMPLES = 25;
    /**
     * SmoothGrad's noise level when {@link MethodOptions#noiseStd()} is 0: sigma is this fraction
     * of the image's value range {@code max(x) - min(x)} in the input tensor (Smilkov et al.
     * recommend 10 to 20 %).
     */
    static final double DEFAULT_NOISE_LEVEL = 0.15;

    private InputGradients() {}

    /**
     * The vanilla gradient: {@code max_c |dS/dx[c, p]|}. One forward and one backward pass for the
     * whole batch.
     */
    static MapComputation vanilla() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.GRADIENT);
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            int pixels = height * width;
            InputPasses.Gradients g = InputPasses.gradients(model, InputPasses.floats(batch), batch.getShape(),
                    targets, batch.getManager());
            List<float[]> maps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                maps.add(InputPasses.maxAbsOverChannels(g.values(), i * 3 * pixels, pixels));
            }
            ResolvedTargets r = g.resolved();
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, r.classes(), r.scores(), r.predicted(),
                    r.notes());
        };
    }

    /**
     * SmoothGrad (Smilkov et al. 2017): the mean over {@code n} noisy copies
     * {@code x + N(0, sigma^2)} of {@code |dS/dx|}, then {@code max_c}. The absolute value is taken
     * per copy, before averaging (Captum's {@code NoiseTunnel} over {@code Saliency}, whose gradient
     * is absolute); the paper averages the signed gradient, where opposite signs cancel.
     *
     * <ul>
     *   <li>{@code n} = {@link MethodOptions#samples()}, default {@value #DEFAULT_SAMPLES};</li>
     *   <li>{@code sigma} = {@link MethodOptions#noiseStd()} in input-tensor units, default
     *       {@value #DEFAULT_NOISE_LEVEL} x (max - min) of each image's input tensor;</li>
     *   <li>noise from {@link SeededNoise} with {@link MethodOptions#seed()}, restarted for each
     *       image (an image gets the same noise alone as in a batch): copy {@code s} adds the
     *       {@code s}-th block of {@code 3 * H * W} Gaussians, channel-major;</li>
     *   <li>cost: one forward pass for the batch, then per image {@code n} forward and backward
     *       passes, {@link MethodOptions#chunkSize()} copies at a time (default 16).</li>
     * </ul>
     */
    static MapComputation smoothGrad() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.SMOOTH_GRAD);
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            int pixels = height * width;
            int size = 3 * pixels;
            int samples = options.samples().orElse(DEFAULT_SAMPLES);
            int chunk = InputPasses.chunk(options);
            ResolvedTargets clean = InputPasses.clean(model, batch, targets);
            List<float[]> images = InputPasses.images(batch);
            List<float[]> maps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] x = images.get(i);
                // noise-std 0 means no noise: every copy is the input itself.
                double sigma = options.noiseStd().isPresent() ? options.noiseStd().getAsDouble()
                        : DEFAULT_NOISE_LEVEL * range(x);
                Target fixed = clean.fixed().get(i);
                SeededNoise noise = new SeededNoise(options.seed());
                double[] sum = new double[size];
                for (int start = 0; start < samples; start += chunk) {
                    int count = Math.min(chunk, samples - start);
                    float[] noisy = new float[count * size];
                    for (int s = 0; s < count; s++) {
                        float[] eps = noise.gaussians(size, sigma);
                        for (int e = 0; e < size; e++) {
                            noisy[s * size + e] = x[e] + eps[e];
                        }
                    }
                    float[] g = InputPasses.gradients(model, noisy, new Shape(count, 3, height, width),
                            Collections.nCopies(count, fixed), batch.getManager()).values();
                    for (int s = 0; s < count; s++) {
                        for (int e = 0; e < size; e++) {
                            sum[e] += Math.abs(g[s * size + e]);
                        }
                    }
                }
                float[] mean = new float[size];
                for (int e = 0; e < size; e++) {
                    mean[e] = (float) (sum[e] / samples);
                }
                maps.add(InputPasses.maxAbsOverChannels(mean, 0, pixels));
            }
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, clean.classes(), clean.scores(),
                    clean.predicted(), clean.notes());
        };
    }

    /**
     * Integrated Gradients ({@link IntegratedGradients}): the map is {@code |sum_c a[c, p]|}, the
     * absolute value of the attributions summed over the channels of each pixel. The channel sum
     * (not the spec's {@code max_c |.|}) keeps completeness per pixel: the signed pixel values add
     * up to {@code S(x) - S(x')}; the absolute value is Captum's default visualisation. Cost: see
     * {@link IntegratedGradients}.
     */
    static MapComputation integratedGradients() {
        return (model, batch, layer, targets, options) -> {
            IntegratedGradients.Result result = IntegratedGradients.compute(model, batch, targets, options);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            List<float[]> maps = new ArrayList<>();
            for (IntegratedGradients.Attribution a : result.attributions()) {
                float[] pixels = a.pixels().toArray();
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = Math.abs(pixels[p]);
                }
                maps.add(pixels);
            }
            ResolvedTargets r = result.resolved();
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, r.classes(), r.scores(), r.predicted(),
                    r.notes());
        };
    }

    private static double range(float[] x) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return (double) max - min;
    }
}
