package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.heatmap.Bilinear;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FullGrad (Srinivas and Fleuret 2019): the input-gradient term plus, for every layer that adds a
 * bias, that layer's bias-gradient term, each scaled to [0, 1] per channel as pytorch-grad-cam's
 * {@code FullGrad} does, and summed:
 *
 * <pre>
 *   map = sum_c s(|x[c] * dS/dx[c]|) + sum_layers up(sum_k s(|b[k] * dS/dz[k]|))
 * </pre>
 *
 * with {@code z} the layer's output, {@code b} the bias it adds ({@link CamModel#biases()}),
 * {@code s(t) = (t - min t) / (max(t - min t) + 1e-7)} over one channel's positions and {@code up}
 * half-pixel bilinear upsampling to the input size. Upsampling is linear, so each layer's channels are
 * summed at the layer's resolution and upsampled once (pytorch-grad-cam upsamples every channel,
 * then sums: the same values up to float rounding).
 *
 * <p>Cost per batch: one forward and backward pass to the input, then one per biased layer. The
 * biases come from the file ({@code camunit_export.py --full-gradient} cuts after every
 * {@code Conv2d} and {@code BatchNorm2d} with a bias and records them); a model without them is
 * refused rather than explained by the terms it happens to expose, which would be another method.
 *
 * <pre>{@code
 * Explainer fullGrad = Explainer.of(Method.FULL_GRAD);
 * Explanation e = fullGrad.explain(TorchScriptModel.load(Path.of("tiny-cnn-fullgrad.pt")), image, Target.predicted());
 * }</pre>
 */
final class FullGradient implements MapComputation {

    /** The {@code 1e-7} pytorch-grad-cam adds to the range when it scales a term to [0, 1]. */
    static final double SCALE_EPSILON = 1e-7;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        InputPasses.requireImages(model, batch, Method.FULL_GRAD);
        Map<String, List<Double>> biases = requireBiases(model);
        int n = (int) batch.getShape().get(0);
        int height = (int) batch.getShape().get(2);
        int width = (int) batch.getShape().get(3);
        int pixels = height * width;
        float[] x = InputPasses.floats(batch);
        InputPasses.Gradients input = InputPasses.gradients(model, x, batch.getShape(), targets, batch.getManager());
        float[] g = input.values();
        double[][] sums = new double[n][pixels];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int offset = (i * 3 + c) * pixels;
                float[] term = new float[pixels];
                for (int p = 0; p < pixels; p++) {
                    term[p] = Math.abs(x[offset + p] * g[offset + p]);
                }
                addScaled(term, sums[i]);
            }
        }
        // The classes resolved on the input pass, so that every layer explains the same score.
        List<Target> fixed = input.resolved().fixed();
        for (Map.Entry<String, List<Double>> e : biases.entrySet()) {
            LayerCapture capture = LayerCapture.gradientsAt(model, batch, e.getKey(), fixed);
            double[] bias = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            if (capture.channels() != bias.length) {
                throw new CamunitException("Model " + model.name() + ": layer '" + e.getKey() + "' has "
                        + capture.channels() + " channels but its bias in camunit.json has " + bias.length
                        + " values; re-export the model with camunit_export.py --full-gradient.");
            }
            int positions = capture.height() * capture.width();
            for (int i = 0; i < n; i++) {
                float[] gradient = capture.gradients().get(i);
                double[] layerSum = new double[positions];
                float[] term = new float[positions];
                for (int k = 0; k < bias.length; k++) {
                    for (int p = 0; p < positions; p++) {
                        term[p] = (float) Math.abs(bias[k] * gradient[k * positions + p]);
                    }
                    addScaled(term, layerSum);
                }
                float[] up = Bilinear.resize(toFloats(layerSum), capture.width(), capture.height(), width, height);
                for (int p = 0; p < pixels; p++) {
                    sums[i][p] += up[p];
                }
            }
        }
        List<float[]> maps = new ArrayList<>(n);
        for (double[] sum : sums) {
            maps.add(toFloats(sum));
        }
        ResolvedTargets r = input.resolved();
        return new BatchMaps(BatchMaps.INPUT, width, height, maps, r.classes(), r.scores(), r.predicted(), r.notes());
    }

    /**
     * Adds {@code (t - min t) / (max(t - min t) + 1e-7)} to {@code into}: a channel whose term is
     * constant (a zero bias, no gradient) adds nothing.
     */
    static void addScaled(float[] term, double[] into) {
        double min = Double.POSITIVE_INFINITY;
        for (float v : term) {
            min = Math.min(min, v);
        }
        double max = 0;
        for (float v : term) {
            max = Math.max(max, v - min);
        }
        double scale = max + SCALE_EPSILON;
        for (int p = 0; p < term.length; p++) {
            into[p] += (term[p] - min) / scale;
        }
    }

    private static Map<String, List<Double>> requireBiases(CamModel model) {
        Map<String, List<Double>> biases = model.biases();
        if (biases.isEmpty()) {
            throw new CamunitException("FullGrad needs the gradient at the output of every layer of model "
                    + model.name() + " that adds a bias, and the biases themselves; the model states none (a CAM-ready"
                    + " file lists them in camunit.json's 'biases'; a randomised copy states none, since its biases"
                    + " are no longer the file's). Export the model with camunit_export.py --full-gradient"
                    + " (Python: export(..., full_gradient=True)), which cuts after every Conv2d and BatchNorm2d"
                    + " with a bias and records them.");
        }
        return biases;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
