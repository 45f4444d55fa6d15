package io.camunit.explain;

import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * KPCA-CAM (Karmani et al. 2024), as pytorch-grad-cam's {@code KPCA_CAM}: the activations as an
 * {@code n x K} matrix {@code X} ({@code n = h * w} positions, {@code K} channels) with centred
 * columns; the kernel matrix {@code M[i, j] = kernel(X[i], X[j])} ({@link MethodOptions.Kernel},
 * scikit-learn's {@code KernelPCA} definitions: gamma defaults to {@code 1 / K}, poly has degree 3
 * and coef0 1, sigmoid coef0 1), double-centred {@code Mc = M - row means - column means + mean};
 * the map is the first kernel principal component {@code v * sqrt(lambda)}, {@code lambda} the
 * largest eigenvalue of {@code Mc} and {@code v} its unit eigenvector (an all-zero map when
 * {@code lambda <= 0}, as scikit-learn clips it). Needs no gradient and no target.
 *
 * <p>The eigenvector's sign is arbitrary; camunit fixes it as for Eigen-CAM
 * ({@link PrincipalComponent}): the map correlates positively with the layer's total activation per
 * position, ties to the sign that makes the largest absolute value positive. scikit-learn (and so
 * pytorch-grad-cam) makes the eigenvector's largest absolute entry positive instead, which can give
 * a map that is low where the layer is active; the two agree up to that sign.
 *
 * <p>The eigenvector is found by Lanczos iteration with full reorthogonalisation, restarted from the
 * Ritz vector until its residual is below {@code 1e-10} of the eigenvalue's magnitude; scikit-learn
 * uses ARPACK for more than 200 positions, a dense solver otherwise. Options {@code kernel}
 * (default sigmoid, as pytorch-grad-cam) and {@code gamma}. Cost per image: the batch's one forward
 * pass, then {@code O(n^2 K)} to build the kernel matrix and {@code O(n^2)} per Lanczos step
 * (well under a second for 1024 positions).
 */
final class KernelPrincipalComponent implements MapComputation {

    /** The kernel unless {@code kernel} says otherwise (pytorch-grad-cam's default). */
    static final MethodOptions.Kernel DEFAULT_KERNEL = MethodOptions.Kernel.SIGMOID;

