package io.camunit.explain;

import io.camunit.CamunitException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The explanation methods. The layer formulas of {@code docs/pipeline.md}
 * ({@link #CAM} to {@link #EIGEN_GRAD_CAM}) apply to one sample's activations {@code A[k,i,j]} and
 * gradients {@code G = dS/dA}; each costs one forward pass per layer, and those that need
 * gradients one backward pass per layer. The methods after them need more passes (their classes
 * state the cost) or work at the input ({@link Kind#INPUT}, {@link Kind#BLACK_BOX}) on any model.
 *
 * <pre>{@code
 * Method m = Method.fromId("grad-cam++");   // GRAD_CAM_PLUS_PLUS
 * float[] lowRes = m.map(layerActivations);  // before ReLU, h * w values
 * }</pre>
 */
public enum Method {

    /** {@code w[k] = W_fc[c,k]}: the final linear layer's row for the target class (Zhou et al. 2016). */
    CAM("cam", Kind.LAYER, false) {
        @Override
        float[] map(LayerActivations s) {
            return weightedSum(s, s.classifierRow());
        }
    },

    /** {@code w[k] = mean_ij G[k,i,j]} (Selvaraju et al. 2017). */
    GRAD_CAM("grad-cam", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            float[] w = new float[s.channels()];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (s.gradientSum(k) / s.positions());
            }
            return weightedSum(s, w);
        }
    },

    /**
     * {@code alpha = G^2 / (2 G^2 + sum_ab A * G^3 + 1e-6)}, 0 where {@code G = 0};
     * {@code w[k] = sum_ij relu(G) * alpha} (Chattopadhay et al. 2018, as pytorch-grad-cam).
     */
    GRAD_CAM_PLUS_PLUS("grad-cam++", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            float[] g = s.gradients();
            int n = s.positions();
            float[] w = new float[s.channels()];
            for (int k = 0; k < w.length; k++) {
                double sumA = s.activationSum(k);
                double weight = 0;
                for (int p = k * n; p < (k + 1) * n; p++) {
                    double gk = g[p];
                    if (gk > 0) {
                        double g2 = gk * gk;
                        weight += gk * g2 / (2 * g2 + sumA * g2 * gk + GRAD_CAM_PLUS_PLUS_EPSILON);
                    }
                }
                w[k] = (float) weight;
            }
            return weightedSum(s, w);
        }
    },

    /** {@code w[k] = sum_ij G*A / (sum_ij A + 1e-7)} (Fu et al. 2020). */
    XGRAD_CAM("xgrad-cam", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            float[] a = s.activations();
            float[] g = s.gradients();
            int n = s.positions();
            float[] w = new float[s.channels()];
            for (int k = 0; k < w.length; k++) {
                double dot = 0;
                for (int p = k * n; p < (k + 1) * n; p++) {
                    dot += (double) g[p] * a[p];
                }
                w[k] = (float) (dot / (s.activationSum(k) + XGRAD_CAM_EPSILON));
            }
            return weightedSum(s, w);
        }
    },

    /** Map {@code sum_k G[k] * A[k]} (Draelos and Carin 2020). */
    HIRES_CAM("hires-cam", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            return elementwiseSum(s, ELEMENTWISE_PRODUCT);
        }
    },

    /** Map {@code sum_k relu(G[k] * A[k])} (pytorch-grad-cam's GradCAMElementWise). */
    GRAD_CAM_ELEMENTWISE("grad-cam-elementwise", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            return elementwiseSum(s, RECTIFIED_PRODUCT);
        }
    },

    /** Map {@code sum_k relu(G[k]) * A[k]} (Jiang et al. 2021). */
    LAYER_CAM("layer-cam", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            return elementwiseSum(s, RECTIFIED_GRADIENT_TIMES_ACTIVATION);
        }
    },

    /**
     * Eigen-CAM (Muhammad and Yeasin 2020): the activations as a {@code (h*w) x K} matrix with
     * centred columns, projected on its first right singular vector. Needs no gradient and no
     * target. The singular vector's sign is arbitrary; it is chosen so that the map correlates
     * positively with the layer's total activation per position (high where the layer is active).
     * This deviates from the spec's "flip so the map's sum is positive": after centring, the sum
     * (and so the positive and negative lobes' balance) is always 0 and cannot decide the sign.
     */
    EIGEN_CAM("eigen-cam", Kind.LAYER, false) {
        @Override
        float[] map(LayerActivations s) {
            return PrincipalComponent.projection(s.activations(), s.channels(), s.positions());
        }
    },

    /** EigenGrad-CAM: Eigen-CAM of the element-wise product {@code G * A}. */
    EIGEN_GRAD_CAM("eigen-grad-cam", Kind.LAYER, true) {
        @Override
        float[] map(LayerActivations s) {
            float[] a = s.activations();
            float[] g = s.gradients();
            float[] product = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                product[i] = a[i] * g[i];
            }
            return PrincipalComponent.projection(product, s.channels(), s.positions());
        }
    },

    // One-pass layer methods with options: each computation lives in its own class.

    /**
     * FEM (Fuad et al. 2020), as pytorch-grad-cam: {@code w[k]} the fraction of positions where
     * {@code A[k] > mean_k + k-sigma * std_k} (default 2). No gradient, no target. See
     * {@link FeatureExplanation}.
     */
    FEM("fem", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return new FeatureExplanation();
        }
    },

    /**
     * KPCA-CAM (Karmani et al. 2024): the first kernel principal component of the positions'
     * centred activations (options {@code kernel} sigmoid, {@code gamma} 1 / K). No gradient, no
     * target; sign as {@link #EIGEN_CAM}. See {@link KernelPrincipalComponent}.
     */
    KPCA_CAM("kpca-cam", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return new KernelPrincipalComponent();
        }
    },

    // Layer methods that need more than one pass: each computation lives in its own class.

    /**
     * Score-CAM (Wang et al. 2020): each channel, upsampled and min-max scaled, masks the input;
     * the channel weights are the softmax of the masked inputs' scores. Cost per image: one forward
     * pass to the layer, then {@code ceil(K / chunk-size)} full forward passes (options
     * {@code chunk-size} 16, {@code top-channels}). See {@link ScoreCam}.
     */
    SCORE_CAM("score-cam", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return new ScoreCam();
        }
    },

    /**
     * SS-CAM (Naidu et al. 2020), as torch-cam: Score-CAM with each channel's score averaged over
     * {@code samples} (35) copies of its mask plus {@code N(0, noise-std^2)} (2.0). Cost per image:
     * {@code ceil(samples * K / chunk-size)} forward passes. See {@link ScoreCam#smoothed()}.
     */
    SS_CAM("ss-cam", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return ScoreCam.smoothed();
        }
    },

    /**
     * IS-CAM (Naidu et al. 2020), as torch-cam: Score-CAM with each channel's score averaged over
     * {@code steps} (10) copies of its mask scaled by the accumulated coefficients
     * {@code sum_(j <= i) j / steps}. Cost per image: {@code ceil(steps * K / chunk-size)} forward
     * passes. See {@link ScoreCam#integrated()}.
     */
    IS_CAM("is-cam", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return ScoreCam.integrated();
        }
    },

    /**
     * Ablation-CAM (Desai and Ramaswamy 2020): the relative score drop when one channel of the layer
     * is ablated. Cost per image: one forward pass, then {@code ceil(K / chunk-size)} passes through
     * the head after the layer (option {@code chunk-size} 32). See {@link AblationCam}.
     */
    ABLATION_CAM("ablation-cam", Kind.LAYER, false) {
        @Override
        MapComputation computation() {
            return new AblationCam();
        }
    },

    /**
     * Smooth Grad-CAM++ (Omeiza et al. 2019): Grad-CAM++ with the gradient powers averaged over
     * noisy copies of the input. Cost: one forward pass, then {@code samples} (8) forward and
     * backward passes (options {@code samples}, {@code noise-std} 0.3, {@code seed}). See
     * {@link SmoothGradCamPlusPlus}.
     */
    SMOOTH_GRAD_CAM_PLUS_PLUS("smooth-grad-cam++", Kind.LAYER, true) {
        @Override
        MapComputation computation() {
            return new SmoothGradCamPlusPlus();
        }
    },

    /**
     * Finer-CAM (Zhang et al. 2025), as pytorch-grad-cam over Grad-CAM: Grad-CAM of the target
     * logit minus {@code alpha} (1) times the logits of the {@code comparisons} (3) most similar
     * classes, weighted by their probabilities. Cost: two forward passes and one backward pass.
     * See {@link FinerCam}.
     */
    FINER_CAM("finer-cam", Kind.LAYER, true) {
        @Override
        MapComputation computation() {
            return new FinerCam();
        }
    },

    /**
     * Guided Grad-CAM (Selvaraju et al. 2017): Guided Backpropagation weighted by the upsampled
     * Grad-CAM map; DJL block models only. See {@link GuidedBackprop}.
     */
    GUIDED_GRAD_CAM("guided-grad-cam", Kind.LAYER, true) {
        @Override
        MapComputation computation() {
            return GuidedBackprop.guidedGradCam();
        }
    },

    // Input-space and black-box methods: no layer, any model.

    /** The vanilla gradient {@code |dS/dx|} (Simonyan et al. 2014). See {@link InputGradients}. */
    GRADIENT("gradient", Kind.INPUT, true) {
        @Override
        MapComputation computation() {
            return InputGradients.vanilla();
        }
    },

    /** SmoothGrad (Smilkov et al. 2017): the gradient averaged over noisy copies. See {@link InputGradients}. */
    SMOOTH_GRAD("smoothgrad", Kind.INPUT, true) {
        @Override
        MapComputation computation() {
            return InputGradients.smoothGrad();
        }
    },

    /** Integrated Gradients (Sundararajan et al. 2017). See {@link InputGradients}. */
    INTEGRATED_GRADIENTS("integrated-gradients", Kind.INPUT, true) {
        @Override
        MapComputation computation() {
            return InputGradients.integratedGradients();
        }
    },

    /**
     * FullGrad (Srinivas and Fleuret 2019): the input-gradient term plus every biased layer's
     * bias-gradient term, each scaled per channel and summed, as pytorch-grad-cam. Needs a CAM-ready
     * file exported with {@code --full-gradient}; cost: one forward and backward pass, plus one per
     * biased layer. See {@link FullGradient}.
     */
    FULL_GRAD("fullgrad", Kind.INPUT, true) {
        @Override
        MapComputation computation() {
            return new FullGradient();
        }
    },

    /**
     * Guided Backpropagation (Springenberg et al. 2015): ReLUs pass only positive gradients; DJL
     * block models only. See {@link GuidedBackprop}.
     */
    GUIDED_BACKPROP("guided-backprop", Kind.INPUT, true) {
        @Override
        MapComputation computation() {
            return GuidedBackprop.guidedBackprop();
        }
    },

    /** Occlusion (Zeiler and Fergus 2014): the score drop when a window is covered. See {@link Occlusion}. */
    OCCLUSION("occlusion", Kind.BLACK_BOX, false) {
        @Override
        MapComputation computation() {
            return new Occlusion();
        }
    },

    /** RISE (Petsiuk et al. 2018): the score-weighted mean of random masks. See {@link Rise}. */
    RISE("rise", Kind.BLACK_BOX, false) {
        @Override
        MapComputation computation() {
            return new Rise();
        }
    },

    // Controls for sanity checks: maps that do not depend on the model.

    /** A seeded uniform random map at the input size. See {@link InputControls#random()}. */
    RANDOM("random", Kind.BLACK_BOX, false) {
        @Override
        MapComputation computation() {
            return InputControls.random();
        }
    },

    /** The Sobel edge magnitude of the image, as pytorch-grad-cam's sobel_cam. See {@link InputControls#sobel()}. */
    SOBEL("sobel", Kind.BLACK_BOX, false) {
        @Override
        MapComputation computation() {
            return InputControls.sobel();
        }
    };

    /** Where a method works and what it needs from the model. */
    public enum Kind {
        /** At a layer of the model: the model must be cut there (CAM-ready), a layer is required. */
        LAYER,
        /** At the input, with gradients: any model that runs on the engine, no layer. */
        INPUT,
        /** At the input, from forward passes only: any model, no layer. */
        BLACK_BOX
    }

    /** The {@code 1e-6} in the Grad-CAM++ alpha denominator. */
    public static final double GRAD_CAM_PLUS_PLUS_EPSILON = 1e-6;
    /** The {@code 1e-7} in the XGrad-CAM weight denominator. */
    public static final double XGRAD_CAM_EPSILON = 1e-7;

    private final String id;
    private final Kind kind;
    private final boolean needsGradients;

    Method(String id, Kind kind, boolean needsGradients) {
        this.id = id;
        this.kind = kind;
        this.needsGradients = needsGradients;
    }

    /** @return where the method works: at a layer, or at the input */
    public Kind kind() {
        return kind;
    }

    /**
     * The method options this method reads ({@code augment}, test-time augmentation, applies to every
     * method and is not listed).
     *
     * <pre>{@code
     * Method.RISE.optionNames();       // [masks, cell-size, keep-probability, baseline, seed, chunk-size]
     * Method.GRAD_CAM.optionNames();   // []
     * }</pre>
     *
     * @return the names, as {@link MethodOptions#withOption} takes them
     */
    public Set<String> optionNames() {
        return switch (this) {
            case CAM, GRAD_CAM, GRAD_CAM_PLUS_PLUS, XGRAD_CAM, HIRES_CAM, GRAD_CAM_ELEMENTWISE, LAYER_CAM, EIGEN_CAM,
                    EIGEN_GRAD_CAM, GUIDED_GRAD_CAM, GRADIENT, FULL_GRAD, GUIDED_BACKPROP, SOBEL -> Set.of();
            case FEM -> Set.of("k-sigma");
            case KPCA_CAM -> Set.of("kernel", "gamma");
            case SCORE_CAM -> Set.of("chunk-size", "top-channels");
            case SS_CAM -> Set.of("samples", "noise-std", "seed", "chunk-size", "top-channels");
            case IS_CAM -> Set.of("steps", "chunk-size", "top-channels");
            case ABLATION_CAM -> Set.of("chunk-size");
            case SMOOTH_GRAD_CAM_PLUS_PLUS -> Set.of("samples", "noise-std", "seed");
            case FINER_CAM -> Set.of("alpha", "comparisons");
            case SMOOTH_GRAD -> Set.of("samples", "noise-std", "seed", "chunk-size");
            case INTEGRATED_GRADIENTS -> Set.of("steps", "baseline", "chunk-size");
            case OCCLUSION -> Set.of("window", "stride", "baseline", "chunk-size");
            case RISE -> Set.of("masks", "cell-size", "keep-probability", "baseline", "seed", "chunk-size");
            case RANDOM -> Set.of("seed");
        };
    }

    /**
     * Refuses options that none of the methods of a run reads, so that a misplaced option (e.g.
     * {@code samples=50} given to Grad-CAM) does not pass silently as if it had been applied.
     *
     * @param methods the methods that will run with the options
     * @param options the options given
     * @throws CamunitException naming each option no method reads and the methods that would read it
     */
    public static void requireOptionsRead(Collection<Method> methods, MethodOptions options) {
        List<String> unread = new ArrayList<>();
        for (String name : options.given()) {
            if (!name.equals("augment") && methods.stream().noneMatch(m -> m.optionNames().contains(name))) {
                unread.add(name);
            }
        }
        if (unread.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder();
        for (String name : unread) {
            List<String> readers = Arrays.stream(values()).filter(x -> x.optionNames().contains(name)).map(Method::id)
                    .toList();
            m.append(m.length() == 0 ? "" : "; ").append("option ").append(name).append(" is read by ")
                    .append(String.join(", ", readers));
        }
        throw new CamunitException("Method option" + (unread.size() > 1 ? "s " : " ") + String.join(", ", unread)
                + (unread.size() > 1 ? " are" : " is") + " not read by " + String.join(", ", methods.stream()
                        .map(Method::id).toList()) + ", so " + (unread.size() > 1 ? "they" : "it") + " would change"
                + " nothing: remove " + (unread.size() > 1 ? "them" : "it") + ", or choose a method that reads "
                + (unread.size() > 1 ? "them" : "it") + " (" + m + ").");
    }

    /** @return true when the method explains at a layer, so an explainer needs at least one */
    public boolean usesLayers() {
        return kind == Kind.LAYER;
    }

    /** @return the name used on the command line and in reports, e.g. {@code grad-cam++} */
    public String id() {
        return id;
    }

    /** @return true when the method needs {@code dS/dA} (one backward pass per layer) */
    public boolean needsGradients() {
        return needsGradients;
    }

    /**
     * The low-resolution map of one sample at one layer, before ReLU, for the methods that are a
     * formula of one layer's activations and gradients.
     *
     * @param s the sample's activations, gradients and (for CAM) classifier row
     * @return {@code h * w} values, row-major
     * @throws UnsupportedOperationException for methods that are not such a formula
     */
    float[] map(LayerActivations s) {
        throw new UnsupportedOperationException(id + " is not a formula of one layer's activations");
    }

    /** @return how this method computes the maps of a batch */
    MapComputation computation() {
        return new LayerFormula(this);
    }

    /**
     * @param id a method name such as {@code grad-cam} (case-insensitive; {@code _} for {@code -})
     * @return the method
     * @throws CamunitException listing the known names
     */
    public static Method fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Method m : values()) {
            if (m.id.equals(wanted) || m.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(wanted)) {
                return m;
            }
        }
        throw new CamunitException("Unknown method '" + id + "'. Known methods: "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")) + ".");
    }

    @Override
    public String toString() {
        return id;
    }

    private static float[] weightedSum(LayerActivations s, float[] w) {
        float[] a = s.activations();
        int n = s.positions();
        double[] sum = new double[n];
        for (int k = 0; k < w.length; k++) {
            double wk = w[k];
            int base = k * n;
            for (int p = 0; p < n; p++) {
                sum[p] += wk * a[base + p];
            }
        }
        return toFloats(sum);
    }

    // The element-wise formulas, {@code sum_k f(G[k], A[k])} in double precision.
    private static final int ELEMENTWISE_PRODUCT = 0;
    private static final int RECTIFIED_PRODUCT = 1;
    private static final int RECTIFIED_GRADIENT_TIMES_ACTIVATION = 2;

    /** One loop per formula rather than a function per element, so each stays a tight loop. */
    private static float[] elementwiseSum(LayerActivations s, int formula) {
        float[] a = s.activations();
        float[] g = s.gradients();
        int n = s.positions();
        double[] sum = new double[n];
        for (int k = 0; k < s.channels(); k++) {
            int base = k * n;
            switch (formula) {
                case ELEMENTWISE_PRODUCT -> {
                    for (int p = 0; p < n; p++) {
                        sum[p] += (double) g[base + p] * a[base + p];
                    }
                }
                case RECTIFIED_PRODUCT -> {
                    for (int p = 0; p < n; p++) {
                        sum[p] += Math.max((double) g[base + p] * a[base + p], 0);
                    }
                }
                default -> {
                    for (int p = 0; p < n; p++) {
                        sum[p] += Math.max((double) g[base + p], 0) * a[base + p];
                    }
                }
            }
        }
        return toFloats(sum);
    }

    private static float[] toFloats(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }
}
