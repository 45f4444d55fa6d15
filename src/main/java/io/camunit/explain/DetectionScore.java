package io.camunit.explain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import java.util.Locale;

/**
 * The score of a box target ({@link Target#box}) on a detector's raw output {@code N x M x (4 + 1 + K)}:
 * which candidate matches the labelled box, and {@code IoU + sigmoid(objectness) * softmax(classes)[c]}
 * of that candidate, in plain Java (double precision, for the reported score) and as an engine
 * scalar (float, for the gradient).
 *
 * <pre>{@code
 * DetectionScore.Match m = DetectionScore.match(values, shape, 0, target);
 * if (m.matched()) { double s = m.score(); }
 * }</pre>
 */
final class DetectionScore {

    /** Box coordinates, objectness, then the class logits: the first class logit's position in a candidate. */
    static final int FIRST_CLASS = 5;

    private DetectionScore() {}

    /**
     * The outcome of matching one labelled box among an image's candidates.
     *
     * @param candidate the matched candidate, or -1 when none matches
     * @param iou its IoU with the labelled box (0 without a match)
     * @param probability its {@code sigmoid(objectness) * softmax(class logits)[c]} (0 without a match)
     * @param candidates how many candidates the image has ({@code M})
     * @param bestIou the largest IoU of any candidate of the target's class (for the note without a match)
     */
    record Match(int candidate, double iou, double probability, int candidates, double bestIou) {

        /** @return true when a candidate matches */
        boolean matched() {
            return candidate >= 0;
        }

        /** @return the target score: IoU plus probability, or 0 without a match */
        double score() {
            return matched() ? iou + probability : 0;
        }

        /** @return what was matched, for the explanation's target and evidence */
        String note(Target.Detection t) {
            if (matched()) {
                return String.format(Locale.ROOT, "candidate %d of %d matched: IoU %.4f, probability %.4f",
                        candidate, candidates, iou, probability);
            }
            if (candidates == 0) {
                return Target.Detection.NO_MATCH + ": the model returned no candidate boxes (M = 0), score 0";
            }
            return String.format(Locale.ROOT, Target.Detection.NO_MATCH + ": none of the %d candidates is predicted as"
                    + " class %d with IoU >= %s (best IoU of a class-%d candidate: %s), score 0", candidates, t.index(),
                    t.iouThreshold(), t.index(), bestIou < 0 ? "none predicted" : String.format(Locale.ROOT, "%.4f",
                            bestIou));
        }
    }

    /**
     * @param values the output, row-major {@code N x M x D} with {@code D = 4 + 1 + K}
     * @param shape its shape
     * @param n the image
     * @param t the box target
     * @return the matched candidate of image n: the candidate predicted as the target's class (arg-max
     *     of its class logits, ties to the lower class) with the largest IoU at or above the threshold
     *     (ties to the lower candidate)
     */
    static Match match(float[] values, Shape shape, int n, Target.Detection t) {
        int m = (int) shape.get(1);
        int d = (int) shape.get(2);
        int best = -1;
        double bestIou = -1;
        double bestOfClass = -1;
        for (int j = 0; j < m; j++) {
            int base = (n * m + j) * d;
            if (predictedClass(values, base, d) != t.index()) {
                continue;
            }
            double iou = iou(values[base], values[base + 1], values[base + 2], values[base + 3], t);
            bestOfClass = Math.max(bestOfClass, iou);
            if (iou >= t.iouThreshold() && iou > bestIou) {
                best = j;
                bestIou = iou;
            }
        }
        if (best < 0) {
            return new Match(-1, 0, 0, m, bestOfClass);
        }
        int base = (n * m + best) * d;
        return new Match(best, bestIou, probability(values, base, d, t.index()), m, bestOfClass);
    }

    /** @return the arg-max of a candidate's class logits; ties go to the lower class, as {@code torch.argmax} */
    static int predictedClass(float[] values, int base, int d) {
        int best = 0;
        for (int k = 1; k < d - FIRST_CLASS; k++) {
            if (values[base + FIRST_CLASS + k] > values[base + FIRST_CLASS + best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * @return the IoU of box {@code (x1, y1, x2, y2)} with the target's box: areas {@code (x2 - x1) * (y2 - y1)},
     *     intersection sides clamped at 0, no {@code +1}; 0 when the union is not positive (a degenerate box)
     */
    static double iou(double x1, double y1, double x2, double y2, Target.Detection t) {
        double iw = Math.max(0, Math.min(x2, t.x2()) - Math.max(x1, t.x1()));
        double ih = Math.max(0, Math.min(y2, t.y2()) - Math.max(y1, t.y1()));
        double inter = iw * ih;
        double union = (x2 - x1) * (y2 - y1) + (t.x2() - t.x1()) * (t.y2() - t.y1()) - inter;
        return union > 0 && inter > 0 ? inter / union : 0;
    }

    /** @return {@code sigmoid(objectness) * softmax(class logits)[c]} of one candidate, in double precision */
    static double probability(float[] values, int base, int d, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = FIRST_CLASS; k < d; k++) {
            max = Math.max(max, values[base + k]);
        }
        double sum = 0;
        for (int k = FIRST_CLASS; k < d; k++) {
            sum += Math.exp(values[base + k] - max);
        }
        double softmax = Math.exp(values[base + FIRST_CLASS + c] - max) / sum;
        double sigmoid = 1 / (1 + Math.exp(-values[base + 4]));
        return sigmoid * softmax;
    }

    /**
     * The score of a matched candidate as an engine scalar whose gradient is taken: through the IoU
     * (so through the predicted box), the objectness and the class logits.
     *
     * @param output the detector's output {@code N x M x D}
     * @param n the image
     * @param candidate the matched candidate
     * @param t the box target
     * @return {@code IoU + sigmoid(objectness) * softmax(class logits)[c]}
     */
    static NDArray differentiable(NDArray output, int n, int candidate, Target.Detection t) {
        NDArray row = output.get(n).get(candidate);
        NDArray x1 = row.get(0);
        NDArray y1 = row.get(1);
        NDArray x2 = row.get(2);
        NDArray y2 = row.get(3);
        // Float constants keep the output's type (a double would promote the score to float64).
        NDArray iw = x2.minimum((float) t.x2()).sub(x1.maximum((float) t.x1())).maximum(0f);
        NDArray ih = y2.minimum((float) t.y2()).sub(y1.maximum((float) t.y1())).maximum(0f);
        NDArray inter = iw.mul(ih);
        float area = (float) ((t.x2() - t.x1()) * (t.y2() - t.y1()));
        NDArray union = x2.sub(x1).mul(y2.sub(y1)).add(area).sub(inter);
        NDArray iou = inter.div(union);
        NDArray classes = row.get(FIRST_CLASS + ":");
        NDArray probability = Activation.sigmoid(row.get(4)).mul(classes.softmax(0).get(t.index()));
        return iou.add(probability).reshape(new Shape());
    }

    /**
     * A zero that the gradient can flow through (all zero): the score of an image without a match.
     *
     * @param output the detector's output
     * @param n the image
     * @return 0, as an engine scalar depending on image n's output
     */
    static NDArray zero(NDArray output, int n) {
        return output.get(n).sum().mul(0f).reshape(new Shape());
    }
}
