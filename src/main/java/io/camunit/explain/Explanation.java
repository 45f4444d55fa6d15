package io.camunit.explain;

import io.camunit.heatmap.Heatmap;

import java.util.List;

/**
 * Where a model looked for one sample: the maps of one method at one or more layers, with what was
 * explained. Immutable; holds plain Java values only, no NDArray.
 *
 * <pre>{@code
 * Explanation e = gradCam.explain(model, image, Target.predicted());
 * e.display().get(10, 20);   // normalised map at input size, in [0, 1)
 * e.raw();                   // map after ReLU and upsampling, before normalisation: metrics use it
 * }</pre>
 *
 * @param sampleId the image id
 * @param imageWidth the width of the image as given, before resizing to the model input: the
 *     resolution regions are labelled at and metrics are computed at
 * @param imageHeight the height of the image as given
 * @param method the CAM method
 * @param layers the layers the maps come from; empty for methods that work at the input
 * @param target what was explained, e.g. {@code predicted class}
 * @param targetClass the class whose score was explained, or -1 for a score function
 * @param targetLabel the class name, or the target's description when there is none
 * @param score the target score {@code S} (a logit unless a score function says otherwise)
 * @param predictedClass the arg-max output class, or -1 when the output is not {@code N x K}
 * @param raw the raw map at input size: ReLU, then bilinear upsampling; for several layers, the
 *     mean of their normalised maps
 * @param display the display map at input size, min-max normalised
 * @param layerMaps one map per layer at layer resolution, after ReLU
 * @param pipeline the constants the maps were computed with
 */
public record Explanation(
        String sampleId,
        int imageWidth,
        int imageHeight,
        Method method,
        List<String> layers,
        String target,
        int targetClass,
        String targetLabel,
        double score,
        int predictedClass,
        Heatmap raw,
        Heatmap display,
        List<Heatmap> layerMaps,
        Pipeline pipeline) {

    /** Makes the lists unmodifiable. */
    public Explanation {
        layers = List.copyOf(layers);
        layerMaps = List.copyOf(layerMaps);
    }

    /** @return the raw map at the image's own size, where regions are compared with it */
    public Heatmap rawOnImage() {
        return raw.resize(imageWidth, imageHeight);
    }

    /**
     * What resolving a detector's box target found ({@link Target#box}): which candidate matched,
     * with its IoU and probability, or why none did.
     *
     * <pre>{@code
     * e.match();   // Optional[candidate 3 of 48 matched: IoU 0.8123, probability 0.9310]
     * }</pre>
     *
     * @return the note after the box target's description in {@link #target()}; empty for other targets
     */
    public java.util.Optional<String> match() {
        int at = target.indexOf(Target.Detection.NOTE_SEPARATOR);
        return target.startsWith("class ") && target.contains(" in box [") && at >= 0
                ? java.util.Optional.of(target.substring(at + Target.Detection.NOTE_SEPARATOR.length()))
                : java.util.Optional.empty();
    }

    /**
     * @return true when the map has no positive mass (all zero after ReLU): no metric can be
     *     computed on it
     */
    public boolean isDegenerate() {
        return !(raw.max() > 0);
    }

    /**
     * The constants of the heatmap pipeline, recorded with each explanation so that a user comparing
     * with another library can see the conventions.
     *
     * @param upsampling how maps were resized to the input size
     * @param normalisationEpsilon added to {@code max - min} in min-max normalisation
     * @param layerFusion how several layers were combined
     * @param augmentation the test-time augmentation, or {@code none}
     */
    public record Pipeline(String upsampling, double normalisationEpsilon, String layerFusion, String augmentation) {

        /** The default pipeline of {@code docs/pipeline.md}. */
        public static final Pipeline DEFAULT = new Pipeline(
                "bilinear, half-pixel centres, no antialiasing",
                Heatmap.NORMALISATION_EPSILON,
                "mean of per-layer min-max maps, then min-max",
                "none");

        /**
         * The default pipeline with test-time augmentation: raw and display are both the mean of
         * the six augmented display maps, not normalised again (as pytorch-grad-cam).
         */
        public static final Pipeline AUGMENTED = new Pipeline(DEFAULT.upsampling, DEFAULT.normalisationEpsilon,
                DEFAULT.layerFusion, "horizontal flip x brightness {0.9, 1, 1.1} of the input tensor;"
                        + " mean of the six display maps, each flipped back");
    }
}
