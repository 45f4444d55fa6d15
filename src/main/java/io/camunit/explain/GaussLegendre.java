package io.camunit.explain;

/**
 * Gauss-Legendre quadrature on [0, 1]: {@code integral_0^1 f(a) da ~ sum_k w[k] f(a[k])}, exact for
 * polynomials of degree up to {@code 2n - 1}. The nodes are the roots of the Legendre polynomial
 * {@code P_n}, found by Newton's method from Tricomi's initial guesses, then mapped from [-1, 1];
 * the same nodes and weights as NumPy's {@code leggauss} (which Captum uses), to 1e-14.
 *
 * @param nodes {@code n} points in (0, 1), ascending
 * @param weights their weights, summing to 1
 */
record GaussLegendre(double[] nodes, double[] weights) {

    /**
     * @param n the number of nodes, at least 1
     * @return the rule
     */
    static GaussLegendre of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gauss-Legendre needs at least one node; got " + n);
        }
        double[] nodes = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            for (int iteration = 0; iteration < 100; iteration++) {
                double[] pd = legendre(n, z);
                double step = pd[0] / pd[1];
                z -= step;
                if (Math.abs(step) < 1e-16) {
                    break;
                }
            }
            double derivative = legendre(n, z)[1];
            double w = 2 / ((1 - z * z) * derivative * derivative);
            // z > 0 is the i-th largest root; -z its mirror. Mapped to [0, 1]: a = (1 + x) / 2, w / 2.
            nodes[n - 1 - i] = (1 + z) / 2;
            nodes[i] = (1 - z) / 2;
            weights[n - 1 - i] = w / 2;
            weights[i] = w / 2;
        }
        return new GaussLegendre(nodes, weights);
    }

    /** {@code P_n(z)} by the three-term recurrence, and its derivative {@code P_n'(z)}. */
    private static double[] legendre(int n, double z) {
        double p = 1;
        double previous = 0;
        for (int j = 1; j <= n; j++) {
            double older = previous;
            previous = p;
            p = ((2 * j - 1) * z * previous - (j - 1) * older) / j;
        }
        return new double[] {p, n * (z * p - previous) / (z * z - 1)};
    }
}
