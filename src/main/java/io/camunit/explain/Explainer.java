package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Computes explanations with one {@link Method} at one or more layers of a {@link CamModel} (or at
 * its input, for input-space and black-box methods), for a batch of images with one
 * {@link Target} each. Stateless and thread-safe; gradient work is
 * serialised by {@link GradientLock}, and every NDArray is freed before a call returns.
 *
 * <p>Cost per call: what the method states (layer formulas: one forward pass per layer, plus one
 * backward pass per layer for gradient methods, for the whole batch at once), times six with
 * test-time augmentation ({@link MethodOptions#augment()}).
 *
 * <pre>{@code
 * Explainer gradCam = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.9").build();
 * Explanation e = gradCam.explain(model, InputImage.read(Path.of("cat.png")), Target.predicted());
 * }</pre>
 */
public final class Explainer {

    private final Method method;
    private final List<String> layers;
    private final MethodOptions options;
    private final ExplanationCache cache;
    private final Consumer<ExplanationEvent> listener;

    private Explainer(Method method, List<String> layers, MethodOptions options, ExplanationCache cache,
            Consumer<ExplanationEvent> listener) {
        this.method = method;
        this.layers = List.copyOf(layers);
        this.options = options;
        this.cache = cache;
        this.listener = listener;
    }

    /** @return a builder; a method and at least one layer are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param method the CAM method
     * @param layers one or more layers of the model
     * @return an explainer for them
     */
    public static Explainer of(Method method, String... layers) {
        Builder b = builder().setMethod(method);
        for (String layer : layers) {
            b.addLayer(layer);
        }
        return b.build();
    }

    /** @return the method */
    public Method method() {
        return method;
    }

    /** @return the layers, in the order given; empty for methods that work at the input */
    public List<String> layers() {
        return layers;
    }

    /** @return the method options (chunking, noise, steps, augmentation, ...) */
    public MethodOptions options() {
        return options;
    }

    /**
     * Explains one image.
     *
     * @param model the model
     * @param image the image
     * @param target what to explain
     * @return the explanation
     */
    public Explanation explain(CamModel model, InputImage image, Target target) {
        return explain(model, List.of(image), List.of(target)).get(0);
    }

    private void tell(CamModel model, Explanation e, LabeledSample sample, InputImage image) {
        if (listener != null) {
            listener.accept(new ExplanationEvent(model, e, Optional.ofNullable(sample), Optional.ofNullable(image)));
        }
    }

    /**
     * Explains a labelled sample for its labelled class: the class whose name is the sample's
     * {@link LabeledSample#label()} in the model's {@link CamModel#classes()}.
     *
     * @param model the model
     * @param sample the labelled sample; its image is read here
     * @return the explanation
     * @throws CamunitException when the model does not know the sample's class
     */
    public Explanation explain(CamModel model, LabeledSample sample) {
        Target target = labelledClass(model, sample);
        Explanation e;
        if (cache == null) {
            e = compute(model, List.of(sample.image()), List.of(target)).get(0);
        } else {
            ExplanationCache.Key key = new ExplanationCache.Key(model, sample.imagePath().toAbsolutePath().normalize(),
                    method, layers, options, target.description());
            e = cache.get(key, () -> compute(model, List.of(sample.image()), List.of(target)).get(0));
        }
        tell(model, e, sample, null);
        return e;
    }

    /**
     * Explains labelled samples for their labelled classes, in batches of {@code batchSize}.
     *
     * @param model the model
     * @param samples the samples
     * @param batchSize images per forward/backward pass, at least 1
     * @return one explained sample per sample, in order
     */
    public List<ExplainedSample> explainAll(CamModel model, List<LabeledSample> samples, int batchSize) {
        if (batchSize < 1) {
            throw new CamunitException("Batch size must be at least 1; got " + batchSize);
        }
        List<ExplainedSample> out = new ArrayList<>(samples.size());
        for (int start = 0; start < samples.size(); start += batchSize) {
            List<LabeledSample> batch = samples.subList(start, Math.min(samples.size(), start + batchSize));
            List<InputImage> images = batch.stream().map(LabeledSample::image).toList();
            List<Target> targets = batch.stream().map(s -> labelledClass(model, s)).toList();
            List<Explanation> explained = compute(model, images, targets);
            for (int i = 0; i < batch.size(); i++) {
                out.add(new ExplainedSample(batch.get(i), explained.get(i)));
                tell(model, explained.get(i), batch.get(i), null);
            }
        }
        return out;
    }

    /**
     * Explains labelled samples for their labelled classes, 16 images per pass.
     *
     * @param model the model
     * @param samples the samples
     * @return one explained sample per sample, in order
     */
    public List<ExplainedSample> explainAll(CamModel model, List<LabeledSample> samples) {
        return explainAll(model, samples, 16);
    }

    /**
     * @param model a model with class names
     * @param sample a labelled sample
     * @return the target of the sample's labelled class
     * @throws CamunitException when the model does not know the class
     */
    public static Target labelledClass(CamModel model, LabeledSample sample) {
        String label = sample.label();
        int index = model.classes().indexOf(label);
        if (index < 0) {
            throw new CamunitException("Sample " + sample.id() + " is labelled '" + label + "', which model "
                    + model.name() + " does not know" + (model.classes().isEmpty()
                            ? " (it names no classes: give it class names, e.g. optClasses or camunit.json)."
                            : "; its classes are " + model.classes() + "."));
        }
        return Target.classIndex(index);
    }

    /**
     * Explains a batch: one computation per layer (once, at the input, for methods without
     * layers), each over the whole batch; six of them with test-time augmentation.
     *
     * @param model the model
     * @param images the images, one batch
     * @param targets exactly one target per image
     * @return one explanation per image, in order
     * @throws CamunitException for a target/image count mismatch, an unknown layer, a target out
     *     of range, a model that produces non-finite values, or a batch too large for the memory
     *     (the message suggests a smaller batch)
     */
    public List<Explanation> explain(CamModel model, List<InputImage> images, List<Target> targets) {
        List<Explanation> out = compute(model, images, targets);
        for (int i = 0; i < out.size(); i++) {
            tell(model, out.get(i), null, images.get(i));
        }
        return out;
    }

    /**
     * Explains one batch with several explainers at once, as {@code camunit evaluate} does with
     * several {@code --method}s. The images are prepared once, and explainers of formula methods
     * ({@link Method#CAM} to {@link Method#EIGEN_GRAD_CAM}) share each layer's forward pass and one
     * backward pass (taken when any of them needs gradients), so six gradient methods cost about
     * one. Multi-pass and input methods run their own passes. Each explainer's explanations are
     * those its own {@link #explain(CamModel, List, List)} gives, and each listener is told of its
     * explainer's explanations; caches are not consulted.
     *
     * <pre>{@code
     * List<Explainer> explainers = Stream.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS, Method.LAYER_CAM)
     *         .map(m -> Explainer.of(m, "features.10")).toList();
     * List<List<Explanation>> maps = Explainer.explainEach(model, images, targets, explainers);
     * maps.get(1).get(0);   // Grad-CAM++ of the first image
     * }</pre>
     *
     * @param model the model
     * @param images the images, one batch
     * @param targets exactly one target per image
     * @param explainers the explainers, in any mix of methods, layers and options
     * @return per explainer (in the order given), one explanation per image, in order
     * @throws CamunitException as {@link #explain(CamModel, List, List)}
     */
    public static List<List<Explanation>> explainEach(CamModel model, List<InputImage> images, List<Target> targets,
            List<Explainer> explainers) {
        List<List<Explanation>> out = computeEach(model, images, targets, explainers);
        for (int k = 0; k < explainers.size(); k++) {
            for (int i = 0; i < images.size(); i++) {
                explainers.get(k).tell(model, out.get(k).get(i), null, images.get(i));
            }
        }
        return out;
    }

    /** Explains a batch without telling the listener; the public methods tell it once per explanation. */
    private List<Explanation> compute(CamModel model, List<InputImage> images, List<Target> targets) {
        return computeEach(model, images, targets, List.of(this)).get(0);
    }

    private static List<List<Explanation>> computeEach(CamModel model, List<InputImage> images, List<Target> targets,
            List<Explainer> explainers) {
        if (images.size() != targets.size()) {
            throw new CamunitException("Explaining " + images.size() + " images needs exactly one target"
                    + " per image; got " + targets.size() + " targets. Pass a list of targets as long as"
                    + " the list of images (Target.predicted() for each, if unsure).");
        }
        for (Explainer e : explainers) {
            for (String layer : e.layers) {
                model.layerIndex(layer);
            }
        }
        try {
            return explainBatch(model, images, targets, explainers);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(model, images, explainers, e);
        } catch (RuntimeException e) {
            if (isNativeOutOfMemory(e)) {
                throw outOfMemory(model, images, explainers, e);
            }
            throw e;
        }
    }

    private static List<List<Explanation>> explainBatch(CamModel model, List<InputImage> images, List<Target> targets,
            List<Explainer> explainers) {
        try (NDManager scope = model.newScope()) {
            NDArray batch = model.toBatch(scope, images);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            List<List<BatchMaps>> plain = mapsEach(model, batch, targets, explainers);
            List<Explainer> augmenting = explainers.stream().filter(e -> e.options.augment()).toList();
            // Per augmenting explainer, the six augmented display maps of every image.
            List<List<Heatmap[]>> augmented = new ArrayList<>();
            augmenting.forEach(e -> augmented.add(new ArrayList<>()));
            if (!augmenting.isEmpty()) {
                for (boolean flip : new boolean[] {false, true}) {
                    for (float brightness : AUGMENTATION_BRIGHTNESS) {
                        // As pytorch-grad-cam's aug_smooth: the augmentation acts on the normalised input tensor.
                        NDArray x = flip ? batch.flip(3) : batch;
                        List<List<BatchMaps>> maps = !flip && brightness == 1f
                                ? augmenting.stream().map(e -> plain.get(explainers.indexOf(e))).toList()
                                : mapsEach(model, brightness == 1f ? x : x.mul(brightness), targets, augmenting);
                        for (int k = 0; k < augmenting.size(); k++) {
                            augmented.get(k).add(augmentedDisplays(model, targets, flip, maps.get(k), images, width,
                                    height));
                        }
                    }
                }
            }
            List<List<Explanation>> out = new ArrayList<>(explainers.size());
            for (int k = 0; k < explainers.size(); k++) {
                Explainer e = explainers.get(k);
                int a = augmenting.indexOf(e);
                List<Heatmap[]> aug = a < 0 ? List.of() : augmented.get(a);
                List<Explanation> explained = new ArrayList<>(images.size());
                for (int n = 0; n < images.size(); n++) {
                    explained.add(e.explanation(model, images.get(n), targets.get(n), n, plain.get(k), aug, width,
                            height));
                }
                out.add(explained);
            }
            return out;
        }
    }

    /**
     * The message for a batch that did not fit in memory: the Java heap (an {@link OutOfMemoryError})
     * or the engine's native allocator (PyTorch reports "not enough memory"). Both are recoverable
     * here: the failed allocation was the batch's, and everything of the batch is freed by now.
     */
    private static CamunitException outOfMemory(CamModel model, List<InputImage> images, List<Explainer> explainers,
            Throwable cause) {
        int n = images.size();
        int w = model.input().hasSize() ? model.input().width() : images.get(0).width();
        int h = model.input().hasSize() ? model.input().height() : images.get(0).height();
        double inputMib = 4.0 * n * 3 * w * h / (1 << 20);
        String advice = n > 1
                ? "Explain fewer images at a time: camunit evaluate --batch " + Math.max(1, n / 2)
                        + ", or Explainer.explainAll(model, samples, " + Math.max(1, n / 2) + ") from Java."
                : "One image is already too large: use a smaller input size (--size, InputSpec) or give the"
                        + " process more memory (java -Xmx for the heap).";
        String what = String.join(", ", explainers.stream().map(e -> e.method.id() + " at " + e.layers).distinct()
                .toList());
        return new CamunitException(String.format(java.util.Locale.ROOT, "Out of memory explaining a batch of %d"
                + " image%s at %d x %d with %s in model %s (the input tensor alone is %.1f MiB; activations"
                + " and gradients need several times that): %s. %s", n, n == 1 ? "" : "s", w, h, what,
                model.name(), inputMib, firstLine(cause), advice), cause);
    }

    /** PyTorch's CPU allocator failing, as DJL reports it, possibly wrapped by the model. */
    static boolean isNativeOutOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("not enough memory") || m.contains("can't allocate memory")
                    || m.contains("out of memory") || m.contains("bad_alloc")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        String m = t.getClass().getSimpleName() + ": " + t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** The brightness factors of test-time augmentation, each with and without a horizontal flip. */
    private static final float[] AUGMENTATION_BRIGHTNESS = {0.9f, 1f, 1.1f};

    /**
     * Per explainer, its maps of the batch: one per layer, or one at the input. Formula methods take
     * each layer's capture once for all of them, with gradients when any of them needs them.
     */
    private static List<List<BatchMaps>> mapsEach(CamModel model, NDArray batch, List<Target> targets,
            List<Explainer> explainers) {
        Map<String, Boolean> gradientsAt = new HashMap<>();
        for (Explainer e : explainers) {
            if (e.isFormula()) {
                e.layers.forEach(l -> gradientsAt.merge(l, e.method.needsGradients(), Boolean::logicalOr));
            }
        }
        Map<String, LayerCapture> captures = new HashMap<>();
        Map<String, List<LayerActivations>> slices = new HashMap<>();
        List<List<BatchMaps>> out = new ArrayList<>(explainers.size());
        for (Explainer e : explainers) {
            List<BatchMaps> maps = new ArrayList<>();
            if (e.isFormula()) {
                LayerFormula formula = new LayerFormula(e.method);
                for (String layer : e.layers) {
                    LayerCapture capture = captures.computeIfAbsent(layer,
                            l -> LayerCapture.take(model, batch, l, targets, gradientsAt.get(l)));
                    List<LayerActivations> samples = slices.computeIfAbsent(layer, l -> capture.samples());
                    maps.add(formula.maps(model, capture, samples, targets));
                }
            } else {
                MapComputation computation = e.method.computation();
                for (String layer : e.method.usesLayers() ? e.layers : List.<String>of(BatchMaps.INPUT)) {
                    maps.add(computation.compute(model, batch, e.method.usesLayers() ? layer : null, targets,
                            e.options));
                }
            }
            out.add(maps);
        }
        return out;
    }

    /** @return true when the method is a formula of one layer's capture, which explainers can share */
    private boolean isFormula() {
        return method.computation() instanceof LayerFormula;
    }

    private static Heatmap[] augmentedDisplays(CamModel model, List<Target> targets, boolean flip,
            List<BatchMaps> maps, List<InputImage> images, int width, int height) {
        Heatmap[] displays = new Heatmap[images.size()];
        for (int n = 0; n < displays.length; n++) {
            List<Heatmap> raws = new ArrayList<>();
            for (BatchMaps m : maps) {
                raws.add(rawAt(model, images.get(n), targets.get(n), m, n, layerMap(m, n), width, height));
            }
            Heatmap display = fused(raws).normalised();
            displays[n] = flip ? display.flippedHorizontally() : display;
        }
        return displays;
    }

    private Explanation explanation(CamModel model, InputImage image, Target target, int n, List<BatchMaps> maps,
            List<Heatmap[]> augmented, int width, int height) {
        BatchMaps first = maps.get(0);
        int targetClass = first.targetClasses()[n];
        double score = first.scores()[n];
        if (!Double.isFinite(score)) {
            throw new CamunitException("Model " + model.name() + " gives a non-finite score (" + score
                    + ") for " + target.description() + " on image " + image.id() + ", so there is"
                    + " nothing to explain. Check the image and the input normalisation ("
                    + model.input() + ").");
        }
        List<Heatmap> layerMaps = new ArrayList<>();
        List<Heatmap> raws = new ArrayList<>();
        for (BatchMaps m : maps) {
            Heatmap layerMap = layerMap(m, n);
            layerMaps.add(layerMap);
            raws.add(rawAt(model, image, target, m, n, layerMap, width, height));
        }
        Heatmap raw = fused(raws);
        Heatmap display = raw.normalised();
        Explanation.Pipeline pipeline = Explanation.Pipeline.DEFAULT;
        if (!augmented.isEmpty()) {
            // pytorch-grad-cam returns the mean of the augmented display maps without a final min-max.
            raw = Heatmap.mean(augmented.stream().map(a -> a[n]).toList());
            display = raw;
            pipeline = Explanation.Pipeline.AUGMENTED;
        }
        String label = label(model, targetClass, target);
        return new Explanation(image.id(), image.width(), image.height(), method, method.usesLayers() ? layers
                : List.of(), target.description(), targetClass, label, score, first.predicted()[n], raw, display,
                layerMaps, pipeline);
    }

    /** One layer's map of sample n at layer resolution, after ReLU. */
    private static Heatmap layerMap(BatchMaps m, int n) {
        return Heatmap.of(m.width(), m.height(), m.maps().get(n)).relu();
    }

    /** One layer's map of sample n after ReLU ({@code layerMap}) and upsampling to the input size. */
    private static Heatmap rawAt(CamModel model, InputImage image, Target target, BatchMaps m, int n,
            Heatmap layerMap, int width, int height) {
        // Bilinear weights are convex, so a finite layer map upsamples to a finite map: check the small one.
        if (!layerMap.isFinite()) {
            throw new CamunitException("Model " + model.name() + " produces non-finite activations"
                    + " or gradients at " + (BatchMaps.INPUT.equals(m.layer()) ? "the input" : "layer '" + m.layer()
                    + "'") + " for image " + image.id() + " (" + target.description() + ", score "
                    + m.scores()[n] + "); a map cannot be computed. Check the model for overflow on this input.");
        }
        return layerMap.resize(width, height);
    }

    /** One layer: its raw map; several: the mean of their normalised maps (the spec's fusion). */
    private static Heatmap fused(List<Heatmap> raws) {
        return raws.size() == 1 ? raws.get(0) : Heatmap.mean(raws.stream().map(Heatmap::normalised).toList());
    }

    private static String label(CamModel model, int targetClass, Target target) {
        if (targetClass < 0) {
            return target.description();
        }
        List<String> classes = model.classes();
        return targetClass < classes.size() ? classes.get(targetClass) : "class " + targetClass;
    }

    /** Builds an {@link Explainer}. */
    public static final class Builder {
        private Method method;
        private final List<String> layers = new ArrayList<>();
        private MethodOptions options = MethodOptions.DEFAULTS;
        private ExplanationCache cache;
        private Consumer<ExplanationEvent> listener;

        private Builder() {}

        /**
         * @param method the CAM method
         * @return this builder
         */
        public Builder setMethod(Method method) {
            this.method = method;
            return this;
        }

        /**
         * @param layer a layer to explain; several layers are fused (mean of normalised maps)
         * @return this builder
         */
        public Builder addLayer(String layer) {
            this.layers.add(layer);
            return this;
        }

        /**
         * @param layers the layers to explain, replacing any added before
         * @return this builder
         */
        public Builder setLayers(List<String> layers) {
            this.layers.clear();
            this.layers.addAll(layers);
            return this;
        }

        /**
         * @param options the method's knobs (chunk size, noise, steps, seed, augmentation, ...)
         * @return this builder
         */
        public Builder optOptions(MethodOptions options) {
            this.options = options;
            return this;
        }

        /**
         * @param augment true to average over six test-time augmentations (flip x brightness), as
         *     pytorch-grad-cam's {@code aug_smooth}; costs six times the passes
         * @return this builder
         */
        public Builder optAugmentation(boolean augment) {
            this.options = options.withOption("augment", Boolean.toString(augment));
            return this;
        }

        /**
         * @param cache where explanations of labelled samples are remembered across calls
         *     ({@link #explain(CamModel, LabeledSample)} only, keyed by the image file)
         * @return this builder
         */
        public Builder optCache(ExplanationCache cache) {
            this.cache = cache;
            return this;
        }

        /**
         * @param listener told of every explanation the explainer returns, on the calling thread,
         *     after it is computed (or found in the cache), with the model and the sample or image;
         *     e.g. the JUnit extension records them as evidence for failing tests
         * @return this builder
         */
        public Builder optListener(Consumer<ExplanationEvent> listener) {
            this.listener = listener;
            return this;
        }

        /** @return the explainer */
        public Explainer build() {
            if (method == null) {
                throw new CamunitException("Explainer.builder() needs setMethod(...), e.g. Method.GRAD_CAM");
            }
            if (method.usesLayers() && layers.isEmpty()) {
                throw new CamunitException("Explainer for " + method.id() + " needs at least one layer"
                        + " (addLayer); the model's layers() lists them.");
            }
            if (!method.usesLayers() && !layers.isEmpty()) {
                throw new CamunitException(method.id() + " works at the model input and takes no layer; got "
                        + layers + ". Remove the layers, or choose a layer method such as grad-cam.");
            }
            return new Explainer(method, layers, options, cache, listener);
        }
    }
}
