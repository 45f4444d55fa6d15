package io.camunit.explain;

import io.camunit.heatmap.Bilinear;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * RISE (Petsiuk et al. 2018), black box: the saliency of pixel {@code p} is
 * {@code sum_i S(x . M_i + b (1 - M_i)) M_i[p] / (N p)}, the score-weighted mean of {@code N}
 * random soft masks divided by the keep probability {@code p}; {@code b} is
 * {@link MethodOptions#baseline()} (default 0, the normalised mean colour; the paper's masking
 * multiplies the normalised input, which is the same).
 *
 * <p>Masks as in the paper's reference implementation: a {@code gy x gx} grid of cells of
 * {@code C} pixels ({@code gy = ceil(H / C)}, {@code gx = ceil(W / C)}), each kept (1) with
 * probability {@code p}, else 0; the grid upsampled bilinearly to {@code (gy + 1) C x (gx + 1) C}
 * (camunit's rule: half-pixel centres, edges clamped, where the paper's scikit-image call reflects)
 * and cropped to {@code H x W} at a random shift {@code (dy, dx)} in {@code [0, C)}.
 *
 * <ul>
 *   <li>{@code N} = {@link MethodOptions#masks()}, default {@value #DEFAULT_MASKS};</li>
 *   <li>{@code C} = {@link MethodOptions#cellSize()}, default {@code ceil(min(H, W) / 7)}: the
 *       paper's 7 x 7 grid (10 px on 64 x 64, 32 px on 224 x 224);</li>
 *   <li>{@code p} = {@link MethodOptions#keepProbability()}, default 0.5;</li>
 *   <li>random numbers from {@link SeededNoise} with {@link MethodOptions#seed()}, per mask: the
 *       grid's {@code gy * gx} uniforms row by row (kept when {@code u < p}), then
 *       {@code dy = floor(u C)}, then {@code dx = floor(u C)}; the same masks for every image;</li>
 *   <li>the score is the target score (a logit by default; the paper used the class probability:
 *       pass a {@link Target#score} with a softmax for that);</li>
 *   <li>cost: one forward pass for the batch, then per image {@code N} forward passes,
 *       {@link MethodOptions#chunkSize()} masks per pass (default 16). Forward only: works on
 *       plain TorchScript.</li>
 * </ul>
 */
final class Rise implements MapComputation {

    /** Masks when {@link MethodOptions#masks()} is 0. */
    static final int DEFAULT_MASKS = 2000;
    /** The default grid has this many cells along the shorter side. */
    static final int CELLS_PER_SIDE = 7;
    /** The keep probability when {@link MethodOptions#keepProbability()} is 0. */
    static final double DEFAULT_KEEP_PROBABILITY = 0.5;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        InputPasses.requireImages(model, batch, Method.RISE);
        int n = (int) batch.getShape().get(0);
        int height = (int) batch.getShape().get(2);
        int width = (int) batch.getShape().get(3);
        int pixels = height * width;
        int size = 3 * pixels;
        int masks = options.masks().orElse(DEFAULT_MASKS);
        int cell = options.cellSize().orElseGet(() -> (int) Math.ceil(Math.min(height, width) / (double) CELLS_PER_SIDE));
        double keep = options.keepProbability().orElse(DEFAULT_KEEP_PROBABILITY);
        int chunk = InputPasses.chunk(options);
        float baseline = (float) options.baseline();

        ResolvedTargets clean = InputPasses.clean(model, batch, targets);
        List<float[]> images = InputPasses.images(batch);
        List<PerturbedScores> scoring = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            scoring.add(InputPasses.perturbedScores(model, clean, i));
        }
        double[][] saliency = new double[n][pixels];
        MaskSource source = new MaskSource(new SeededNoise(options.seed()), height, width, cell, keep);
        for (int start = 0; start < masks; start += chunk) {
            int count = Math.min(chunk, masks - start);
            float[][] chunkMasks = new float[count][];
            for (int k = 0; k < count; k++) {
                chunkMasks[k] = source.next();
            }
            for (int i = 0; i < n; i++) {
                float[] x = images.get(i);
                float[] masked = new float[count * size];
                for (int k = 0; k < count; k++) {
                    float[] m = chunkMasks[k];
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < pixels; p++) {
                            int e = c * pixels + p;
                            masked[k * size + e] = x[e] * m[p] + baseline * (1 - m[p]);
                        }
                    }
                }
                double[] scores = InputPasses.scores(model, masked, count, height, width, scoring.get(i),
                        "RISE mask", start, batch.getManager());
                double[] s = saliency[i];
                for (int k = 0; k < count; k++) {
                    float[] m = chunkMasks[k];
                    for (int p = 0; p < pixels; p++) {
                        s[p] += scores[k] * m[p];
                    }
                }
            }
        }
        List<float[]> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] map = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                map[p] = (float) (saliency[i][p] / (masks * keep));
            }
            maps.add(map);
        }
        return new BatchMaps(BatchMaps.INPUT, width, height, maps, clean.classes(), clean.scores(),
                clean.predicted(), clean.notes());
    }

    /** Draws RISE masks one after another from a seeded stream. */
    static final class MaskSource {
        private final SeededNoise noise;
        private final int height;
        private final int width;
        private final int cell;
        private final double keep;
        private final int gridRows;
        private final int gridColumns;

        MaskSource(SeededNoise noise, int height, int width, int cell, double keep) {
            this.noise = noise;
            this.height = height;
            this.width = width;
            this.cell = cell;
            this.keep = keep;
            this.gridRows = (height + cell - 1) / cell;
            this.gridColumns = (width + cell - 1) / cell;
        }

        /** @return the next mask, {@code H x W} values in [0, 1], row-major */
        float[] next() {
            float[] grid = new float[gridRows * gridColumns];
            for (int g = 0; g < grid.length; g++) {
                grid[g] = noise.nextUniform() < keep ? 1f : 0f;
            }
            int dy = (int) Math.floor(noise.nextUniform() * cell);
            int dx = (int) Math.floor(noise.nextUniform() * cell);
            int upWidth = (gridColumns + 1) * cell;
            int upHeight = (gridRows + 1) * cell;
            float[] up = Bilinear.resize(grid, gridColumns, gridRows, upWidth, upHeight);
            float[] mask = new float[height * width];
            for (int y = 0; y < height; y++) {
                System.arraycopy(up, (y + dy) * upWidth + dx, mask, y * width, width);
            }
            return mask;
        }
    }
}
