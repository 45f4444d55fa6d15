package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * FEM, the Feature Explanation Method (Fuad et al. 2020), as pytorch-grad-cam's {@code FEM}: per
 * channel {@code k}, the mean {@code mu_k} and the population standard deviation {@code sigma_k} of
 * {@code A[k]} over the layer's positions; the weight is the fraction of positions where
 * {@code A[k] > mu_k + k-sigma * sigma_k}; the map is {@code sum_k w[k] A[k]}. Needs no gradient and
 * no target (class-agnostic, like Eigen-CAM). The paper and Xplique's {@code FEM} instead sum the
 * binary masks weighted by {@code mu_k}; camunit keeps pytorch-grad-cam's weighting, whose map is a
 * combination of activations like the other CAMs.
 *
 * <p>Option {@code k-sigma} (default {@value #DEFAULT_K_SIGMA}; 0 thresholds at the mean). Cost per
 * image: the batch's one forward pass.
 */
final class FeatureExplanation implements MapComputation {

    /** The k of the k-sigma rule unless {@code k-sigma} says otherwise (the paper's and pytorch-grad-cam's). */
    static final double DEFAULT_K_SIGMA = 2;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        LayerCapture capture = LayerCapture.take(model, batch, layer, targets, false);
        double kSigma = options.kSigma().orElse(DEFAULT_K_SIGMA);
        List<float[]> maps = new ArrayList<>(targets.size());
        for (LayerActivations s : capture.samples()) {
            maps.add(Method.CAM.map(new LayerActivations(s.activations(), null, weights(s, kSigma), s.channels(),
                    s.height(), s.width())));
        }
        return BatchMaps.of(capture, maps);
    }

    /** @return per channel, the fraction of positions above {@code mean + kSigma * std} */
    static float[] weights(LayerActivations s, double kSigma) {
        float[] a = s.activations();
        int n = s.positions();
        float[] w = new float[s.channels()];
        for (int k = 0; k < w.length; k++) {
            double mean = s.activationSum(k) / n;
            double squares = 0;
            for (int p = k * n; p < (k + 1) * n; p++) {
                squares += (a[p] - mean) * (a[p] - mean);
            }
            double threshold = mean + kSigma * Math.sqrt(squares / n);
            int above = 0;
            for (int p = k * n; p < (k + 1) * n; p++) {
                if (a[p] > threshold) {
                    above++;
                }
            }
            w[k] = (float) above / n;
        }
        return w;
    }
}
