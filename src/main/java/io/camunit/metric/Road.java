package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.explain.SeededNoise;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * ROAD, "remove and debias" (Rong et al. 2022), as pytorch-grad-cam's {@code ROADMostRelevantFirst},
 * {@code ROADLeastRelevantFirst} and {@code ROADCombined}: pixels of the display map (at the model's
 * input size) are removed and filled by {@link NoisyLinearImputation}, and the value is the target's
 * softmax probability for the imputed input minus that for the original input.
 * <ul>
 *   <li>{@code road-morf-P} (most relevant first): with {@code t} NumPy's linear {@code P}-th percentile
 *       of the map, the pixels with {@code map >= t} are removed, so {@code P} is the percentage kept
 *       ({@code road-morf-80} removes the top 20 %); a faithful map makes it strongly negative.</li>
 *   <li>{@code road-lerf-P} (least relevant first): the same on {@code 1 - map} (float32), removing
 *       the least relevant {@code 100 - P} %; a faithful map keeps it near 0.</li>
 *   <li>{@code road}: {@code (mean_P lerf(P) - mean_P morf(P)) / 2} over P = 10, 20, ..., 90; higher is
 *       better.</li>
 * </ul>
 * Ties at the threshold are removed with it (as the reference), so more than {@code 100 - P} % may go.
 * When that would remove every pixel (the threshold equals the map's minimum, e.g. a map that is 0 on
 * more than P % of the image), only the pixels strictly above the threshold are removed: the
 * reference would solve a singular system there. A map where every pixel ties (constant) ranks
 * nothing and raises {@link DegenerateMapException}. Noise: N(0, 0.01^2) in input-tensor units from
 * {@link SeededNoise}{@code (seed)}, a new generator per perturbed input. Cost: per percentile and
 * mode one sparse factorisation shared by the channels, and 1 + (percentiles x modes) forward passes
 * in batches of 16.
 *
 * <pre>{@code
 * Road.Result r = Road.of(model, image, explanation.display(), explanation.targetClass(), Road.PERCENTILES,
 *         NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED);
 * r.combined();   // 0.31
 * r.morf(80);     // -0.42
 * }</pre>
 */
public final class Road {

