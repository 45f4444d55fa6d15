package io.camunit.explain;

import io.camunit.region.Box;
import io.camunit.region.Mask;

import ai.djl.ndarray.NDArray;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an explanation explains: the scalar score {@code S} of one sample whose gradient drives the
 * map. By default a class logit (never the softmax, unless a {@link #score} function applies it).
 *
 * <pre>{@code
 * Target.classIndex(2);                       // the logit of class 2
 * Target.predicted();                         // the logit of the arg-max class
 * Target.score("mean of channel 1", row -> row.get(1).mean());   // any differentiable score
 * Target.segmentation(2);                     // a segmentation model's class 2 where it predicts class 2
 * Target.segmentation(2, mask);               // ... over given pixels of its output
 * Target.box(Box.coco(10, 12, 20, 16), 2);     // a detector's best match of one labelled object
 * Target.box(Box.coco(10, 12, 20, 16), 2).withIouThreshold(0.7);
 * }</pre>
 *
 * <p>A model whose output is {@code N x K x H x W} is a segmentation model: {@link #classIndex}
 * then means {@link #segmentation(int)}, and {@link #predicted()} is refused (an image has no one
 * predicted class; name the class). A detector ({@code N x M x (4 + 1 + K)}) is explained per
 * labelled object with {@link #box}.
 */
public sealed interface Target {

    /**
     * @param index a class index, from 0
     * @return the target that explains the logit of that class
     */
    static Target classIndex(int index) {
        return new ClassIndex(index);
    }

    /** @return the target that explains the logit of the class the model predicts */
    static Target predicted() {
        return Predicted.INSTANCE;
    }

    /**
     * @param description what the score is, for reports and messages
     * @param score maps one sample's output (without the batch axis) to a scalar NDArray; it must
     *     be built from NDArray operations so that it can be differentiated
     * @return the target
     */
    static Target score(String description, Function<NDArray, NDArray> score) {
        return new Score(description, score);
    }

    /**
     * The segmentation score of pytorch-grad-cam's {@code SemanticSegmentationTarget}: the sum of
     * class {@code index}'s logits over the pixels the model assigns to that class (arg-max over
     * the classes), with that set of pixels taken from the unperturbed image and kept for every
     * perturbed copy (Score-CAM's masked inputs, noisy copies, ...). A class the model assigns no
     * pixel scores 0, and its map has no positive mass.
     *
     * @param index a class index, from 0
     * @return the target
     */
    static Target segmentation(int index) {
        return new Segmentation(index, Optional.empty());
    }

    /**
     * The sum of class {@code index}'s logits over given pixels of a segmentation model's output.
     *
     * @param index a class index, from 0
     * @param pixels pixels of the model's output ({@code W x H} of its {@code N x K x H x W} output,
     *     which for most segmentation models is the input size)
     * @return the target
     */
    static Target segmentation(int index, Mask pixels) {
        return new Segmentation(index, Optional.of(Objects.requireNonNull(pixels, "pixels")));
    }

    /**
     * A detector's score for one labelled object, after pytorch-grad-cam's
     * {@code FasterRCNNBoxScoreTarget}, on the raw output of the detector convention
     * ({@code N x M x (4 + 1 + K)}: {@code x1, y1, x2, y2} in input pixels, an objectness logit,
     * K class logits, before non-maximum suppression). A candidate matches when its predicted class
     * (arg-max of its class logits) is {@code classIndex} and its box overlaps {@code box} by an IoU of
     * at least the threshold (default {@value Detection#DEFAULT_IOU_THRESHOLD}); the score is the best
     * match's {@code IoU + sigmoid(objectness) * softmax(class logits)[classIndex]}, differentiable
     * through the predicted box too. No match scores 0 (a map without mass) and says so in the
     * explanation's {@link Explanation#target()}.
     *
     * @param box the labelled object's box, in pixels of the model's input
     * @param classIndex its class index, from 0
     * @return the target
     */
    static Detection box(Box box, int classIndex) {
        return new Detection(box, classIndex, Detection.DEFAULT_IOU_THRESHOLD);
    }

    /** @return a short description, e.g. {@code class 2} or {@code predicted class} */
    String description();

    /**
     * The logit of a fixed class.
     *
     * @param index the class index
     */
    record ClassIndex(int index) implements Target {
        @Override
        public String description() {
            return "class " + index;
        }
    }

    /** The logit of the predicted (arg-max) class. */
    final class Predicted implements Target {
        static final Predicted INSTANCE = new Predicted();

        private Predicted() {}

        @Override
        public String description() {
            return "predicted class";
        }

        @Override
        public String toString() {
            return description();
        }
    }

    /**
     * A segmentation model's class logits summed over pixels of its output.
     *
     * @param index the class index
     * @param pixels the pixels, or empty for those the model assigns to the class
     */
    record Segmentation(int index, Optional<Mask> pixels) implements Target {
        /** Checks for nulls and a negative class. */
        public Segmentation {
            Objects.requireNonNull(pixels, "pixels");
            if (index < 0) {
                throw new IllegalArgumentException("A class index is 0 or more; got " + index);
            }
        }

        @Override
        public String description() {
            return "class " + index + " over " + pixels.map(m -> "given pixels (" + m.area() + ")")
                    .orElse("its predicted pixels");
        }
    }

    /**
     * A detector's best-matching candidate of one labelled object (see {@link Target#box}).
     *
     * @param box the labelled box, in pixels of the model's input
     * @param index the class index
     * @param iouThreshold the least IoU of a match, in {@code (0, 1]}
     */
    record Detection(Box box, int index, double iouThreshold) implements Target {

        /** What separates the target's description and what matching found in {@link Explanation#target()}. */
        public static final String NOTE_SEPARATOR = "; ";

        /** How an explanation's {@link Explanation#target()} begins its note when no candidate matched. */
        public static final String NO_MATCH = "no candidate matched";

        /** The least IoU of a match unless another is given: pytorch-grad-cam's and PASCAL VOC's 0.5. */
        public static final double DEFAULT_IOU_THRESHOLD = 0.5;

        /** Checks for nulls, a negative class and a threshold outside {@code (0, 1]}. */
        public Detection {
            Objects.requireNonNull(box, "box");
            if (index < 0) {
                throw new IllegalArgumentException("A class index is 0 or more; got " + index);
            }
            if (!(iouThreshold > 0 && iouThreshold <= 1)) {
                throw new IllegalArgumentException("An IoU threshold is in (0, 1]; got " + iouThreshold);
            }
        }

        /**
         * @param threshold the least IoU of a match, in {@code (0, 1]}
         * @return this target with that threshold
         */
        public Detection withIouThreshold(double threshold) {
            return new Detection(box, index, threshold);
        }

        /** @return the box's left edge {@code x1} */
        double x1() {
            return box.x();
        }

        /** @return the box's top edge {@code y1} */
        double y1() {
            return box.y();
        }

        /** @return the box's right edge {@code x2} */
        double x2() {
            return box.x() + box.width();
        }

        /** @return the box's bottom edge {@code y2} */
        double y2() {
            return box.y() + box.height();
        }

        @Override
        public String description() {
            return String.format(java.util.Locale.ROOT, "class %d in box [x1=%s, y1=%s, x2=%s, y2=%s]%s", index,
                    number(x1()), number(y1()), number(x2()), number(y2()),
                    iouThreshold == DEFAULT_IOU_THRESHOLD ? "" : " at IoU >= " + number(iouThreshold));
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v)
                    : String.format(java.util.Locale.ROOT, "%.4g", v);
        }
    }

    /**
     * Any differentiable scalar function of one sample's output.
     *
     * @param description what the score is
     * @param function output row to scalar
     */
    record Score(String description, Function<NDArray, NDArray> function) implements Target {
        /** Checks for nulls. */
        public Score {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(function, "function");
        }
    }
}
