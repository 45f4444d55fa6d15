package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.ImageSize;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The computation behind every {@link Explainer} call: one batch of images explained by one or more
 * explainers, from the input tensor through each method's maps to finished {@link Explanation}s
 * (ReLU, upsampling, layer fusion, test-time augmentation), with out-of-memory failures turned into
 * a message that suggests a smaller batch. Formula methods share each layer's capture.
 *
 * <pre>{@code
 * List<List<Explanation>> maps = ExplanationBatch.compute(model, images, targets, List.of(gradCam, layerCam));
 * }</pre>
 */
final class ExplanationBatch {

    private ExplanationBatch() {}

    static List<List<Explanation>> compute(CamModel model, List<InputImage> images, List<Target> targets,
            List<Explainer> explainers) {
        if (images.size() != targets.size()) {
            throw new CamunitException("Explaining " + images.size() + " images needs exactly one target"
                    + " per image; got " + targets.size() + " targets. Pass a list of targets as long as"
                    + " the list of images (Target.predicted() for each, if unsure).");
        }
        for (Explainer e : explainers) {
            for (String layer : e.layers()) {
                model.layerIndex(layer);
            }
            if (e.options().augment() && targets.stream().anyMatch(t -> t instanceof Target.Detection)) {
                // A flipped copy's objects move, but a box target names a box of the image as given.
                throw new CamunitException(e.method().id() + " with test-time augmentation (augment=true) flips the"
                        + " image, which moves its objects away from the labelled boxes a box target (Target.box) is"
                        + " matched with. Explain detectors without augmentation.");
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
            List<Explainer> augmenting = explainers.stream().filter(e -> e.options().augment()).toList();
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
                    explained.add(explanation(e, model, images.get(n), targets.get(n), n, plain.get(k), aug, width,
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
        String what = String.join(", ", explainers.stream().map(e -> e.method().id() + " at " + e.layers()).distinct()
                .toList());
        return new CamunitException(String.format(Locale.ROOT, "Out of memory explaining a batch of %d"
                + " image%s at %s with %s in model %s (the input tensor alone is %.1f MiB; activations"
                + " and gradients need several times that): %s. %s", n, n == 1 ? "" : "s", ImageSize.format(w, h), what,
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
            if (isFormula(e)) {
                e.layers().forEach(l -> gradientsAt.merge(l, e.method().needsGradients(), Boolean::logicalOr));
            }
        }
        Map<String, LayerCapture> captures = new HashMap<>();
        Map<String, List<LayerActivations>> slices = new HashMap<>();
        List<List<BatchMaps>> out = new ArrayList<>(explainers.size());
        for (Explainer e : explainers) {
            List<BatchMaps> maps = new ArrayList<>();
            if (isFormula(e)) {
                LayerFormula formula = new LayerFormula(e.method());
                for (String layer : e.layers()) {
                    LayerCapture capture = captures.computeIfAbsent(layer,
                            l -> LayerCapture.take(model, batch, l, targets, gradientsAt.get(l)));
                    List<LayerActivations> samples = slices.computeIfAbsent(layer, l -> capture.samples());
                    maps.add(formula.maps(model, capture, samples, targets));
                }
            } else {
                MapComputation computation = e.method().computation();
                for (String layer : e.method().usesLayers() ? e.layers() : List.<String>of(BatchMaps.INPUT)) {
                    maps.add(computation.compute(model, batch, e.method().usesLayers() ? layer : null, targets,
                            e.options()));
                }
            }
            out.add(maps);
        }
        return out;
    }

    /** @return true when the explainer's method is a formula of one layer's capture, which explainers can share */
    private static boolean isFormula(Explainer e) {
        return e.method().computation() instanceof LayerFormula;
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

    private static Explanation explanation(Explainer explainer, CamModel model, InputImage image, Target target, int n,
            List<BatchMaps> maps, List<Heatmap[]> augmented, int width, int height) {
        Method method = explainer.method();
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
        List<String> layers = method.usesLayers() ? explainer.layers() : List.of();
        String note = first.notes().isEmpty() ? "" : first.notes().get(n);
        // What resolving found (a detector's matched candidate) travels with the target into reports and evidence.
        String explained = note.isEmpty() ? target.description() : target.description() + Target.Detection.NOTE_SEPARATOR + note;
        return new Explanation(image.id(), image.width(), image.height(), method, layers, explained,
                targetClass, label, score, first.predicted()[n], raw, display, layerMaps, pipeline);
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
}