    private static final int KRYLOV_SIZE = 48;
    private static final int MAX_RESTARTS = 50;
    private static final double RESIDUAL = 1e-10;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        LayerCapture capture = LayerCapture.take(model, batch, layer, targets, false);
        MethodOptions.Kernel kernel = options.kernel().orElse(DEFAULT_KERNEL);
        List<float[]> maps = new ArrayList<>(targets.size());
        for (LayerActivations s : capture.samples()) {
            double gamma = options.gamma().orElse(1.0 / s.channels());
            maps.add(projection(s.activations(), s.channels(), s.positions(), kernel, gamma));
        }
        return BatchMaps.of(capture, maps);
    }

    /**
     * @param channelMajor {@code channels x positions} activations
     * @return the first kernel principal component per position, sign fixed as documented
     */
    static float[] projection(float[] channelMajor, int channels, int positions, MethodOptions.Kernel kernel,
            double gamma) {
        int n = positions;
        double[][] x = new double[n][channels];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < n; p++) {
                mean += channelMajor[k * n + p];
            }
            mean /= n;
            for (int p = 0; p < n; p++) {
                x[p][k] = channelMajor[k * n + p] - mean;
            }
        }
        double[][] m = centred(kernelMatrix(x, kernel, gamma));
        double[] v = new double[n];
        double lambda = topEigenpair(m, v);
        double[] map = new double[n];
        if (lambda > 0) {
            double scale = Math.sqrt(lambda);
            for (int p = 0; p < n; p++) {
                map[p] = v[p] * scale;
            }
        }
        double agreement = 0;
        double extreme = 0;
        for (int p = 0; p < n; p++) {
            double total = 0;
            for (int k = 0; k < channels; k++) {
                total += channelMajor[k * n + p];
            }
            agreement += map[p] * total;
            extreme = Math.abs(map[p]) > Math.abs(extreme) ? map[p] : extreme;
        }
        double sign = agreement > 0 || (agreement == 0 && extreme >= 0) ? 1 : -1;
        float[] out = new float[n];
        for (int p = 0; p < n; p++) {
            out[p] = (float) (sign * map[p]);
        }
        return out;
    }

    static double[][] kernelMatrix(double[][] x, MethodOptions.Kernel kernel, double gamma) {
        int n = x.length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            norms[i] = Math.sqrt(dot(x[i], x[i]));
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double d = dot(x[i], x[j]);
                double v = switch (kernel) {
                    case LINEAR -> d;
                    case POLY -> Math.pow(gamma * d + 1, 3);
                    case SIGMOID -> Math.tanh(gamma * d + 1);
                    case RBF -> Math.exp(-gamma * Math.max(norms[i] * norms[i] + norms[j] * norms[j] - 2 * d, 0));
                    case COSINE -> norms[i] == 0 || norms[j] == 0 ? 0 : d / (norms[i] * norms[j]);
                };
                m[i][j] = v;
                m[j][i] = v;
            }
        }
        return m;
    }

    /** {@code M - row means - column means + overall mean}: the kernel of the centred feature space. */
    static double[][] centred(double[][] m) {
        int n = m.length;
        double[] rowMean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += m[i][j];
            }
            rowMean[i] = s / n;
            all += s;
        }
        all /= (double) n * n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                // M is symmetric, so column means equal row means.
                m[i][j] = m[i][j] - rowMean[i] - rowMean[j] + all;
            }
        }
        return m;
    }

    /**
     * The largest (algebraic) eigenvalue of a symmetric matrix and its unit eigenvector.
     *
     * @param a the matrix, {@code n x n}, symmetric
     * @param vector receives the eigenvector
     * @return the eigenvalue
     */
    static double topEigenpair(double[][] a, double[] vector) {
        int n = a.length;
        double[] start = new double[n];
        // A fixed pseudo-random start: a constant vector is orthogonal to every component of a centred kernel.
        SeededNoise noise = new SeededNoise(0x5EED);
        for (int i = 0; i < n; i++) {
            start[i] = noise.nextUniform() - 0.5;
        }
        double theta = 0;
        for (int restart = 0; restart < MAX_RESTARTS; restart++) {
            theta = lanczos(a, start, vector);
            double[] av = times(a, vector);
            double residual = 0;
            for (int i = 0; i < n; i++) {
                residual += (av[i] - theta * vector[i]) * (av[i] - theta * vector[i]);
            }
            if (Math.sqrt(residual) <= RESIDUAL * Math.max(Math.abs(theta), Double.MIN_NORMAL)) {
                return theta;
            }
            System.arraycopy(vector, 0, start, 0, n);
        }
        return theta;
    }

    /** One Lanczos run from {@code start}; writes the top Ritz vector and returns its Ritz value. */
    private static double lanczos(double[][] a, double[] start, double[] ritz) {
        int n = a.length;
        int size = Math.min(n, KRYLOV_SIZE);
        double[][] q = new double[size][];
        double[] alpha = new double[size];
        double[] beta = new double[size];
        double[] current = start.clone();
        normalise(current);
        int steps = 0;
        for (int j = 0; j < size; j++) {
            q[j] = current;
            steps = j + 1;
            double[] w = times(a, current);
            alpha[j] = dot(w, current);
            // Full reorthogonalisation, twice: keeps the basis orthogonal in floating point.
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    double c = dot(w, q[i]);
                    for (int e = 0; e < n; e++) {
                        w[e] -= c * q[i][e];
                    }
                }
            }
            double norm = Math.sqrt(dot(w, w));
            if (j + 1 == size || norm <= 1e-13 * Math.max(Math.abs(alpha[j]), 1e-300)) {
                break;
            }
            beta[j] = norm;
            for (int e = 0; e < n; e++) {
                w[e] /= norm;
            }
            current = w;
        }
        double[][] t = new double[steps][steps];
        for (int j = 0; j < steps; j++) {
            t[j][j] = alpha[j];
            if (j + 1 < steps) {
                t[j][j + 1] = beta[j];
                t[j + 1][j] = beta[j];
            }
        }
        double[][] vectors = new double[steps][steps];
        double[] values = jacobi(t, vectors);
        int top = 0;
        for (int j = 1; j < steps; j++) {
            if (values[j] > values[top]) {
                top = j;
            }
        }
        java.util.Arrays.fill(ritz, 0);
        for (int j = 0; j < steps; j++) {
            double c = vectors[j][top];
            for (int e = 0; e < n; e++) {
                ritz[e] += c * q[j][e];
            }
        }
        normalise(ritz);
        return values[top];
    }

    /**
     * Cyclic Jacobi rotations of a small symmetric matrix (destroyed).
     *
     * @param s the matrix
     * @param v receives the eigenvectors as columns
     * @return the eigenvalues, in the order of the columns
     */
    static double[] jacobi(double[][] s, double[][] v) {
        int m = s.length;
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(v[i], 0);
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diagonal = 0;
            for (int i = 0; i < m; i++) {
                diagonal += s[i][i] * s[i][i];
                for (int j = i + 1; j < m; j++) {
                    off += s[i][j] * s[i][j];
                }
            }
            if (off <= 1e-30 * Math.max(diagonal, Double.MIN_NORMAL)) {
                break;
            }
            for (int p = 0; p < m; p++) {
                for (int r = p + 1; r < m; r++) {
                    if (s[p][r] == 0) {
                        continue;
                    }
                    double tau = (s[r][r] - s[p][p]) / (2 * s[p][r]);
                    double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
                    if (tau == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double sn = t * c;
                    for (int k = 0; k < m; k++) {
                        double skp = s[k][p];
                        double skr = s[k][r];
                        s[k][p] = c * skp - sn * skr;
                        s[k][r] = sn * skp + c * skr;
                    }
                    for (int k = 0; k < m; k++) {
                        double spk = s[p][k];
                        double srk = s[r][k];
                        s[p][k] = c * spk - sn * srk;
                        s[r][k] = sn * spk + c * srk;
                    }
                    for (int k = 0; k < m; k++) {
                        double vkp = v[k][p];
                        double vkr = v[k][r];
                        v[k][p] = c * vkp - sn * vkr;
                        v[k][r] = sn * vkp + c * vkr;
                    }
                }
            }
        }
        double[] values = new double[m];
        for (int i = 0; i < m; i++) {
            values[i] = s[i][i];
        }
        return values;
    }

    private static double[] times(double[][] a, double[] v) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = dot(a[i], v);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void normalise(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
    }
}
