package io.camunit.explain;

import io.camunit.CamunitException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The knobs of the methods that need more than one forward and backward pass: chunking of
 * perturbed inputs, noise, integration steps, occlusion windows, random masks, and test-time
 * augmentation. An option left unset takes the method's documented default (each method's Javadoc
 * gives it), so that 0 keeps its meaning where it has one: {@code noise-std} 0 is no noise at all,
 * {@code baseline} 0 the normalised mean colour, {@code seed} 0 a seed like any other. Counts must
 * be at least 1. Formula methods such as Grad-CAM ignore everything here but {@link #augment()}.
 *
 * <p>The same names are used on the command line ({@code --option chunk-size=32}) and in
 * {@code @UseExplainer(options = "samples=8")}; from Java, the builder's typed setters.
 *
 * <pre>{@code
 * MethodOptions o = MethodOptions.builder().optChunkSize(32).optSeed(7).optAugment(true).build();
 * MethodOptions same = MethodOptions.DEFAULTS.with("chunk-size=32", "seed=7", "augment=true");
 * MethodOptions noNoise = MethodOptions.builder().optNoiseStd(0).build();   // SmoothGrad without noise
 * Explainer scoreCam = Explainer.builder().setMethod(Method.SCORE_CAM).addLayer("features.10")
 *         .optOptions(o).build();
 * }</pre>
 *
 * @param chunkSize perturbed, noisy or interpolated inputs per pass (Score-CAM, SS-CAM, IS-CAM, Ablation-CAM,
 *     SmoothGrad, Integrated Gradients, occlusion, RISE)
 * @param topChannels Score-CAM, SS-CAM, IS-CAM: only the channels with the highest activation variance; unset
 *     for all
 * @param noiseStd standard deviation of the Gaussian noise added to the model input tensor (after
 *     normalisation), for SmoothGrad and Smooth Grad-CAM++, or to SS-CAM's masks; 0 adds none
 * @param samples noisy copies (SmoothGrad, Smooth Grad-CAM++, SS-CAM)
 * @param steps integration steps (Integrated Gradients, IS-CAM)
 * @param baseline the constant input tensor value integrated from (Integrated Gradients) and
 *     painted into occluded windows (occlusion); 0, the default, is the normalised mean colour
 * @param window occlusion window side in input pixels
 * @param stride occlusion stride in input pixels
 * @param masks RISE random masks
 * @param cellSize RISE mask grid cell side in input pixels
 * @param keepProbability RISE probability that a grid cell is kept, in (0, 1]
 * @param kSigma FEM: a position of channel k counts when {@code A[k] > mean_k + kSigma * std_k}; any
 *     finite number (0 thresholds at the channel mean)
 * @param kernel KPCA-CAM's kernel
 * @param gamma KPCA-CAM's kernel coefficient, positive
 * @param alpha Finer-CAM: how strongly the similar classes' scores are subtracted; any finite number
 *     (0 explains the target class alone)
 * @param comparisons Finer-CAM: how many of the most similar classes are compared with, at least 1
 * @param seed the random seed of every stochastic method, so that runs are reproducible (default 0)
 * @param augment test-time augmentation: average the display maps over horizontal flip x
 *     brightness {0.9, 1, 1.1} (six passes), each map flipped back, as pytorch-grad-cam's
 *     {@code aug_smooth}
 */
public record MethodOptions(
        OptionalInt chunkSize,
        OptionalInt topChannels,
        OptionalDouble noiseStd,
        OptionalInt samples,
        OptionalInt steps,
        double baseline,
        OptionalInt window,
        OptionalInt stride,
        OptionalInt masks,
        OptionalInt cellSize,
        OptionalDouble keepProbability,
        OptionalDouble kSigma,
        Optional<Kernel> kernel,
        OptionalDouble gamma,
        OptionalDouble alpha,
        OptionalInt comparisons,
        long seed,
        boolean augment) {

    /**
     * The kernels of KPCA-CAM, with scikit-learn's {@code KernelPCA} definitions (which
     * pytorch-grad-cam's {@code KPCA_CAM} uses) for rows {@code x, y} of the activations:
     */
    public enum Kernel {
        /** {@code exp(-gamma |x - y|^2)} */
        RBF,
        /** {@code tanh(gamma x.y + 1)} (pytorch-grad-cam's default) */
        SIGMOID,
        /** {@code x.y / (|x| |y|)}, 0 where a row is all zero; ignores gamma */
        COSINE,
        /** {@code (gamma x.y + 1)^3} */
        POLY,
        /** {@code x.y}: KPCA-CAM is then Eigen-CAM; ignores gamma */
        LINEAR;

        /** @return the option value, e.g. {@code rbf} */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kernel fromId(String id) {
            for (Kernel k : values()) {
                if (k.id().equalsIgnoreCase(id.trim())) {
                    return k;
                }
            }
            throw new CamunitException("Option kernel must be one of rbf, sigmoid, cosine, poly, linear; got '" + id
                    + "'.");
        }
    }

    /** Every option at its method's default, seed 0, baseline 0, no augmentation. */
    public static final MethodOptions DEFAULTS = builder().build();

    /** Rejects counts below 1, a negative or non-finite noise, and probabilities outside (0, 1]. */
    public MethodOptions {
        atLeastOne("chunk-size", chunkSize);
        atLeastOne("top-channels", topChannels);
        atLeastOne("samples", samples);
        atLeastOne("steps", steps);
        atLeastOne("window", window);
        atLeastOne("stride", stride);
        atLeastOne("masks", masks);
        atLeastOne("cell-size", cellSize);
        atLeastOne("comparisons", comparisons);
        Objects.requireNonNull(kernel, "kernel");
        finite("k-sigma", kSigma);
        finite("alpha", alpha);
        Objects.requireNonNull(gamma, "gamma");
        if (gamma.isPresent() && !(gamma.getAsDouble() > 0 && Double.isFinite(gamma.getAsDouble()))) {
            throw new CamunitException("Option gamma must be a finite number > 0 (leave it out for the method's"
                    + " default, 1 / channels); got " + gamma.getAsDouble() + ".");
        }
        Objects.requireNonNull(noiseStd, "noiseStd");
        Objects.requireNonNull(keepProbability, "keepProbability");
        if (noiseStd.isPresent() && (!(noiseStd.getAsDouble() >= 0) || Double.isInfinite(noiseStd.getAsDouble()))) {
            throw new CamunitException("Option noise-std must be a finite number >= 0 (0 adds no noise; leave it out"
                    + " for the method's default); got " + noiseStd.getAsDouble() + ".");
        }
        if (!Double.isFinite(baseline)) {
            throw new CamunitException("Option baseline must be a finite number; got " + baseline + ".");
        }
        if (keepProbability.isPresent() && !(keepProbability.getAsDouble() > 0 && keepProbability.getAsDouble() <= 1)) {
            throw new CamunitException("Option keep-probability must lie in (0, 1] (leave it out for the method's"
                    + " default); got " + keepProbability.getAsDouble() + ".");
        }
    }

    private static void finite(String name, OptionalDouble value) {
        Objects.requireNonNull(value, name);
        if (value.isPresent() && !Double.isFinite(value.getAsDouble())) {
            throw new CamunitException("Option " + name + " must be a finite number (leave it out for the method's"
                    + " default); got " + value.getAsDouble() + ".");
        }
    }

    private static void atLeastOne(String name, OptionalInt value) {
        Objects.requireNonNull(value, name);
        if (value.isPresent() && value.getAsInt() < 1) {
            throw new CamunitException("Option " + name + " must be at least 1 (leave it out for the method's"
                    + " default); got " + value.getAsInt() + ".");
        }
    }

    /** @return a builder with every option unset */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.chunkSize = chunkSize;
        b.topChannels = topChannels;
        b.noiseStd = noiseStd;
        b.samples = samples;
        b.steps = steps;
        b.baseline = baseline;
        b.window = window;
        b.stride = stride;
        b.masks = masks;
        b.cellSize = cellSize;
        b.keepProbability = keepProbability;
        b.kSigma = kSigma;
        b.kernel = kernel;
        b.gamma = gamma;
        b.alpha = alpha;
        b.comparisons = comparisons;
        b.seed = seed;
        b.augment = augment;
        return b;
    }

    /**
     * @param name an option name: chunk-size, top-channels, noise-std, samples, steps, baseline,
     *     window, stride, masks, cell-size, keep-probability, k-sigma, kernel, gamma, alpha, comparisons,
     *     seed, augment
     * @param value its value as text; {@code default} for the method's default
     * @return a copy with that option set
     * @throws CamunitException for an unknown name or a value that does not parse or is out of range
     */
    public MethodOptions withOption(String name, String value) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        String v = value.trim();
        if (v.equalsIgnoreCase(DEFAULT)) {
            return unset(key, name);
        }
        Builder b = toBuilder();
        switch (key) {
            case "chunk-size" -> b.optChunkSize(integer(key, v));
            case "top-channels" -> b.optTopChannels(integer(key, v));
            case "noise-std" -> b.optNoiseStd(decimal(key, v));
            case "samples" -> b.optSamples(integer(key, v));
            case "steps" -> b.optSteps(integer(key, v));
            case "baseline" -> b.optBaseline(decimal(key, v));
            case "window" -> b.optWindow(integer(key, v));
            case "stride" -> b.optStride(integer(key, v));
            case "masks" -> b.optMasks(integer(key, v));
            case "cell-size" -> b.optCellSize(integer(key, v));
            case "keep-probability" -> b.optKeepProbability(decimal(key, v));
            case "k-sigma" -> b.optKSigma(decimal(key, v));
            case "kernel" -> b.optKernel(Kernel.fromId(v));
            case "gamma" -> b.optGamma(decimal(key, v));
            case "alpha" -> b.optAlpha(decimal(key, v));
            case "comparisons" -> b.optComparisons(integer(key, v));
            case "seed" -> b.optSeed(parsed(key, v, "a whole number", Long::parseLong));
            case "augment" -> b.optAugment(bool(key, v));
            default -> throw unknown(name);
        }
        return b.build();
    }

    /** The value of an option left to its method's default, in {@link #asMap()} and {@link #withOption}. */
    public static final String DEFAULT = "default";

    private MethodOptions unset(String key, String name) {
        Builder b = toBuilder();
        switch (key) {
            case "chunk-size" -> b.chunkSize = OptionalInt.empty();
            case "top-channels" -> b.topChannels = OptionalInt.empty();
            case "noise-std" -> b.noiseStd = OptionalDouble.empty();
            case "samples" -> b.samples = OptionalInt.empty();
            case "steps" -> b.steps = OptionalInt.empty();
            case "baseline" -> b.baseline = 0;
            case "window" -> b.window = OptionalInt.empty();
            case "stride" -> b.stride = OptionalInt.empty();
            case "masks" -> b.masks = OptionalInt.empty();
            case "cell-size" -> b.cellSize = OptionalInt.empty();
            case "keep-probability" -> b.keepProbability = OptionalDouble.empty();
            case "k-sigma" -> b.kSigma = OptionalDouble.empty();
            case "kernel" -> b.kernel = Optional.empty();
            case "gamma" -> b.gamma = OptionalDouble.empty();
            case "alpha" -> b.alpha = OptionalDouble.empty();
            case "comparisons" -> b.comparisons = OptionalInt.empty();
            case "seed" -> b.seed = 0;
            case "augment" -> b.augment = false;
            default -> throw unknown(name);
        }
        return b.build();
    }

    private CamunitException unknown(String name) {
        return new CamunitException("Unknown method option '" + name + "'. Known options: "
                + String.join(", ", asMap().keySet()) + ".");
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

    /** @return the options by name, in declaration order, as text; {@code default} for those left unset */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("chunk-size", text(chunkSize));
        m.put("top-channels", text(topChannels));
        m.put("noise-std", text(noiseStd));
        m.put("samples", text(samples));
        m.put("steps", text(steps));
        m.put("baseline", Double.toString(baseline));
        m.put("window", text(window));
        m.put("stride", text(stride));
        m.put("masks", text(masks));
        m.put("cell-size", text(cellSize));
        m.put("keep-probability", text(keepProbability));
        m.put("k-sigma", text(kSigma));
        m.put("kernel", kernel.map(Kernel::id).orElse(DEFAULT));
        m.put("gamma", text(gamma));
        m.put("alpha", text(alpha));
        m.put("comparisons", text(comparisons));
        m.put("seed", Long.toString(seed));
        m.put("augment", Boolean.toString(augment));
        return m;
    }

    private static String text(OptionalInt v) {
        return v.isPresent() ? Integer.toString(v.getAsInt()) : DEFAULT;
    }

    private static String text(OptionalDouble v) {
        return v.isPresent() ? Double.toString(v.getAsDouble()) : DEFAULT;
    }

    private static int integer(String key, String v) {
        return parsed(key, v, "a whole number", Integer::parseInt);
    }

    private static double decimal(String key, String v) {
        return parsed(key, v, "a number", Double::parseDouble);
    }

    private static <T> T parsed(String key, String v, String expected, Function<String, T> parse) {
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new CamunitException("Option " + key + " needs " + expected + "; got '" + v + "'.", e);
        }
    }

    private static boolean bool(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new CamunitException("Option " + key + " needs true or false; got '" + v + "'.");
        };
    }

    /**
     * Builds {@link MethodOptions}; every option is optional ({@code opt*}) and checked by
     * {@link #build()}, which copies them.
     *
     * <pre>{@code
     * MethodOptions.builder().optMasks(500).optKeepProbability(0.25).build();
     * }</pre>
     */
    public static final class Builder {
        private OptionalInt chunkSize = OptionalInt.empty();
        private OptionalInt topChannels = OptionalInt.empty();
        private OptionalDouble noiseStd = OptionalDouble.empty();
        private OptionalInt samples = OptionalInt.empty();
        private OptionalInt steps = OptionalInt.empty();
        private double baseline;
        private OptionalInt window = OptionalInt.empty();
        private OptionalInt stride = OptionalInt.empty();
        private OptionalInt masks = OptionalInt.empty();
        private OptionalInt cellSize = OptionalInt.empty();
        private OptionalDouble keepProbability = OptionalDouble.empty();
        private OptionalDouble kSigma = OptionalDouble.empty();
        private Optional<Kernel> kernel = Optional.empty();
        private OptionalDouble gamma = OptionalDouble.empty();
        private OptionalDouble alpha = OptionalDouble.empty();
        private OptionalInt comparisons = OptionalInt.empty();
        private long seed;
        private boolean augment;

        private Builder() {}

        /**
         * @param value perturbed inputs per pass, at least 1
         * @return this builder
         */
        public Builder optChunkSize(int value) {
            chunkSize = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value Score-CAM's channels of highest variance, at least 1
         * @return this builder
         */
        public Builder optTopChannels(int value) {
            topChannels = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value the noise's standard deviation, at least 0 (0 adds none)
         * @return this builder
         */
        public Builder optNoiseStd(double value) {
            noiseStd = OptionalDouble.of(value);
            return this;
        }

        /**
         * @param value noisy copies, at least 1
         * @return this builder
         */
        public Builder optSamples(int value) {
            samples = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value integration steps, at least 1
         * @return this builder
         */
        public Builder optSteps(int value) {
            steps = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value the baseline input value, finite (default 0)
         * @return this builder
         */
        public Builder optBaseline(double value) {
            baseline = value;
            return this;
        }

        /**
         * @param value the occlusion window's side, at least 1
         * @return this builder
         */
        public Builder optWindow(int value) {
            window = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value the occlusion stride, at least 1
         * @return this builder
         */
        public Builder optStride(int value) {
            stride = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value RISE's number of masks, at least 1
         * @return this builder
         */
        public Builder optMasks(int value) {
            masks = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value RISE's grid cell side, at least 1
         * @return this builder
         */
        public Builder optCellSize(int value) {
            cellSize = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value RISE's probability of keeping a cell, in (0, 1]
         * @return this builder
         */
        public Builder optKeepProbability(double value) {
            keepProbability = OptionalDouble.of(value);
            return this;
        }

        /**
         * @param value FEM's threshold in channel standard deviations above the channel mean, finite
         *     (0 thresholds at the mean)
         * @return this builder
         */
        public Builder optKSigma(double value) {
            kSigma = OptionalDouble.of(value);
            return this;
        }

        /**
         * @param value KPCA-CAM's kernel
         * @return this builder
         */
        public Builder optKernel(Kernel value) {
            kernel = Optional.of(Objects.requireNonNull(value, "kernel"));
            return this;
        }

        /**
         * @param value KPCA-CAM's kernel coefficient, positive
         * @return this builder
         */
        public Builder optGamma(double value) {
            gamma = OptionalDouble.of(value);
            return this;
        }

        /**
         * @param value Finer-CAM's comparison strength, finite (0: the target class alone)
         * @return this builder
         */
        public Builder optAlpha(double value) {
            alpha = OptionalDouble.of(value);
            return this;
        }

        /**
         * @param value Finer-CAM's number of most similar classes, at least 1
         * @return this builder
         */
        public Builder optComparisons(int value) {
            comparisons = OptionalInt.of(value);
            return this;
        }

        /**
         * @param value the seed of every stochastic method (default 0)
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * @param value true for test-time augmentation (six passes)
         * @return this builder
         */
        public Builder optAugment(boolean value) {
            augment = value;
            return this;
        }

        /**
         * @return the options, a snapshot of this builder
         * @throws CamunitException for a value out of range, naming the option
         */
        public MethodOptions build() {
            return new MethodOptions(chunkSize, topChannels, noiseStd, samples, steps, baseline, window, stride, masks,
                    cellSize, keepProbability, kSigma, kernel, gamma, alpha, comparisons, seed, augment);
        }
    }
}
