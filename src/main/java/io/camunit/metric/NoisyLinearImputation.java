package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.explain.SeededNoise;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * The noisy linear imputation of ROAD (Rong et al. 2022, "A Consistent and Efficient Evaluation
 * Strategy for Attribution Methods"): per channel, every removed pixel becomes the weighted mean of
 * its 8 neighbours (weight 1/6 for the 4 edge neighbours, 1/12 for the 4 diagonal ones; neighbours
 * outside the image are dropped and the mean is normalised by the weights present), removed
 * neighbours being unknowns themselves, so all removed pixels are solved as one sparse linear
 * system; then Gaussian noise of a given standard deviation (input-tensor units) is added to them.
 *
 * <p>Written un-normalised, {@code s_i x_i - sum_j w_ij x_j = sum_k w_ik v_k} ({@code s_i} the weights
 * present around pixel {@code i}, {@code j} its removed neighbours, {@code k} its kept ones), the
 * matrix is symmetric (the weight of a pair depends only on its offset) and, when at least one pixel
 * is kept, positive definite: every connected group of removed pixels touches a kept one in the
 * 8-connected grid, which makes its block irreducibly diagonally dominant. It is solved directly, in
 * double precision, by EJML's sparse Cholesky factorisation (one factorisation for all channels),
 * with the unknowns numbered by nested dissection of the image, since EJML offers no fill-reducing
 * ordering of its own. When every pixel is removed the system is singular (any constant solves it);
 * camunit refuses it rather than return an arbitrary image.
 *
 * <pre>{@code
 * boolean[] removed = new boolean[64 * 64];
 * removed[32 * 64 + 32] = true;
 * float[] filled = NoisyLinearImputation.impute(input, 64, 64, removed, 0.01, new SeededNoise(0));
 * }</pre>
 */
public final class NoisyLinearImputation {

    /** The noise of ROAD's imputation, in input-tensor units (Rong et al. and pytorch-grad-cam). */
    public static final double DEFAULT_NOISE = 0.01;

    private static final int[] DY = {-1, -1, -1, 0, 0, 1, 1, 1};
    private static final int[] DX = {-1, 0, 1, -1, 1, -1, 0, 1};
    private static final double[] WEIGHT = {1.0 / 12, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 6, 1.0 / 12, 1.0 / 6, 1.0 / 12};

    private NoisyLinearImputation() {}

    /**
     * @param input the model input, {@code C x H x W} values, channel-major
     * @param width the width W
     * @param height the height H
     * @param removed {@code H x W} flags, row-major: the pixels to impute in every channel
     * @param noiseStd the standard deviation of the added Gaussian noise, 0 for none
     * @param noise the random numbers: {@code C x removed} Gaussians are drawn, channel by channel,
     *     the removed pixels in row-major order; unused when {@code noiseStd} is 0
     * @return a copy of the input with the removed pixels imputed
     * @throws CamunitException when every pixel is removed (nothing to impute from)
     */
    public static float[] impute(float[] input, int width, int height, boolean[] removed, double noiseStd,
            SeededNoise noise) {
        int n = width * height;
        if (removed.length != n || input.length % n != 0) {
            throw new IllegalArgumentException("Expected " + n + " flags and C x " + n + " values; got "
                    + removed.length + " and " + input.length);
        }
        int channels = input.length / n;
        int[] unknown = new int[n];
        int count = 0;
        for (int p = 0; p < n; p++) {
            unknown[p] = removed[p] ? count++ : -1;
        }
        float[] out = input.clone();
        if (count == 0) {
            return out;
        }
        if (count == n) {
            throw new CamunitException("The imputation of ROAD needs at least one kept pixel; all " + n
                    + " pixels of the " + width + "x" + height + " input are removed, so any constant fills them.");
        }
        Equations system = Equations.of(width, height, removed, unknown, count);
        double[][] b = new double[channels][];
        for (int c = 0; c < channels; c++) {
            b[c] = rightHandSide(input, c * n, width, height, removed, system, count);
        }
        double[][] solution = system.solve(b, width, height);
        float[] gaussians = noiseStd > 0 ? noise.gaussians(channels * count, noiseStd) : null;
        for (int c = 0; c < channels; c++) {
            double[] x = solution[c];
            for (int p = 0, k = 0; p < n; p++) {
                if (removed[p]) {
                    out[c * n + p] = (float) (x[k] + (gaussians == null ? 0 : gaussians[c * count + k]));
                    k++;
                }
            }
        }
        return out;
    }

    private static double[] rightHandSide(float[] input, int base, int width, int height, boolean[] removed,
            Equations system, int count) {
        double[] b = new double[count];
        for (int k = 0; k < count; k++) {
            int p = system.pixel[k];
            int y = p / width;
            int x = p % width;
            double sum = 0;
            for (int d = 0; d < 8; d++) {
                int yy = y + DY[d];
                int xx = x + DX[d];
                if (yy >= 0 && yy < height && xx >= 0 && xx < width && !removed[yy * width + xx]) {
                    sum += WEIGHT[d] * input[base + yy * width + xx];
                }
            }
            b[k] = sum;
        }
        return b;
    }

    /** The matrix {@code diag(s) - W} over the removed pixels, as neighbour lists. */
    private static final class Equations {
        final int[] pixel;
        final double[] diagonal;
        final int[] start;
        final int[] column;
        final double[] weight;

        private Equations(int[] pixel, double[] diagonal, int[] start, int[] column, double[] weight) {
            this.pixel = pixel;
            this.diagonal = diagonal;
            this.start = start;
            this.column = column;
            this.weight = weight;
        }

        static Equations of(int width, int height, boolean[] removed, int[] unknown, int count) {
            int[] pixel = new int[count];
            double[] diagonal = new double[count];
            int[] start = new int[count + 1];
            int[] column = new int[8 * count];
            double[] weight = new double[8 * count];
            int e = 0;
            for (int p = 0, k = 0; p < removed.length; p++) {
                if (!removed[p]) {
                    continue;
                }
                pixel[k] = p;
                start[k] = e;
                int y = p / width;
                int x = p % width;
                for (int d = 0; d < 8; d++) {
                    int yy = y + DY[d];
                    int xx = x + DX[d];
                    if (yy >= 0 && yy < height && xx >= 0 && xx < width) {
                        diagonal[k] += WEIGHT[d];
                        int q = unknown[yy * width + xx];
                        if (q >= 0) {
                            column[e] = q;
                            weight[e] = WEIGHT[d];
                            e++;
                        }
                    }
                }
                k++;
            }
            start[count] = e;
            return new Equations(pixel, diagonal, start, column, weight);
        }

        /**
         * Solves {@code A X = B} for the columns of {@code b} by a sparse Cholesky factorisation,
         * the unknowns numbered by nested dissection of the image (see {@link #ordering}).
         */
        double[][] solve(double[][] b, int width, int height) {
            int m = diagonal.length;
            int[] order = ordering(width, height);   // position -> unknown
            int[] position = new int[m];
            for (int i = 0; i < m; i++) {
                position[order[i]] = i;
            }
            DMatrixSparseCSC a = new DMatrixSparseCSC(m, m, start[m] + m);
            int nz = 0;
            int[] rows = new int[9];
            double[] values = new double[9];
            for (int col = 0; col < m; col++) {
                int k = order[col];
                a.col_idx[col] = nz;
                int count = 0;
                rows[count] = col;
                values[count++] = diagonal[k];
                for (int e = start[k]; e < start[k + 1]; e++) {
                    rows[count] = position[column[e]];
                    values[count++] = -weight[e];
                }
                for (int i = 1; i < count; i++) {   // insertion sort of at most 9 rows
                    int r = rows[i];
                    double v = values[i];
                    int j = i - 1;
                    for (; j >= 0 && rows[j] > r; j--) {
                        rows[j + 1] = rows[j];
                        values[j + 1] = values[j];
                    }
                    rows[j + 1] = r;
                    values[j + 1] = v;
                }
                System.arraycopy(rows, 0, a.nz_rows, nz, count);
                System.arraycopy(values, 0, a.nz_values, nz, count);
                nz += count;
            }
            a.col_idx[m] = nz;
            a.nz_length = nz;
            a.indicesSorted = true;
            LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> solver = LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
            boolean ok = solver.setA(a);
            if (!ok) {
                throw new CamunitException("The imputation system of ROAD over " + m + " removed pixels is not positive"
                        + " definite; this should not happen when a pixel is kept. Please report it with the map.");
            }
            DMatrixRMaj rhs = new DMatrixRMaj(m, b.length);
            for (int c = 0; c < b.length; c++) {
                for (int k = 0; k < m; k++) {
                    rhs.unsafe_set(position[k], c, b[c][k]);
                }
            }
            DMatrixRMaj x = new DMatrixRMaj(m, b.length);
            solver.solve(rhs, x);
            double[][] out = new double[b.length][m];
            for (int c = 0; c < b.length; c++) {
                for (int k = 0; k < m; k++) {
                    double v = x.unsafe_get(position[k], c);
                    if (!Double.isFinite(v)) {
                        throw new CamunitException("The imputation system of ROAD gave a non-finite value for "
                                + m + " removed pixels. Please report it with the map.");
                    }
                    out[c][k] = v;
                }
            }
            return out;
        }

        /**
         * Nested dissection on the pixel grid: a rectangle is split by its middle row or column (a
         * line of width 1 separates the two halves for 8-neighbours), the halves are numbered first
         * and the line last, recursively. It keeps the Cholesky factor of an n-pixel region near
         * {@code O(n log n)} entries, where row order would fill a band of the image's width.
         *
         * @return the unknowns in elimination order
         */
        int[] ordering(int width, int height) {
            int[] unknownAt = new int[width * height];
            java.util.Arrays.fill(unknownAt, -1);
            for (int k = 0; k < pixel.length; k++) {
                unknownAt[pixel[k]] = k;
            }
            int[] out = new int[pixel.length];
            int filled = dissect(unknownAt, width, 0, 0, width, height, out, 0);
            if (filled != out.length) {
                throw new IllegalStateException("Ordered " + filled + " of " + out.length + " unknowns");
            }
            return out;
        }

        private static int dissect(int[] unknownAt, int width, int x0, int y0, int x1, int y1, int[] out, int next) {
            int w = x1 - x0;
            int h = y1 - y0;
            if (w <= 0 || h <= 0) {
                return next;
            }
            if (w * h <= 16) {
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int k = unknownAt[y * width + x];
                        if (k >= 0) {
                            out[next++] = k;
                        }
                    }
                }
                return next;
            }
            if (w >= h) {
                int mid = x0 + w / 2;
                next = dissect(unknownAt, width, x0, y0, mid, y1, out, next);
                next = dissect(unknownAt, width, mid + 1, y0, x1, y1, out, next);
                return dissect(unknownAt, width, mid, y0, mid + 1, y1, out, next);
            }
            int mid = y0 + h / 2;
            next = dissect(unknownAt, width, x0, y0, x1, mid, out, next);
            next = dissect(unknownAt, width, x0, mid + 1, x1, y1, out, next);
            return dissect(unknownAt, width, x0, mid, x1, mid + 1, out, next);
        }
    }
}
