package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;
import io.camunit.model.ImageSize;
import io.camunit.region.Mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of a batch resolved against the model's output: class indices, the per-sample
 * scores, their sum (the scalar whose gradient is taken; samples are independent, so the gradient
 * of the sum at sample n is the gradient of sample n's score), and each target with everything
 * that depends on the image fixed, for the perturbed copies of it: {@link Target#predicted()}
 * becomes the class predicted for the image, a segmentation target the pixels the model assigned
 * to the class on the image.
 *
 * <p>The output's rank says what the model is: {@code N x K} class scores, {@code N x K x H x W}
 * a segmentation (see {@link Target#segmentation(int)}), {@code N x M x (4 + 1 + K)} a detector's
 * candidate boxes (see {@link Target#box}), anything else reduced by a {@link Target#score} function.
 * {@code notes} says per sample what resolving found that the target alone does not say (which
 * candidate box matched), or is empty.
 */
record ResolvedTargets(int[] classes, double[] scores, int[] predicted, NDArray total, List<Target> fixed,
        List<String> notes) {

    ResolvedTargets {
        fixed = List.copyOf(fixed);
        notes = List.copyOf(notes);
    }

    /** @return the same without the differentiable total (for passes that take no gradient) */
    ResolvedTargets withoutTotal() {
        return new ResolvedTargets(classes, scores, predicted, null, fixed, notes);
    }

    static ResolvedTargets resolve(CamModel model, NDArray output, List<Target> targets) {
        Shape shape = output.getShape();
        int n = targets.size();
        if (shape.dimension() == 0 || shape.get(0) != n) {
            throw new CamunitException("Model " + model.name() + " returned an output of shape " + shape
                    + " for a batch of " + n + "; expected one row per image (N x ...).");
        }
        boolean matrix = shape.dimension() == 2;
        boolean segmentation = shape.dimension() == 4;
        boolean detection = shape.dimension() == 3;
        int k = matrix || segmentation ? (int) shape.get(1) : -1;
        requireClassCount(model, shape, k, segmentation);
        boolean boxes = targets.stream().anyMatch(t -> t instanceof Target.Detection);
        if (boxes) {
            requireDetector(model, shape);
        }
        float[] values = matrix || needsValues(segmentation, targets) || boxes
                ? output.toType(DataType.FLOAT32, false).toFloatArray() : null;
        List<String> notes = new ArrayList<>(n);
        int[] predicted = new int[n];
        int[] classes = new int[n];
        double[] scores = new double[n];
        List<Target> fixed = new ArrayList<>(n);
        float[] oneHot = matrix ? new float[n * k] : null;
        NDArray total = null;
        for (int i = 0; i < n; i++) {
            predicted[i] = matrix ? argmax(values, i * k, k) : -1;
            Target t = targets.get(i);
            notes.add("");
            if (t instanceof Target.Detection d) {
                requireClass(model, d.index(), (int) shape.get(2) - DetectionScore.FIRST_CLASS);
                requirePixelBoxes(model, shape, values, i, d);
                DetectionScore.Match match = DetectionScore.match(values, shape, i, d);
                classes[i] = d.index();
                scores[i] = match.score();
                total = plus(total, match.matched() ? DetectionScore.differentiable(output, i, match.candidate(), d)
                        : DetectionScore.zero(output, i));
                notes.set(i, match.note(d));
                // Perturbed copies are matched again, as pytorch-grad-cam's target does with each output.
                fixed.add(d);
            } else if (t instanceof Target.Score s) {
                classes[i] = -1;
                NDArray score = s.function().apply(output.get(i));
                if (score.size() != 1) {
                    throw new CamunitException("Target '" + s.description() + "' must reduce one sample's"
                            + " output to a scalar; it returned shape " + score.getShape() + ". End it with"
                            + " a reduction such as .sum() or .mean().");
                }
                scores[i] = score.toType(DataType.FLOAT64, false).getDouble();
                total = plus(total, score.reshape(new Shape()));
                fixed.add(t);
            } else if (segmentation) {
                int c = segmentationClass(model, shape, t, k);
                Mask pixels = pixels(model, shape, values, i, c, t);
                classes[i] = c;
                scores[i] = SegmentationScore.of(values, shape, i, c, pixels);
                total = plus(total, SegmentationScore.differentiable(output, i, c, pixels));
                fixed.add(new Target.Segmentation(c, Optional.of(pixels)));
            } else {
                if (detection && model.isDetector()) {
                    throw new CamunitException("Model " + model.name() + " is a detector (output " + shape
                            + ", N x M x (4 + 1 + K) candidate boxes): '" + t.description() + "' names no object."
                            + " Explain one labelled object with Target.box(box, class) (camunit evaluate and"
                            + " @LabeledSamples(perObject = true) do so for every labelled object).");
                }
                if (!matrix || t instanceof Target.Segmentation) {
                    throw new CamunitException("Target '" + t.description() + "' needs "
                            + (t instanceof Target.Segmentation ? "a segmentation output (N x K x H x W)"
                                    : "class scores (N x K) or a segmentation output (N x K x H x W)")
                            + ", but model " + model.name() + " returns shape " + shape + ". Use"
                            + " Target.score(...) to reduce such an output to one number per image.");
                }
                int c = t instanceof Target.ClassIndex ci ? ci.index() : predicted[i];
                requireClass(model, c, k);
                classes[i] = c;
                scores[i] = values[i * k + c];
                oneHot[i * k + c] = 1;
                fixed.add(Target.classIndex(c));
            }
        }
        if (matrix && oneHotUsed(oneHot)) {
            NDArray mask = output.getManager().create(oneHot, shape).toType(output.getDataType(), false);
            total = plus(total, output.mul(mask).sum());
        }
        return new ResolvedTargets(classes, scores, predicted, total, fixed, notes);
    }

    /** A box target needs the detector convention's output; anything else would be read as boxes wrongly. */
    private static void requireDetector(CamModel model, Shape shape) {
        if (shape.dimension() != 3 || shape.get(2) < DetectionScore.FIRST_CLASS + 1) {
            throw new CamunitException("A box target (Target.box) needs a detector's output N x M x (4 + 1 + K):"
                    + " per image M candidate boxes before non-maximum suppression, each x1, y1, x2, y2 in input"
                    + " pixels, an objectness logit and K >= 1 class logits; model " + model.name() + " returns shape "
                    + shape + (shape.dimension() == 3 ? " (last dimension " + shape.get(2) + " < 6)" : "") + ". Export"
                    + " the detector so (camunit_export.py --task detection checks it), or explain a class"
                    + " (Target.classIndex) of a classifier.");
        }
        List<String> classes = model.classes();
        long k = shape.get(2) - DetectionScore.FIRST_CLASS;
        if (!classes.isEmpty() && classes.size() != k) {
            throw new CamunitException("Model " + model.name() + " names " + classes.size() + " classes " + classes
                    + ", but its output " + shape + " has " + k + " class logits per candidate (N x M x (4 + 1 + K)),"
                    + " so a class name would point at the wrong logit. Give the model its classes in output order"
                    + " (\"classes\" in camunit.json, optClasses).");
        }
    }

    /**
     * Boxes in other units than input pixels (all within [0, 1]: normalised coordinates) would match
     * nothing, or the wrong candidate; refused with the convention, unless the labelled box is itself
     * that small.
     */
    private static void requirePixelBoxes(CamModel model, Shape shape, float[] values, int n, Target.Detection t) {
        int m = (int) shape.get(1);
        int d = (int) shape.get(2);
        if (m == 0 || t.x2() <= 1 && t.y2() <= 1) {
            return;
        }
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < 4; c++) {
                float v = values[(n * m + j) * d + c];
                if (!(v >= 0 && v <= 1)) {
                    return;
                }
            }
        }
        String box = t.description();
        throw new CamunitException("Model " + model.name() + ": all " + m + " candidate boxes of image " + n
                + " lie within [0, 1], but the detector convention is x1, y1, x2, y2 in pixels of the model's input ("
                + model.input() + "), as the labelled " + box.substring(box.indexOf("box")) + " is. The detector seems"
                + " to return normalised coordinates: multiply them by the input width and height in the exported"
                + " forward (camunit_export.py --task detection checks the convention).");
    }

    private static boolean needsValues(boolean segmentation, List<Target> targets) {
        return segmentation && targets.stream().anyMatch(t -> !(t instanceof Target.Score));
    }

    private static NDArray plus(NDArray total, NDArray term) {
        return total == null ? term : total.add(term);
    }

    /** The class a target names on a segmentation output; an image has no one predicted class. */
    private static int segmentationClass(CamModel model, Shape shape, Target t, int k) {
        int c;
        if (t instanceof Target.ClassIndex ci) {
            c = ci.index();
        } else if (t instanceof Target.Segmentation s) {
            c = s.index();
        } else {
            throw new CamunitException("Model " + model.name() + " is a segmentation model (output " + shape
                    + ", N x K x H x W): an image has no one predicted class, so 'predicted class' cannot be"
                    + " explained. Name the class: Target.segmentation(c) (on the command line, --target labelled"
                    + " or a class index)" + (model.classes().isEmpty() ? "" : "; its classes are " + model.classes())
                    + ".");
        }
        requireClass(model, c, k);
        return c;
    }

    /** A model naming other classes than its output has would explain and report the wrong class. */
    private static void requireClassCount(CamModel model, Shape shape, int k, boolean segmentation) {
        List<String> classes = model.classes();
        if (k >= 0 && !classes.isEmpty() && classes.size() != k) {
            throw new CamunitException("Model " + model.name() + " names " + classes.size() + " classes " + classes
                    + ", but its output " + shape + " has " + k + (segmentation ? " class channels (N x K x H x W)"
                    : " class scores (N x K)") + ", so a class name would point at the wrong "
                    + (segmentation ? "channel" : "score") + ". Give the model its classes in output order, one per "
                    + (segmentation ? "channel, background included (\"classes\" in camunit.json, optClasses)"
                    : "score (\"classes\" in camunit.json, optClasses)") + ".");
        }
    }

    private static void requireClass(CamModel model, int c, int k) {
        if (c < 0 || c >= k) {
            throw new CamunitException("Target class " + c + " is out of range: model " + model.name()
                    + " has " + k + " classes (0 to " + (k - 1) + ")"
                    + (model.classes().isEmpty() ? "" : ": " + model.classes()) + ".");
        }
    }

    /** The given pixels (checked against the output's size) or those the model assigns to class c. */
    private static Mask pixels(CamModel model, Shape shape, float[] values, int i, int c, Target t) {
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        if (t instanceof Target.Segmentation s && s.pixels().isPresent()) {
            Mask given = s.pixels().get();
            if (given.width() != w || given.height() != h) {
                throw new CamunitException("Target '" + t.description() + "' gives pixels of "
                        + ImageSize.format(given.width(), given.height()) + ", but model " + model.name()
                        + " segments its input into " + ImageSize.format(w, h) + " (output " + shape + "). Give a"
                        + " mask of the output's size (WIDTHxHEIGHT).");
            }
            return given;
        }
        return SegmentationScore.assigned(values, shape, i, c);
    }

    private static boolean oneHotUsed(float[] oneHot) {
        for (float v : oneHot) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
