package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Smooth Grad-CAM++ (Omeiza et al. 2019): Grad-CAM++ with the gradients averaged over {@code n}
 * noisy copies {@code x + N(0, sigma^2)} of the normalised input tensor. With {@code G_i = dS/dA}
 * at copy {@code i}, {@code D1 = mean_i G_i}, {@code D2 = mean_i G_i^2}, {@code D3 = mean_i G_i^3}
 * and {@code A} the activations of the <em>clean</em> input:
 * {@code alpha = D2 / (2 D2 + (sum_ab A[k,a,b]) D3 + 1e-6)}, 0 where {@code D2 = 0};
 * {@code w[k] = sum_ij relu(D1) * alpha}; map {@code sum_k w[k] A[k]}. As {@code sigma -> 0} this
 * is Grad-CAM++ exactly. The paper averages the first derivative too, hence {@code relu(D1)}.
 * torch-cam's {@code SmoothGradCAMpp} differs: it takes {@code relu} of the last copy's gradient,
 * its denominator holds {@code sum_ab A * D3} (a per-channel sum, its Grad-CAM++ convention) and
 * its epsilon is {@code 1e-8}; like camunit it uses the clean input's activations.
 *
 * <p>The target is resolved on the clean input (its predicted class for
 * {@link Target#predicted()}), and that class is explained on every copy.
 *
 * <p>Options: {@code samples} n (default {@value #DEFAULT_SAMPLES}), {@code noise-std} sigma in
 * units of the normalised input tensor (default {@value #DEFAULT_NOISE_STD}), {@code seed}.
 * Implementations differ: torch-cam uses n = 4 and sigma = 0.3; others follow SmoothGrad with
 * sigma = 15 % of the input's range and 20 or more copies. camunit keeps torch-cam's sigma, so
 * that noise scales agree for users who compare with it (for ImageNet normalisation it is about
 * 7 % of the pixel range), and doubles n, which halves the variance of the gradient averages for
 * 8 passes. The noise comes from {@link SeededNoise}{@code (seed)}:
 * {@code n} draws of {@code 3 * H * W} values, copy after copy, the same for every image of a
 * batch, so that a map depends on the image and the options only, never on the batch it was
 * computed in.
 *
 * <p>Cost: one forward pass of the batch to the layer (activations and targets), then {@code n}
 * forward and backward passes of the noisy batch, each under {@link GradientLock}.
 */
final class SmoothGradCamPlusPlus implements MapComputation {

    /** Noisy copies unless {@code samples} says otherwise. */
    static final int DEFAULT_SAMPLES = 8;
    /** Noise standard deviation, in normalised-input units, unless {@code noise-std} says otherwise. */
    static final double DEFAULT_NOISE_STD = 0.3;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        int samples = options.samples().orElse(DEFAULT_SAMPLES);
        double sigma = options.noiseStd().orElse(DEFAULT_NOISE_STD);
        LayerCapture clean = LayerCapture.take(model, batch, layer, targets, false);
        List<Target> fixed = clean.fixedTargets();
        Shape shape = batch.getShape();
        int batchSize = (int) shape.get(0);
        int imageSize = (int) (shape.size() / batchSize);
        int perSample = clean.channels() * clean.height() * clean.width();
        int size = batchSize * perSample;
        double[] d1 = new double[size];
        double[] d2 = new double[size];
        double[] d3 = new double[size];
        SeededNoise noise = new SeededNoise(options.seed());
        for (int i = 0; i < samples; i++) {
            float[] copy = noise.gaussians(imageSize, sigma);
            float[] all = new float[batchSize * imageSize];
            for (int n = 0; n < batchSize; n++) {
                System.arraycopy(copy, 0, all, n * imageSize, imageSize);
            }
            try (NDManager copyScope = batch.getManager().newSubManager()) {
                NDArray noisy = copyScope.create(all, shape).toType(batch.getDataType(), false).add(batch);
                List<float[]> gradients = LayerCapture.take(model, noisy, layer, fixed, true).gradients();
                for (int n = 0; n < batchSize; n++) {
                    float[] g = gradients.get(n);
                    for (int p = 0, q = n * perSample; p < perSample; p++, q++) {
                        double v = g[p];
                        d1[q] += v;
                        d2[q] += v * v;
                        d3[q] += v * v * v;
                    }
                }
            }
        }
        List<float[]> maps = new ArrayList<>(batchSize);
        int positions = clean.height() * clean.width();
        for (int n = 0; n < batchSize; n++) {
            LayerActivations a = clean.sample(n, null);
            float[] w = new float[clean.channels()];
            for (int k = 0; k < w.length; k++) {
                double sumA = a.activationSum(k);
                double weight = 0;
                for (int p = n * perSample + k * positions; p < n * perSample + (k + 1) * positions; p++) {
                    double g1 = d1[p] / samples;
                    if (g1 > 0) {
                        // D1 > 0 implies D2 > 0, so alpha is defined here.
                        double g2 = d2[p] / samples;
                        double g3 = d3[p] / samples;
                        weight += g1 * g2 / (2 * g2 + sumA * g3 + Method.GRAD_CAM_PLUS_PLUS_EPSILON);
                    }
                }
                w[k] = (float) weight;
            }
            maps.add(Method.CAM.map(clean.sample(n, w)));
        }
        return BatchMaps.of(clean, maps);
    }
}
