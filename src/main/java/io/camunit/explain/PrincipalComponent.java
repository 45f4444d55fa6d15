package io.camunit.explain;

/**
 * The projection of a channel-major {@code K x n} activation block on its first principal axis:
 * columns (channels over positions) are centred, the first right singular vector {@code v} of the
 * {@code n x K} matrix {@code X} is found by power iteration on {@code X^T X}, and the map is
 * {@code X v}. Its sign is chosen so that the map correlates positively with the block's total
 * per position ({@code sum_k}, before centring): high where the layer is active. Ties go to the
 * sign that makes the largest absolute value positive.
 */
final class PrincipalComponent {

    private static final int MAX_ITERATIONS = 500;
    private static final double CONVERGED = 1e-12;

    private PrincipalComponent() {}

    static float[] projection(float[] channelMajor, int channels, int positions) {
        double[][] x = new double[channels][positions];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < positions; p++) {
                mean += channelMajor[k * positions + p];
            }
            mean /= positions;
            for (int p = 0; p < positions; p++) {
                x[k][p] = channelMajor[k * positions + p] - mean;
            }
        }
        double[][] gram = new double[channels][channels];
        for (int i = 0; i < channels; i++) {
            for (int j = i; j < channels; j++) {
                double s = 0;
                for (int p = 0; p < positions; p++) {
                    s += x[i][p] * x[j][p];
                }
                gram[i][j] = s;
                gram[j][i] = s;
            }
        }
        double[] v = new double[channels];
        // Start from the diagonal: a deterministic vector that is not orthogonal to the top axis
        // unless the block is degenerate.
        for (int k = 0; k < channels; k++) {
            v[k] = Math.sqrt(gram[k][k]) + 1e-12;
        }
        normalise(v);
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            double[] next = new double[channels];
            for (int i = 0; i < channels; i++) {
                double s = 0;
                for (int j = 0; j < channels; j++) {
                    s += gram[i][j] * v[j];
                }
                next[i] = s;
            }
            if (normalise(next) == 0) {
                return new float[positions];
            }
            double change = 0;
            for (int k = 0; k < channels; k++) {
                change += (next[k] - v[k]) * (next[k] - v[k]);
            }
            v = next;
            if (change < CONVERGED) {
                break;
            }
        }
        double[] map = new double[positions];
        double agreement = 0;
        double extreme = 0;
        for (int p = 0; p < positions; p++) {
            double s = 0;
            double total = 0;
            for (int k = 0; k < channels; k++) {
                s += x[k][p] * v[k];
                total += channelMajor[k * positions + p];
            }
            map[p] = s;
            agreement += s * total;
            extreme = Math.abs(s) > Math.abs(extreme) ? s : extreme;
        }
        float sign = agreement > 0 || (agreement == 0 && extreme >= 0) ? 1 : -1;
        float[] out = new float[positions];
        for (int p = 0; p < positions; p++) {
            out[p] = (float) (sign * map[p]);
        }
        return out;
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double d : v) {
            norm += d * d;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
        return norm;
    }
}
