package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Deletion and insertion AUC (Petsiuk et al., RISE). Pixels are taken in order of the map (at the
 * model's input size), highest first, in {@code steps} equal steps. Deletion replaces them with the
 * baseline (black) and records the target class's softmax probability; a faithful map makes it
 * fall fast (low AUC is good). Insertion starts from a blurred image (Gaussian, sigma 5 px, 11 px
 * kernel, edges clamped) and restores them; a faithful map makes it rise fast (high AUC is good).
 * AUC is the trapezoidal area over the {@code steps + 1} points on [0, 1]. Cost:
 * {@code steps + 1} forward passes, batched in chunks of 16.
 *
 * <pre>{@code
 * double del = DeletionInsertion.deletion(model, image, explanation.raw(), explanation.targetClass(), 20);
 * }</pre>
 */
public final class DeletionInsertion {

    /** Names on the command line and in reports. */
    public static final String DELETION = "deletion-auc";
    /** Names on the command line and in reports. */
    public static final String INSERTION = "insertion-auc";
    /** Steps used when none are given. */
    public static final int DEFAULT_STEPS = 20;

    private DeletionInsertion() {}

    /**
     * @param model the model
     * @param image the image
     * @param map a raw or display map (resized to the input size)
     * @param targetClass the class whose probability is followed
     * @param steps the number of equal steps, at least 1
     * @return the deletion AUC, in [0, 1]
     */
    public static double deletion(CamModel model, InputImage image, Heatmap map, int targetClass, int steps) {
        Perturbation p = new Perturbation(model, image, targetClass);
        float[] black = baseline(p, model);
        return auc(p.probabilities(sequence(p, map, steps, p.input, black)));
    }

    /**
     * @param model the model
     * @param image the image
     * @param map a raw or display map (resized to the input size)
     * @param targetClass the class whose probability is followed
     * @param steps the number of equal steps, at least 1
     * @return the insertion AUC, in [0, 1]
     */
    public static double insertion(CamModel model, InputImage image, Heatmap map, int targetClass, int steps) {
        Perturbation p = new Perturbation(model, image, targetClass);
        return auc(p.probabilities(sequence(p, map, steps, blur(p), p.input)));
    }

    /** Inputs for steps 0..n: pixels moved from {@code from} to {@code to} in map order. */
    private static List<float[]> sequence(Perturbation p, Heatmap map, int steps, float[] from, float[] to) {
        if (steps < 1) {
            throw new CamunitException("Deletion and insertion need at least 1 step; got " + steps);
        }
        int[] order = Perturbation.order(MapOnImage.valuesOf(map, p.width, p.height));
        int n = p.pixels();
        List<float[]> inputs = new ArrayList<>(steps + 1);
        float[] current = from.clone();
        int moved = 0;
        for (int s = 0; s <= steps; s++) {
            int until = (int) Math.round((double) s * n / steps);
            for (; moved < until; moved++) {
                int pixel = order[moved];
                for (int c = 0; c < 3; c++) {
                    current[c * n + pixel] = to[c * n + pixel];
                }
            }
            inputs.add(current.clone());
        }
        return inputs;
    }

    static double auc(double[] curve) {
        double sum = 0;
        for (int i = 0; i + 1 < curve.length; i++) {
            sum += (curve[i] + curve[i + 1]) / 2;
        }
        return sum / (curve.length - 1);
    }

    /** Black in the model's input space: {@code (0 - mean) / std} per channel. */
    private static float[] baseline(Perturbation p, CamModel model) {
        float[] out = new float[p.input.length];
        int n = p.pixels();
        for (int c = 0; c < 3; c++) {
            float v = (float) (-model.input().mean().get(c) / model.input().std().get(c));
            java.util.Arrays.fill(out, c * n, (c + 1) * n, v);
        }
        return out;
    }

    private static float[] blur(Perturbation p) {
        double sigma = 5;
        int radius = 5;
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            total += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= total;
        }
        int w = p.width;
        int h = p.height;
        int n = w * h;
        float[] out = new float[p.input.length];
        float[] tmp = new float[n];
        for (int c = 0; c < 3; c++) {
            int base = c * n;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = -radius; k <= radius; k++) {
                        s += kernel[k + radius] * p.input[base + y * w + Math.min(w - 1, Math.max(0, x + k))];
                    }
                    tmp[y * w + x] = (float) s;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = -radius; k <= radius; k++) {
                        s += kernel[k + radius] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
                    }
                    out[base + y * w + x] = (float) s;
                }
            }
        }
        return out;
    }
}
