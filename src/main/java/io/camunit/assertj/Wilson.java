package io.camunit.assertj;

/**
 * The Wilson score interval's lower bound for a pass rate, so that a gate on 40 samples is judged
 * with the uncertainty 40 samples carry: {@code (p + z^2/2n - z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}
 * with {@code z} the one-sided normal quantile of the confidence.
 */
final class Wilson {

    private Wilson() {}

    static double lowerBound(int passed, int total, double confidence) {
        if (total == 0) {
            return 0;
        }
        double z = normalQuantile(confidence);
        double p = (double) passed / total;
        double z2 = z * z;
        double centre = p + z2 / (2.0 * total);
        double spread = z * Math.sqrt(p * (1 - p) / total + z2 / (4.0 * total * total));
        return Math.max(0, (centre - spread) / (1 + z2 / total));
    }

    /** The standard normal quantile, by bisection on the CDF (accurate to about 1e-7). */
    static double normalQuantile(double probability) {
        double lo = -10;
        double hi = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (cdf(mid) < probability) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    static double cdf(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    /** Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7. */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
