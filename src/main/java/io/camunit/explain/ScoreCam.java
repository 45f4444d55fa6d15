package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Score-CAM (Wang et al. 2020), as pytorch-grad-cam's {@code ScoreCAM}: each channel {@code A[k]}
 * of the layer is upsampled to the input size {@code H x W} with bilinear interpolation and
 * <em>corner-aligned</em> sampling ({@code align_corners=true}, as {@code UpsamplingBilinear2d};
 * the rest of the pipeline uses half-pixel centres), min-max scaled to a mask
 * {@code (U - min) / (max - min + 1e-8)} (a constant channel gives an all-zero mask), and the
 * channel's score is {@code s[k] = S(x * mask_k)} with {@code x} the normalised input tensor. The
 * weights are {@code w = softmax_k(s)}, the map {@code sum_k w[k] A[k]}.
 *
 * <p>The target is resolved on the unmasked input (the predicted class there, for
 * {@link Target#predicted()}) and that class's logit is scored on every masked input; a
 * {@link Target.Score} function is applied to each masked input's output.
 *
 * <p>Options: {@code chunk-size} masked inputs per forward pass (default {@value #DEFAULT_CHUNK},
 * as pytorch-grad-cam); {@code top-channels} N scores only the N channels of highest activation
 * variance over the layer's positions (per image, ties to the lower index), the softmax runs over
 * those N and every other channel gets weight 0 (default 0: all channels, as the paper).
 *
 * <p>Cost per image: the batch's one forward pass to the layer (and the head, to resolve the
 * target), then {@code ceil(K / chunk-size)} full forward passes, {@code K} the number of channels
 * scored. No gradients.
 *
 * <p>Two variants of torch-cam average each channel's score over {@code n} copies of its masked
 * input, {@code s[k] = mean_i S(x * m_i)}, and take the softmax of the means
 * ({@link #smoothed()}, {@link #integrated()}); their cost is {@code ceil(n K / chunk-size)}
 * forward passes. Copies are enumerated copy after copy, channel after channel within a copy.
 */
final class ScoreCam implements MapComputation {

    /** How the copies of a channel's mask are made. */
    enum Variant {
        /** Score-CAM: one copy, the mask itself. */
        PLAIN,
        /** SS-CAM: {@code mask + N(0, sigma^2)} per copy. */
        SMOOTHED,
        /** IS-CAM: {@code c_i * mask}, {@code c_i = sum_(j <= i) j / n}. */
        INTEGRATED
    }

    /** SS-CAM's copies per channel unless {@code samples} says otherwise (torch-cam's default). */
    static final int SMOOTHED_SAMPLES = 35;
    /** SS-CAM's noise standard deviation, in mask units, unless {@code noise-std} says otherwise (torch-cam's). */
    static final double SMOOTHED_NOISE_STD = 2.0;
    /** IS-CAM's integration steps unless {@code steps} says otherwise (torch-cam's default). */
    static final int INTEGRATED_STEPS = 10;

    private final Variant variant;

    /** Score-CAM. */
    ScoreCam() {
        this(Variant.PLAIN);
    }

    private ScoreCam(Variant variant) {
        this.variant = variant;
    }

    /**
     * SS-CAM (Naidu et al. 2020), as torch-cam's {@code SSCAM}: Gaussian noise of standard deviation
     * {@code noise-std} (default {@value #SMOOTHED_NOISE_STD}) added to each min-max scaled mask,
     * {@code samples} (default {@value #SMOOTHED_SAMPLES}) copies per channel. The noise comes from
     * {@link SeededNoise}{@code (seed)}, restarted for every image: {@code H * W} values per copy of a
     * channel, in enumeration order. {@code noise-std=0} gives Score-CAM.
     */
    static ScoreCam smoothed() {
        return new ScoreCam(Variant.SMOOTHED);
    }

    /**
     * IS-CAM (Naidu et al. 2020), as torch-cam's {@code ISCAM}: copy {@code i = 1..n} (n = {@code steps},
     * default {@value #INTEGRATED_STEPS}) scales the mask by the running sum {@code c_i = sum_(j <= i) j / n}
     * (torch-cam accumulates the coefficient, so the last copy scales the mask by {@code (n + 1) / 2}).
     */
    static ScoreCam integrated() {
        return new ScoreCam(Variant.INTEGRATED);
    }

    /** Masked inputs per forward pass unless {@code chunk-size} says otherwise. */
    static final int DEFAULT_CHUNK = 16;
    /** Added to each channel's range before dividing, as pytorch-grad-cam. */
    static final double MASK_EPSILON = 1e-8;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        LayerCapture capture = LayerCapture.take(model, batch, layer, targets, false);
        int chunk = options.chunkSize().orElse(DEFAULT_CHUNK);
        int height = (int) batch.getShape().get(2);
        int width = (int) batch.getShape().get(3);
        List<float[]> maps = new ArrayList<>(targets.size());
        for (int n = 0; n < targets.size(); n++) {
            LayerActivations sample = capture.sample(n, null);
            // 0: every channel, when no top-channels is given.
            int[] kept = keptChannels(sample, options.topChannels().orElse(0));
            PerturbedScores scorer = new PerturbedScores(model, capture.fixedTargets().get(n));
            int copies = copies(options);
            double sigma = options.noiseStd().orElse(SMOOTHED_NOISE_STD);
            SeededNoise noise = new SeededNoise(options.seed());
            int pixels = height * width;
            double[] scores = new double[kept.length];
            int total = copies * kept.length;
            try (NDManager imageScope = batch.getManager().newSubManager()) {
                NDArray image = batch.get(n);
                image.attach(imageScope);
                for (int start = 0; start < total; start += chunk) {
                    int m = Math.min(chunk, total - start);
                    try (NDManager chunkScope = imageScope.newSubManager()) {
                        float[] masks = new float[m * pixels];
                        for (int j = 0; j < m; j++) {
                            int copy = (start + j) / kept.length;
                            mask(sample, kept[(start + j) % kept.length], width, height, masks, j * pixels);
                            perturb(masks, j * pixels, pixels, copy, copies, sigma, noise);
                        }
                        NDArray masked = chunkScope.create(masks, new Shape(m, 1, height, width)).mul(image);
                        double[] s = scorer.of(model.forward(masked), "Score-CAM masked input of channel",
                                kept[start % kept.length]);
                        for (int j = 0; j < m; j++) {
                            scores[(start + j) % kept.length] += s[j];
                        }
                    }
                }
            }
            for (int j = 0; j < scores.length; j++) {
                scores[j] /= copies;
            }
            maps.add(Method.CAM.map(capture.sample(n, weights(kept, scores, sample.channels()))));
        }
        return BatchMaps.of(capture, maps);
    }

    private int copies(MethodOptions options) {
        return switch (variant) {
            case PLAIN -> 1;
            case SMOOTHED -> options.samples().orElse(SMOOTHED_SAMPLES);
            case INTEGRATED -> options.steps().orElse(INTEGRATED_STEPS);
        };
    }

    /** Turns one channel's mask at {@code offset} into copy {@code copy} of {@code copies}. */
    private void perturb(float[] masks, int offset, int pixels, int copy, int copies, double sigma, SeededNoise noise) {
        if (variant == Variant.SMOOTHED) {
            float[] eps = noise.gaussians(pixels, sigma);
            for (int p = 0; p < pixels; p++) {
                masks[offset + p] += eps[p];
            }
        } else if (variant == Variant.INTEGRATED) {
            // c_i = sum_(j <= i) j / n for copy i = copy + 1, as torch-cam accumulates it.
            double coefficient = (copy + 1) * (copy + 2) / 2.0 / copies;
            for (int p = 0; p < pixels; p++) {
                masks[offset + p] = (float) (masks[offset + p] * coefficient);
            }
        }
    }

    /**
     * @param s one sample's activations
     * @param top how many channels to keep, 0 for all
     * @return the kept channels in ascending order: all, or the {@code top} of highest variance
     */
    static int[] keptChannels(LayerActivations s, int top) {
        int k = s.channels();
        if (top == 0 || top >= k) {
            return IntStream.range(0, k).toArray();
        }
        double[] variance = new double[k];
        float[] a = s.activations();
        int n = s.positions();
        for (int c = 0; c < k; c++) {
            double mean = s.activationSum(c) / n;
            double sum = 0;
            for (int p = c * n; p < (c + 1) * n; p++) {
                sum += (a[p] - mean) * (a[p] - mean);
            }
            variance[c] = sum / n;
        }
        // A stable sort keeps the lower index first among equal variances.
        return IntStream.range(0, k).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> variance[c]).reversed())
                .limit(top).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Softmax of the scores over the kept channels; 0 for every other channel. */
    static float[] weights(int[] kept, double[] scores, int channels) {
        double max = Arrays.stream(scores).max().orElse(0);
        double total = 0;
        double[] e = new double[scores.length];
        for (int j = 0; j < scores.length; j++) {
            e[j] = Math.exp(scores[j] - max);
            total += e[j];
        }
        float[] w = new float[channels];
        for (int j = 0; j < kept.length; j++) {
            w[kept[j]] = (float) (e[j] / total);
        }
        return w;
    }

    /**
     * Writes channel {@code k}'s mask, {@code width * height} values, at {@code offset}: bilinear
     * upsampling with corner-aligned sampling, then min-max with {@link #MASK_EPSILON}.
     */
    static void mask(LayerActivations s, int k, int width, int height, float[] out, int offset) {
        int h = s.height();
        int w = s.width();
        float[] a = s.activations();
        int base = k * h * w;
        double[] up = new double[width * height];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < height; y++) {
            double sy = cornerAligned(y, h, height);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = cornerAligned(x, w, width);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = (1 - fx) * a[base + y0 * w + x0] + fx * a[base + y0 * w + x1];
                double bottom = (1 - fx) * a[base + y1 * w + x0] + fx * a[base + y1 * w + x1];
                double v = (1 - fy) * top + fy * bottom;
                up[y * width + x] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = max - min + MASK_EPSILON;
        for (int p = 0; p < up.length; p++) {
            out[offset + p] = (float) ((up[p] - min) / range);
        }
    }

    /** The source coordinate of output index {@code i} when {@code in} samples span {@code out}. */
    private static double cornerAligned(int i, int in, int out) {
        return out > 1 ? (double) i * (in - 1) / (out - 1) : 0;
    }
}
