package io.camunit.explain;

import io.camunit.CamunitException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The knobs of the methods that need more than one forward and backward pass: chunking of
 * perturbed inputs, noise, integration steps, occlusion windows, random masks, and test-time
 * augmentation. A value of 0 means "the method's documented default" (each method's Javadoc gives
 * it); formula methods such as Grad-CAM ignore everything here but {@link #augment()}.
 *
 * <p>The same names are used on the command line ({@code --option chunk-size=32}) and in
 * {@code @UseExplainer(options = "samples=8")}.
 *
 * <pre>{@code
 * MethodOptions o = MethodOptions.DEFAULTS.with("chunk-size=32", "seed=7").withOption("augment", "true");
 * Explainer scoreCam = Explainer.builder().setMethod(Method.SCORE_CAM).addLayer("features.10")
 *         .optOptions(o).build();
 * }</pre>
 *
 * @param chunkSize perturbed, noisy or interpolated inputs per pass (Score-CAM, Ablation-CAM, SmoothGrad,
 *     Integrated Gradients, occlusion, RISE)
 * @param topChannels Score-CAM: only the channels with the highest activation variance, 0 for all
 * @param noiseStd standard deviation of the Gaussian noise added to the model input tensor (after
 *     normalisation), for SmoothGrad and Smooth Grad-CAM++
 * @param samples noisy copies (SmoothGrad, Smooth Grad-CAM++)
 * @param steps integration steps (Integrated Gradients)
 * @param baseline the constant input tensor value integrated from (Integrated Gradients) and
 *     painted into occluded windows (occlusion); 0 is the normalised mean colour
 * @param window occlusion window side in input pixels
 * @param stride occlusion stride in input pixels
 * @param masks RISE random masks
 * @param cellSize RISE mask grid cell side in input pixels
 * @param keepProbability RISE probability that a grid cell is kept
 * @param seed the random seed of every stochastic method, so that runs are reproducible
 * @param augment test-time augmentation: average the display maps over horizontal flip x
 *     brightness {0.9, 1, 1.1} (six passes), each map flipped back, as pytorch-grad-cam's
 *     {@code aug_smooth}
 */
public record MethodOptions(
        int chunkSize,
        int topChannels,
        double noiseStd,
        int samples,
        int steps,
        double baseline,
        int window,
        int stride,
        int masks,
        int cellSize,
        double keepProbability,
        long seed,
        boolean augment) {

    /** Every option at its method's default, seed 0, no augmentation. */
    public static final MethodOptions DEFAULTS = new MethodOptions(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false);

    /** Rejects negative counts and probabilities outside [0, 1]. */
    public MethodOptions {
        requireNonNegative("chunk-size", chunkSize);
        requireNonNegative("top-channels", topChannels);
        requireNonNegative("samples", samples);
        requireNonNegative("steps", steps);
        requireNonNegative("window", window);
        requireNonNegative("stride", stride);
        requireNonNegative("masks", masks);
        requireNonNegative("cell-size", cellSize);
        if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) {
            throw new CamunitException("Option noise-std must be a finite number >= 0; got " + noiseStd + ".");
        }
        if (!Double.isFinite(baseline)) {
            throw new CamunitException("Option baseline must be a finite number; got " + baseline + ".");
        }
        if (!(keepProbability >= 0 && keepProbability <= 1)) {
            throw new CamunitException("Option keep-probability must lie in [0, 1] (0 for the default); got "
                    + keepProbability + ".");
        }
    }

    /**
     * @param name an option name: chunk-size, top-channels, noise-std, samples, steps, baseline,
     *     window, stride, masks, cell-size, keep-probability, seed, augment
     * @param value its value as text
     * @return a copy with that option set
     * @throws CamunitException for an unknown name or a value that does not parse
     */
    public MethodOptions withOption(String name, String value) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        Map<String, String> values = asMap();
        if (!values.containsKey(key)) {
            throw new CamunitException("Unknown method option '" + name + "'. Known options: "
                    + String.join(", ", values.keySet()) + ".");
        }
        values.put(key, value.trim());
        return new MethodOptions(integer(values, "chunk-size"), integer(values, "top-channels"),
                decimal(values, "noise-std"), integer(values, "samples"), integer(values, "steps"),
                decimal(values, "baseline"), integer(values, "window"), integer(values, "stride"),
                integer(values, "masks"), integer(values, "cell-size"), decimal(values, "keep-probability"),
                longValue(values, "seed"), bool(values, "augment"));
    }

    /**
     * @param assignments options as {@code name=value}, e.g. {@code chunk-size=32}
     * @return a copy with all of them set, left to right
     * @throws CamunitException for text without '=' or a bad name or value
     */
    public MethodOptions with(String... assignments) {
        MethodOptions out = this;
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new CamunitException("Method option '" + a + "' must have the form name=value,"
                        + " e.g. chunk-size=32.");
            }
            out = out.withOption(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    /**
     * @param value this option's value
     * @param methodDefault the method's default
     * @return {@code value}, or {@code methodDefault} when it is 0
     */
    public static int orDefault(int value, int methodDefault) {
        return value == 0 ? methodDefault : value;
    }

    /**
     * @param value this option's value
     * @param methodDefault the method's default
     * @return {@code value}, or {@code methodDefault} when it is 0
     */
    public static double orDefault(double value, double methodDefault) {
        return value == 0 ? methodDefault : value;
    }

    /** @return the options by name, in declaration order, as text */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("chunk-size", Integer.toString(chunkSize));
        m.put("top-channels", Integer.toString(topChannels));
        m.put("noise-std", Double.toString(noiseStd));
        m.put("samples", Integer.toString(samples));
        m.put("steps", Integer.toString(steps));
        m.put("baseline", Double.toString(baseline));
        m.put("window", Integer.toString(window));
        m.put("stride", Integer.toString(stride));
        m.put("masks", Integer.toString(masks));
        m.put("cell-size", Integer.toString(cellSize));
        m.put("keep-probability", Double.toString(keepProbability));
        m.put("seed", Long.toString(seed));
        m.put("augment", Boolean.toString(augment));
        return m;
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new CamunitException("Option " + name + " must be >= 0 (0 for the method's default); got "
                    + value + ".");
        }
    }

    private static int integer(Map<String, String> values, String key) {
        return (int) parsed(values, key, "a whole number", Integer::parseInt);
    }

    private static long longValue(Map<String, String> values, String key) {
        return (long) parsed(values, key, "a whole number", Long::parseLong);
    }

    private static double decimal(Map<String, String> values, String key) {
        return (double) parsed(values, key, "a number", Double::parseDouble);
    }

    private static Object parsed(Map<String, String> values, String key, String expected,
            java.util.function.Function<String, Object> parse) {
        String v = values.get(key);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new CamunitException("Option " + key + " needs " + expected + "; got '" + v + "'.", e);
        }
    }

    private static boolean bool(Map<String, String> values, String key) {
        String v = values.get(key);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new CamunitException("Option " + key + " needs true or false; got '" + v + "'.");
        };
    }
}
