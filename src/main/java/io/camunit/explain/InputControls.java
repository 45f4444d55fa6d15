package io.camunit.explain;

import io.camunit.model.CamModel;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Two control maps for sanity checks: maps that do not depend on the model, against which a
 * method's map (or a metric's value) can be compared. Each costs one forward pass of the batch,
 * only to report the target's class and score.
 */
final class InputControls {

    private InputControls() {}

    /**
     * A seeded uniform random map: {@code H x W} values in [0, 1) from
     * {@link SeededNoise}{@code (seed)}, row by row, restarted for every image (so every image of
     * the same size gets the same map, alone or in a batch; change {@code seed} for another).
     * pytorch-grad-cam's {@code RandomCAM} is a layer method instead: uniform random weights in
     * [-1, 1] for the layer's channels, so its map has the layer's structure; camunit's control is
     * independent of the model altogether.
     */
    static MapComputation random() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.RANDOM);
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            ResolvedTargets clean = InputPasses.clean(model, batch, targets);
            List<float[]> maps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                maps.add(new SeededNoise(options.seed()).uniforms(width * height));
            }
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, clean.classes(), clean.scores(),
                    clean.predicted(), clean.notes());
        };
    }

    /**
     * The Sobel edge map of the image, as pytorch-grad-cam's {@code sobel_cam}: the grey image
     * {@code 0.299 R + 0.587 G + 0.114 B} (pixels on the [0, 1] scale, recovered from the model input
     * tensor with the model's mean and std), the 3 x 3 Sobel derivatives {@code gx}, {@code gy} with
     * the border reflected without repeating the edge pixel (OpenCV's default {@code BORDER_REFLECT_101}),
     * and the map {@code 0.5 |gx| + 0.5 |gy|}. pytorch-grad-cam works on 8-bit pixels and saturates
     * each {@code |g|} at 255 before adding; camunit keeps floats, so strong edges are not clipped.
     */
    static MapComputation sobel() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.SOBEL);
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            int pixels = width * height;
            ResolvedTargets clean = InputPasses.clean(model, batch, targets);
            List<float[]> images = InputPasses.images(batch);
            InputSpec spec = model.input();
            List<float[]> maps = new ArrayList<>(n);
            for (float[] x : images) {
                double[] grey = new double[pixels];
                for (int c = 0; c < 3; c++) {
                    double mean = spec.mean().get(c);
                    double std = spec.std().get(c);
                    for (int p = 0; p < pixels; p++) {
                        grey[p] += GREY[c] * (x[c * pixels + p] * std + mean);
                    }
                }
                maps.add(sobel(grey, width, height));
            }
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, clean.classes(), clean.scores(),
                    clean.predicted(), clean.notes());
        };
    }

    /** ITU-R BT.601 luma weights, as OpenCV's RGB to grey conversion. */
    private static final double[] GREY = {0.299, 0.587, 0.114};

    /** {@code 0.5 |gx| + 0.5 |gy|} of a grey image, border reflected (101). */
    static float[] sobel(double[] grey, int width, int height) {
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            int up = reflect(y - 1, height);
            int down = reflect(y + 1, height);
            for (int x = 0; x < width; x++) {
                int left = reflect(x - 1, width);
                int right = reflect(x + 1, width);
                double gx = (grey[up * width + right] - grey[up * width + left])
                        + 2 * (grey[y * width + right] - grey[y * width + left])
                        + (grey[down * width + right] - grey[down * width + left]);
                double gy = (grey[down * width + left] - grey[up * width + left])
                        + 2 * (grey[down * width + x] - grey[up * width + x])
                        + (grey[down * width + right] - grey[up * width + right]);
                out[y * width + x] = (float) (0.5 * Math.abs(gx) + 0.5 * Math.abs(gy));
            }
        }
        return out;
    }

    /** Index {@code i} reflected into {@code [0, size)} without repeating the edge: -1 is 1, size is size - 2. */
    private static int reflect(int i, int size) {
        if (size == 1) {
            return 0;
        }
        if (i < 0) {
            return -i;
        }
        return i >= size ? 2 * size - 2 - i : i;
    }
}