    /** The combined score's name. */
    public static final String COMBINED = "road";
    /** {@code road-morf-P} and {@code road-lerf-P}. */
    public static final Pattern SINGLE = Pattern.compile("road-(morf|lerf)-(\\d+(?:\\.\\d+)?)");
    /** The percentiles of {@code road}, as pytorch-grad-cam's {@code ROADCombined}. */
    public static final List<Double> PERCENTILES = List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0);
    /** The seed of the imputation noise when none is given. */
    public static final long DEFAULT_SEED = 0;

    private Road() {}

    /**
     * The values of one image.
     *
     * @param original the target's probability for the unperturbed input
     * @param percentiles the percentiles kept, in order
     * @param morf the change after removing the most relevant pixels, per percentile (NaN when not measured)
     * @param lerf the change after removing the least relevant pixels, per percentile (NaN when not measured)
     */
    public record Result(double original, List<Double> percentiles, double[] morf, double[] lerf) {

        /** @return the MoRF change at a percentile measured */
        public double morf(double percentile) {
            return at(morf, percentile, "MoRF");
        }

        /** @return the LeRF change at a percentile measured */
        public double lerf(double percentile) {
            return at(lerf, percentile, "LeRF");
        }

        /** @return {@code (mean lerf - mean morf) / 2} */
        public double combined() {
            return (mean(lerf) - mean(morf)) / 2;
        }

        private double at(double[] values, double percentile, String mode) {
            int i = percentiles.indexOf(percentile);
            if (i < 0 || Double.isNaN(values[i])) {
                throw new IllegalArgumentException(mode + " at " + percentile + " was not measured; measured: " + percentiles);
            }
            return values[i];
        }

        private double mean(double[] values) {
            double s = 0;
            for (double v : values) {
                if (Double.isNaN(v)) {
                    throw new IllegalStateException("Not every percentile was measured for both modes: " + percentiles);
                }
                s += v;
            }
            return s / values.length;
        }
    }

    /**
     * @param model the model
     * @param image the image
     * @param display the display map (resized to the input size if needed)
     * @param targetClass the class whose softmax probability is followed
     * @param percentiles the percentages kept, each in (0, 100)
     * @param noiseStd the imputation noise, {@link NoisyLinearImputation#DEFAULT_NOISE} as the reference
     * @param seed the noise's seed
     * @return both modes at every percentile
     */
    public static Result of(CamModel model, InputImage image, Heatmap display, int targetClass, List<Double> percentiles,
            double noiseStd, long seed) {
        return measure(model, image, display, targetClass, percentiles, true, true, noiseStd, seed);
    }

    /**
     * @param model the model
     * @param image the image
     * @param display the display map
     * @param targetClass the class followed
     * @param percentile the percentage kept
     * @param mostRelevantFirst MoRF when true, LeRF when false
     * @param noiseStd the imputation noise
     * @param seed the noise's seed
     * @return the change of the target's probability, perturbed minus original
     */
    public static double single(CamModel model, InputImage image, Heatmap display, int targetClass, double percentile,
            boolean mostRelevantFirst, double noiseStd, long seed) {
        Result r = measure(model, image, display, targetClass, List.of(percentile), mostRelevantFirst, !mostRelevantFirst,
                noiseStd, seed);
        return mostRelevantFirst ? r.morf()[0] : r.lerf()[0];
    }

    private static Result measure(CamModel model, InputImage image, Heatmap display, int targetClass,
            List<Double> percentiles, boolean morf, boolean lerf, double noiseStd, long seed) {
        Perturbation p = new Perturbation(model, image, targetClass);
        float[] map = display.resize(p.width, p.height).toArray();
        List<float[]> inputs = new ArrayList<>();
        inputs.add(p.input);
        for (double percentile : percentiles) {
            if (morf) {
                inputs.add(NoisyLinearImputation.impute(p.input, p.width, p.height, removed(map, percentile, true),
                        noiseStd, new SeededNoise(seed)));
            }
            if (lerf) {
                inputs.add(NoisyLinearImputation.impute(p.input, p.width, p.height, removed(map, percentile, false),
                        noiseStd, new SeededNoise(seed)));
            }
        }
        double[] prob = p.probabilities(inputs);
        double[] morfOut = new double[percentiles.size()];
        double[] lerfOut = new double[percentiles.size()];
        Arrays.fill(morfOut, Double.NaN);
        Arrays.fill(lerfOut, Double.NaN);
        int k = 1;
        for (int i = 0; i < percentiles.size(); i++) {
            if (morf) {
                morfOut[i] = prob[k++] - prob[0];
            }
            if (lerf) {
                lerfOut[i] = prob[k++] - prob[0];
            }
        }
        return new Result(prob[0], List.copyOf(percentiles), morfOut, lerfOut);
    }

    /**
     * The pixels ROAD removes.
     *
     * @param map the display map's values
     * @param percentile the percentage kept, in (0, 100)
     * @param mostRelevantFirst MoRF (the map itself) or LeRF ({@code 1 - map})
     * @return one flag per value: removed
     * @throws DegenerateMapException for NaN/infinite values or a constant map
     */
    public static boolean[] removed(float[] map, double percentile, boolean mostRelevantFirst) {
        if (!(percentile > 0 && percentile < 100)) {
            throw new CamunitException("ROAD's percentile is the percentage of pixels kept, in (0, 100); got "
                    + percentile + ".");
        }
        float[] ranked = new float[map.length];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < map.length; i++) {
            if (!Float.isFinite(map[i])) {
                throw new DegenerateMapException("The map holds NaN or infinite values, so ROAD cannot rank its pixels.");
            }
            ranked[i] = mostRelevantFirst ? map[i] : 1f - map[i];
            min = Math.min(min, ranked[i]);
            max = Math.max(max, ranked[i]);
        }
        if (min == max) {
            throw new DegenerateMapException("Every pixel of the map has the same value (" + map[0] + "), so ROAD has no"
                    + " most or least relevant pixels to remove. The map is constant: check the layer, the method or"
                    + " the target.");
        }
        double threshold = percentile(ranked, percentile);
        boolean[] out = new boolean[map.length];
        boolean all = true;
        for (int i = 0; i < map.length; i++) {
            out[i] = ranked[i] >= threshold;
            all &= out[i];
        }
        if (all) {
            // The threshold is the minimum: removing ties would leave nothing to impute from.
            for (int i = 0; i < map.length; i++) {
                out[i] = ranked[i] > threshold;
            }
        }
        return out;
    }

    /** NumPy's default ("linear") percentile, with its two-sided interpolation. */
    static double percentile(float[] values, double percentile) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double index = (sorted.length - 1) * percentile / 100;
        int below = (int) Math.floor(index);
        int above = Math.min(below + 1, sorted.length - 1);
        double t = index - below;
        double a = sorted[below];
        double b = sorted[above];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    /** The display map, after the checks every metric makes on the raw one (finite, positive mass). */
    static Heatmap checked(Explanation e) {
        MapOnImage.valuesOf(e.raw(), e.raw().width(), e.raw().height());
        return e.display();
    }
}
