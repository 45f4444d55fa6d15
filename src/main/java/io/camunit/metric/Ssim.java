package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;

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
            throw new CamunitException("SSIM compares maps of one size; got " + w + " x " + h + " and "
                    + b.width() + " x " + b.height() + ".");
        }
        if (w < WINDOW || h < WINDOW) {
            throw new CamunitException("SSIM needs maps of at least 7 x 7; got " + w + " x " + h + ".");
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
        double sum = 0;
        int windows = 0;
        for (int top = 0; top + WINDOW <= h; top++) {
            for (int left = 0; left + WINDOW <= w; left++) {
                double mx = 0;
                double my = 0;
                double mxx = 0;
                double myy = 0;
                double mxy = 0;
                for (int j = top; j < top + WINDOW; j++) {
                    for (int i = left; i < left + WINDOW; i++) {
                        double u = x[j * w + i];
                        double v = y[j * w + i];
                        mx += u;
                        my += v;
                        mxx += u * u;
                        myy += v * v;
                        mxy += u * v;
                    }
                }
                mx /= n;
                my /= n;
                double vx = covNorm * (mxx / n - mx * mx);
                double vy = covNorm * (myy / n - my * my);
                double vxy = covNorm * (mxy / n - mx * my);
                sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                windows++;
            }
        }
        return sum / windows;
    }
}
