package io.camunit.metric;

/**
 * The Wilson score interval's lower bound for a pass rate, so that a gate on 40 samples is judged
 * with the uncertainty 40 samples carry:
 * {@code (p + z²/2n - z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)}, with {@code p} the observed pass
 * rate, {@code n} the number of samples and {@code z} the one-sided standard normal quantile of the
 * confidence. Clamped at 0; 0 when there are no samples.
 *
 * <p>The CLI's {@code --gate} and the AssertJ data-set gates both judge with it.
 *
 * <pre>{@code
 * WilsonBound.lowerBound(38, 40, 0.95);       // 0.8597...: 38 of 40 is not enough for 90 %
 * WilsonBound.lowerBound(3800, 4000, 0.95);   // 0.9440...
 * WilsonBound.normalQuantile(0.95);           // 1.6448...
 * }</pre>
 */
public final class WilsonBound {

    private WilsonBound() {}

    /**
     * @param passed how many samples passed, in [0, total]
     * @param total how many samples there are
     * @param confidence the one-sided confidence, in (0, 1), e.g. 0.95
     * @return the lower bound of the pass rate, in [0, 1]
     */
    public static double lowerBound(int passed, int total, double confidence) {
        if (passed < 0 || passed > total) {
            throw new IllegalArgumentException("passed must be in [0, total]; got " + passed + " of " + total);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1); got " + confidence);
        }
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

    /**
     * The standard normal quantile, by bisection on the CDF (accurate to about 1e-7, which is what
     * the erf approximation allows; enough for a gate).
     *
     * @param probability in (0, 1)
     * @return {@code z} with {@code P(Z <= z) = probability}
     */
    public static double normalQuantile(double probability) {
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

    /** The standard normal CDF. */
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
