package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes explanations with one layer {@link Method} at one or more layers of a {@link CamModel},
 * for a batch of images with one {@link Target} each. Stateless and thread-safe; gradient work is
 * serialised by {@link GradientLock}, and every NDArray is freed before a call returns.
 *
 * <p>Cost per call: one forward pass per layer, plus one backward pass per layer for gradient
 * methods, for the whole batch at once.
 *
 * <pre>{@code
 * Explainer gradCam = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.9").build();
 * Explanation e = gradCam.explain(model, InputImage.read(Path.of("cat.png")), Target.predicted());
 * }</pre>
 */
public final class Explainer {

    private final Method method;
    private final List<String> layers;
    private final ExplanationCache cache;

    private Explainer(Method method, List<String> layers, ExplanationCache cache) {
        this.method = method;
        this.layers = List.copyOf(layers);
        this.cache = cache;
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

    /** @return the layers, in the order given */
    public List<String> layers() {
        return layers;
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
        if (cache == null) {
            return explain(model, sample.image(), target);
        }
        ExplanationCache.Key key = new ExplanationCache.Key(model, sample.imagePath().toAbsolutePath().normalize(),
                method, layers, target.description());
        return cache.get(key, () -> explain(model, sample.image(), target));
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
            List<Explanation> explained = explain(model, images, targets);
            for (int i = 0; i < batch.size(); i++) {
                out.add(new ExplainedSample(batch.get(i), explained.get(i)));
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
     * Explains a batch in one pass per layer.
     *
     * @param model the model
     * @param images the images, one batch
     * @param targets exactly one target per image
     * @return one explanation per image, in order
     * @throws CamunitException for a target/image count mismatch, an unknown layer, a target out
     *     of range, or a model that produces non-finite values
     */
    public List<Explanation> explain(CamModel model, List<InputImage> images, List<Target> targets) {
        if (images.size() != targets.size()) {
            throw new CamunitException("Explaining " + images.size() + " images needs exactly one target"
                    + " per image; got " + targets.size() + " targets. Pass a list of targets as long as"
                    + " the list of images (Target.predicted() for each, if unsure).");
        }
        for (String layer : layers) {
            model.layerIndex(layer);
        }
        try (NDManager scope = model.newScope()) {
            NDArray batch = model.toBatch(scope, images);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            List<LayerCapture> captures = new ArrayList<>();
            for (String layer : layers) {
                captures.add(LayerCapture.take(model, batch, layer, targets, method.needsGradients()));
            }
            float[][] classifier = method == Method.CAM ? model.classifierWeights() : null;
            List<Explanation> out = new ArrayList<>(images.size());
            for (int n = 0; n < images.size(); n++) {
                out.add(explanation(model, images.get(n), targets.get(n), n, captures, classifier, width, height));
            }
            return out;
        }
    }

    private Explanation explanation(CamModel model, InputImage image, Target target, int n,
            List<LayerCapture> captures, float[][] classifier, int width, int height) {
        LayerCapture first = captures.get(0);
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
        for (LayerCapture c : captures) {
            float[] row = null;
            if (classifier != null) {
                row = classifierRow(model, classifier, targetClass, c, target);
            }
            Heatmap low = Heatmap.of(c.width(), c.height(), method.map(c.sample(n, row))).relu();
            Heatmap raw = low.resize(width, height);
            if (!raw.isFinite()) {
                throw new CamunitException("Model " + model.name() + " produces non-finite activations"
                        + " or gradients at layer '" + c.layer() + "' for image " + image.id() + " ("
                        + target.description() + ", score " + score + "); a map cannot be computed."
                        + " Check the model for overflow on this input.");
            }
            layerMaps.add(low);
            raws.add(raw);
        }
        Heatmap raw;
        Heatmap display;
        if (raws.size() == 1) {
            raw = raws.get(0);
            display = raw.normalised();
        } else {
            raw = Heatmap.mean(raws.stream().map(Heatmap::normalised).toList());
            display = raw.normalised();
        }
        String label = label(model, targetClass, target);
        return new Explanation(image.id(), image.width(), image.height(), method, layers, target.description(), targetClass, label, score,
                first.predicted()[n], raw, display, layerMaps, Explanation.Pipeline.DEFAULT);
    }

    private static String label(CamModel model, int targetClass, Target target) {
        if (targetClass < 0) {
            return target.description();
        }
        List<String> classes = model.classes();
        return targetClass < classes.size() ? classes.get(targetClass) : "class " + targetClass;
    }

    private float[] classifierRow(CamModel model, float[][] classifier, int targetClass, LayerCapture c,
            Target target) {
        if (targetClass < 0) {
            throw new CamunitException("CAM explains a class, but the target is '" + target.description()
                    + "'. Use Target.classIndex or Target.predicted, or a gradient method (grad-cam) for"
                    + " score functions.");
        }
        float[] row = classifier[targetClass];
        if (row.length != c.channels()) {
            throw new CamunitException("CAM needs the layer right before global average pooling and the"
                    + " final linear layer: layer '" + c.layer() + "' of model " + model.name() + " has "
                    + c.channels() + " channels, but the classifier weights have " + row.length
                    + " inputs. Choose the last convolutional layer, or use grad-cam.");
        }
        return row;
    }

    /** Builds an {@link Explainer}. */
    public static final class Builder {
        private Method method;
        private final List<String> layers = new ArrayList<>();
        private ExplanationCache cache;

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
         * @param cache where explanations of labelled samples are remembered across calls
         *     ({@link #explain(CamModel, LabeledSample)} only, keyed by the image file)
         * @return this builder
         */
        public Builder optCache(ExplanationCache cache) {
            this.cache = cache;
            return this;
        }

        /** @return the explainer */
        public Explainer build() {
            if (method == null) {
                throw new CamunitException("Explainer.builder() needs setMethod(...), e.g. Method.GRAD_CAM");
            }
            if (layers.isEmpty()) {
                throw new CamunitException("Explainer for " + method.id() + " needs at least one layer"
                        + " (addLayer); the model's layers() lists them.");
            }
            return new Explainer(method, layers, cache);
        }
    }
}
