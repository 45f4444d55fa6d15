package io.camunit.explain;

import io.camunit.region.Mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The score of a segmentation target: class {@code c}'s logits summed over a set of pixels of an
 * {@code N x K x H x W} output, and the set of pixels the model assigns to {@code c} (arg-max over
 * the classes; ties go to the lower class index, as {@code torch.argmax} on CPU).
 *
 * <pre>{@code
 * Mask own = SegmentationScore.assigned(values, shape, 0, 2);     // where image 0 is class 2
 * double s = SegmentationScore.of(values, shape, 0, 2, own);
 * }</pre>
 */
final class SegmentationScore {

    private SegmentationScore() {}

    /**
     * @param values the output, row-major {@code N x K x H x W}
     * @param shape its shape
     * @param n the image
     * @param c the class
     * @return the pixels of image n whose highest logit is class c's
     */
    static Mask assigned(float[] values, Shape shape, int n, int c) {
        int k = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        int plane = h * w;
        int base = n * k * plane;
        boolean[] inside = new boolean[plane];
        for (int p = 0; p < plane; p++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (values[base + j * plane + p] > values[base + best * plane + p]) {
                    best = j;
                }
            }
            inside[p] = best == c;
        }
        return Mask.of(w, h, inside);
    }

    /**
     * @param values the output, row-major {@code N x K x H x W} (or {@code M x K x H x W})
     * @param shape its shape
     * @param n the image
     * @param c the class
     * @param pixels pixels of the output's {@code W x H}
     * @return the sum of class c's logits of image n over the pixels, in double precision
     */
    static double of(float[] values, Shape shape, int n, int c, Mask pixels) {
        int k = (int) shape.get(1);
        int plane = (int) (shape.get(2) * shape.get(3));
        int base = (n * k + c) * plane;
        double sum = 0;
        for (int p = pixels.nextInside(0); p >= 0; p = pixels.nextInside(p + 1)) {
            sum += values[base + p];
        }
        return sum;
    }

    /**
     * @return class c's logits of image n summed over the pixels, as an engine scalar the gradient
     *     is taken of
     */
    static NDArray differentiable(NDArray output, int n, int c, Mask pixels) {
        boolean[] inside = pixels.toArray();
        float[] weights = new float[inside.length];
        for (int p = 0; p < inside.length; p++) {
            weights[p] = inside[p] ? 1 : 0;
        }
        NDArray plane = output.get(n).get(c);
        NDArray mask = output.getManager().create(weights, plane.getShape()).toType(output.getDataType(), false);
        return plane.mul(mask).sum();
    }
}
