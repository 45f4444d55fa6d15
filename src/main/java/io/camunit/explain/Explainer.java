package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import com.google.errorprone.annotations.CheckReturnValue;

import java.util.ArrayList;
import java.util.List;
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

    /** Images per pass of {@link #explainAll(CamModel, List)} and {@link #over(CamModel, List)}. */
    public static final int DEFAULT_BATCH = 16;

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
     * {@link LabeledSample#label()} in the model's {@link CamModel#classes()}; on a detector
     * ({@link CamModel#isDetector()}), its one labelled object ({@link #labelledTarget}).
     *
     * @param model the model
     * @param sample the labelled sample; its image is read here
     * @return the explanation
     * @throws CamunitException when the model does not know the sample's class
     */
    public Explanation explain(CamModel model, LabeledSample sample) {
        Target target = labelledTarget(model, sample);
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
     * The labelled samples explained for their labelled classes, {@code batchSize} images per pass,
     * as they are read: nothing is explained here, and each pass over the result explains the
     * samples again, keeping no more than one batch of explanations. This is what a data-set gate
     * over a large validation set reads, in memory that does not grow with the data set.
     *
     * <pre>{@code
     * assertThat(gradCam.over(model, data.samples())).peakInside(LabeledSample::region)
     *         .isAtLeast(1, forAtLeast(0.8));
     * }</pre>
     *
     * @param model the model, open while the result is read
     * @param samples the samples
     * @param batchSize images per forward/backward pass, at least 1
     * @return the samples as they will be explained, in order
     */
    @CheckReturnValue
    public ExplainedSamples over(CamModel model, List<LabeledSample> samples, int batchSize) {
        if (batchSize < 1) {
            throw new CamunitException("Batch size must be at least 1; got " + batchSize);
        }
        return new ExplainedInBatches(this, model, samples, batchSize);
    }

    /**
     * {@link #over(CamModel, List, int)} with {@value #DEFAULT_BATCH} images per pass.
     *
     * @param model the model, open while the result is read
     * @param samples the samples
     * @return the samples as they will be explained, in order
     */
    @CheckReturnValue
    public ExplainedSamples over(CamModel model, List<LabeledSample> samples) {
        return over(model, samples, DEFAULT_BATCH);
    }

    /**
     * Explains labelled samples for their labelled classes, in batches of {@code batchSize}, and keeps
     * every explanation: memory grows with the data set (a few hundred kilobytes per sample at
     * 224 x 224). For gates over large data sets use {@link #over(CamModel, List, int)}.
     *
     * @param model the model
     * @param samples the samples
     * @param batchSize images per forward/backward pass, at least 1
     * @return one explained sample per sample, in order
     */
    public List<ExplainedSample> explainAll(CamModel model, List<LabeledSample> samples, int batchSize) {
        List<ExplainedSample> out = new ArrayList<>(samples.size());
        over(model, samples, batchSize).forEach(out::add);
        return out;
    }

    /**
     * Explains labelled samples for their labelled classes, {@value #DEFAULT_BATCH} images per pass,
     * keeping every explanation (see {@link #explainAll(CamModel, List, int)}).
     *
     * @param model the model
     * @param samples the samples
     * @return one explained sample per sample, in order
     */
    public List<ExplainedSample> explainAll(CamModel model, List<LabeledSample> samples) {
        return explainAll(model, samples, DEFAULT_BATCH);
    }

    /**
     * Explains one batch of labelled samples for their labelled classes, telling the listener.
     *
     * @param model the model
     * @param batch the samples of one pass
     * @return one explained sample per sample, in order
     */
    List<ExplainedSample> explainBatch(CamModel model, List<LabeledSample> batch) {
        List<InputImage> images = batch.stream().map(LabeledSample::image).toList();
        List<Target> targets = batch.stream().map(s -> labelledTarget(model, s)).toList();
        List<Explanation> explained = compute(model, images, targets);
        List<ExplainedSample> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(new ExplainedSample(batch.get(i), explained.get(i), Optional.of(model.name())));
            tell(model, explained.get(i), batch.get(i), null);
        }
        return out;
    }

    /**
     * What a labelled sample is explained for: its labelled class ({@link #labelledClass}), or on a
     * detector ({@link CamModel#isDetector()}) its one labelled object: {@link Target#box} of the
     * object's box in input pixels ({@link LabeledSample#objectBoxAt}) and class.
     *
     * <pre>{@code
     * for (LabeledSample object : data.perObjectSamples()) {
     *     Target t = Explainer.labelledTarget(detector, object);   // class 1 in box [x1=.., ...]
     * }
     * }</pre>
     *
     * @param model a model with class names
     * @param sample a labelled sample; of one object on a detector ({@link LabeledSample#perObject()})
     * @return the target
     * @throws CamunitException when the model does not know the sample's class, or a detector's
     *     sample has not exactly one object
     */
    public static Target labelledTarget(CamModel model, LabeledSample sample) {
        Target.ClassIndex c = labelledClass(model, sample);
        if (!model.isDetector()) {
            return c;
        }
        int w = model.input().hasSize() ? model.input().width() : sample.width();
        int h = model.input().hasSize() ? model.input().height() : sample.height();
        return Target.box(sample.objectBoxAt(w, h), c.index());
    }

    /**
     * @param model a model with class names
     * @param sample a labelled sample
     * @return the target of the sample's labelled class
     * @throws CamunitException when the model does not know the class
     */
    public static Target.ClassIndex labelledClass(CamModel model, LabeledSample sample) {
        String label = sample.label();
        int index = model.classes().indexOf(label);
        if (index < 0) {
            throw new CamunitException("Sample " + sample.id() + " is labelled '" + label + "', which model "
                    + model.name() + " does not know" + (model.classes().isEmpty()
                            ? " (it names no classes: give it class names, e.g. optClasses or camunit.json)."
                            : "; its classes are " + model.classes() + "."));
        }
        return new Target.ClassIndex(index);
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
        List<List<Explanation>> out = ExplanationBatch.compute(model, images, targets, explainers);
        for (int k = 0; k < explainers.size(); k++) {
            for (int i = 0; i < images.size(); i++) {
                explainers.get(k).tell(model, out.get(k).get(i), null, images.get(i));
            }
        }
        return out;
    }

    /** Explains a batch without telling the listener; the public methods tell it once per explanation. */
    private List<Explanation> compute(CamModel model, List<InputImage> images, List<Target> targets) {
        return ExplanationBatch.compute(model, images, targets, List.of(this)).get(0);
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
