package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Occlusion (Zeiler and Fergus 2014), black box: a square window slides over the input; inside it
 * every channel is set to {@link MethodOptions#baseline()} (default 0, the normalised mean colour),
 * and a pixel's value is the mean score drop {@code S(x) - S(x_occluded)} over the windows that
 * cover it (Captum's {@code Occlusion} convention). Positive where hiding the pixel lowers the
 * score; the pipeline's ReLU keeps those.
 *
 * <ul>
 *   <li>window side {@link MethodOptions#window()}, default {@code round(min(H, W) / 8)} (8 px on
 *       64 x 64, 28 px on 224 x 224), at most the input size;</li>
 *   <li>stride {@link MethodOptions#stride()}, default half the window;</li>
 *   <li>windows start at 0, stride, 2 stride, ...; when they do not end flush with the border a
 *       last window is added that does, so every pixel is covered (Captum leaves such a
 *       remainder uncovered);</li>
 *   <li>cost: one forward pass for the batch, then per image one forward pass per window
 *       ({@code 15 x 15 = 225} with the defaults), {@link MethodOptions#chunkSize()} windows per
 *       pass (default 16). Forward only: works on plain TorchScript.</li>
 * </ul>
 */
final class Occlusion implements MapComputation {

    /** The default window is the shorter input side divided by this. */
    static final int WINDOWS_PER_SIDE = 8;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        InputPasses.requireImages(model, batch, Method.OCCLUSION);
        int n = (int) batch.getShape().get(0);
        int height = (int) batch.getShape().get(2);
        int width = (int) batch.getShape().get(3);
        int pixels = height * width;
        int size = 3 * pixels;
        int window = options.window().orElseGet(() -> Math.max(1, (int) Math.round(Math.min(height, width)
                / (double) WINDOWS_PER_SIDE)));
        int stride = options.stride().orElse(Math.max(1, window / 2));
        int windowHeight = Math.min(window, height);
        int windowWidth = Math.min(window, width);
        int[] rows = starts(height, windowHeight, stride);
        int[] columns = starts(width, windowWidth, stride);
        int windows = rows.length * columns.length;
        int chunk = InputPasses.chunk(options);
        float baseline = (float) options.baseline();

        ResolvedTargets clean = InputPasses.clean(model, batch, targets);
        List<float[]> images = InputPasses.images(batch);
        List<float[]> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = images.get(i);
            PerturbedScores scoring = InputPasses.perturbedScores(model, clean, i);
            double[] drop = new double[pixels];
            int[] covering = new int[pixels];
            for (int start = 0; start < windows; start += chunk) {
                int count = Math.min(chunk, windows - start);
                float[] occluded = new float[count * size];
                for (int k = 0; k < count; k++) {
                    System.arraycopy(x, 0, occluded, k * size, size);
                    int top = rows[(start + k) / columns.length];
                    int left = columns[(start + k) % columns.length];
                    for (int c = 0; c < 3; c++) {
                        for (int y = top; y < top + windowHeight; y++) {
                            int offset = k * size + c * pixels + y * width + left;
                            java.util.Arrays.fill(occluded, offset, offset + windowWidth, baseline);
                        }
                    }
                }
                double[] scores = InputPasses.scores(model, occluded, count, height, width, scoring,
                        "occlusion window", start, batch.getManager());
                for (int k = 0; k < count; k++) {
                    double d = clean.scores()[i] - scores[k];
                    int top = rows[(start + k) / columns.length];
                    int left = columns[(start + k) % columns.length];
                    for (int y = top; y < top + windowHeight; y++) {
                        for (int xx = left; xx < left + windowWidth; xx++) {
                            drop[y * width + xx] += d;
                            covering[y * width + xx]++;
                        }
                    }
                }
            }
            float[] map = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                map[p] = (float) (drop[p] / covering[p]);
            }
            maps.add(map);
        }
        return new BatchMaps(BatchMaps.INPUT, width, height, maps, clean.classes(), clean.scores(),
                clean.predicted(), clean.notes());
    }

    /**
     * @param size the input side
     * @param window the window side, at most {@code size}
     * @param stride the step
     * @return {@code 0, stride, ...} while the window fits, plus {@code size - window} when the
     *     last of them does not reach the border
     */
    static int[] starts(int size, int window, int stride) {
        List<Integer> out = new ArrayList<>();
        int s = 0;
        for (; s + window <= size; s += stride) {
            out.add(s);
        }
        if (out.get(out.size() - 1) + window < size) {
            out.add(size - window);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
