package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.ImageSize;

/**
 * Structural similarity of two maps (Wang et al. 2004), with the conventions of scikit-image's
 * {@code structural_similarity} defaults that Adebayo et al. used: 7 x 7 uniform windows, sample
 * covariance, {@code C1 = (0.01 L)^2}, {@code C2 = (0.03 L)^2} with data range {@code L}, mean over
 * the windows that fit inside the image. Meant for normalised (display) maps, {@code L = 1}.
 *
 * <pre>{@code
 * double s = Ssim.of(trained.display(), randomised.display(), 1.0);
 * }</pre>
 */
public final class Ssim {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "ssim";
    private static final int WINDOW = 7;

    private Ssim() {}

    /**
     * @param a a map
     * @param b a map of the same size, at least 7 x 7
     * @param dataRange the value range {@code L} (1 for display maps)
     * @return the mean SSIM, in [-1, 1]
     */
    public static double of(Heatmap a, Heatmap b, double dataRange) {
        int w = a.width();
        int h = a.height();
        if (b.width() != w || b.height() != h) {
            throw new CamunitException("SSIM compares maps of one size; got " + ImageSize.format(w, h) + " and "
                    + ImageSize.format(b.width(), b.height()) + ".");
        }
        if (w < WINDOW || h < WINDOW) {
            throw new CamunitException("SSIM needs maps of at least 7 x 7; got " + ImageSize.format(w, h) + ".");
        }
        if (!a.isFinite() || !b.isFinite()) {
            throw new DegenerateMapException("SSIM of a map with NaN or infinite values is undefined.");
        }
        float[] x = a.toArray();
        float[] y = b.toArray();
        double c1 = Math.pow(0.01 * dataRange, 2);
        double c2 = Math.pow(0.03 * dataRange, 2);
        int n = WINDOW * WINDOW;
        double covNorm = n / (n - 1.0);
        // Summed-area tables make every window's sums O(1).
        double[] sx = integral(x, null, w, h);
        double[] sy = integral(y, null, w, h);
        double[] sxx = integral(x, x, w, h);
        double[] syy = integral(y, y, w, h);
        double[] sxy = integral(x, y, w, h);
        double sum = 0;
        int windows = 0;
        for (int top = 0; top + WINDOW <= h; top++) {
            for (int left = 0; left + WINDOW <= w; left++) {
                double mx = window(sx, w, left, top) / n;
                double my = window(sy, w, left, top) / n;
                double vx = covNorm * (window(sxx, w, left, top) / n - mx * mx);
                double vy = covNorm * (window(syy, w, left, top) / n - my * my);
                double vxy = covNorm * (window(sxy, w, left, top) / n - mx * my);
                sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        }
        return sum / windows;
    }

    /** Sums of {@code u} (or {@code u * v}) over {@code [0, x) x [0, y)}, on a (w + 1) x (h + 1) grid. */
    private static double[] integral(float[] u, float[] v, int w, int h) {
        double[] s = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                double value = v == null ? u[y * w + x] : (double) u[y * w + x] * v[y * w + x];
                row += value;
                s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
            }
        }
        return s;
    }

    private static double window(double[] s, int w, int left, int top) {
        int stride = w + 1;
        int x1 = left + WINDOW;
        int y1 = top + WINDOW;
        return s[y1 * stride + x1] - s[top * stride + x1] - s[y1 * stride + left] + s[top * stride + left];
    }
}
