package io.camunit.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A known-answer check of the engine's convolutions: for each {@link Case}, the engine computes a
 * convolution's output (what every method needs) and its gradient with respect to the input (what
 * every gradient method needs, at the input or back through a network's head), and plain Java
 * computes both exactly.
 *
 * <p>Inputs, weights and the upstream gradient are small integers (-2 to 2), so every product and
 * every partial sum is an integer far below 2^24: exact in float32 whatever the summation order, so
 * direct, im2col and GEMM kernels must give the exact answer. Kernels that transform their operands
 * (Winograd) round; for them the allowed error of a value is the float32 bound of a sum of n terms,
 * {@code 2 γ_n Σ|terms|} with {@code γ_n = n u / (1 - n u)} and {@code u = 2^-24} (Higham, Accuracy
 * and Stability of Numerical Algorithms, 2nd ed., section 3.1), doubled for the transforms. The
 * faults this check exists for are relative errors of 0.3 to 1 and non-finite values.
 *
 * <p>The cases are full (not grouped) 3 x 3 and 5 x 5 stride-1 convolutions whose channel counts
 * are not multiples of 8 or 16 (where oneDNN's vectorised kernels pad channels), at sizes and
 * batches at which PyTorch chooses those kernels, plus a 16-channel control.
 *
 * <pre>{@code
 * ConvolutionProbe probe = new ConvolutionProbe();
 * ConvolutionProbe.Report report = probe.run(ConvolutionKernels.ONEDNN, Spoil.NOTHING);
 * report.passed();
 * }</pre>
 */
public final class ConvolutionProbe {

    /** One convolution: channels in and out, a square kernel, a square input and a batch. */
    public record Case(int in, int out, int kernel, int size, int batch) {

        /** @return e.g. {@code 3->12 channels 3x3 at 160x160, batch 1} */
        public String describe() {
            return in + "->" + out + " channels " + kernel + "x" + kernel + " at " + size + "x" + size
                    + ", batch " + batch;
        }
    }

    /**
     * What the engine gave for one case.
     *
     * @param probeCase the case
     * @param forwardError the largest difference of an output value from the exact one, relative to
     *     the largest exact output value; {@link Double#POSITIVE_INFINITY} when a value is not finite
     * @param gradientError the same for the input gradient
     * @param forwardPassed whether every output value is finite and within its allowed error
     * @param gradientPassed the same for the input gradient
     */
    public record Result(Case probeCase, double forwardError, double gradientError, boolean forwardPassed,
            boolean gradientPassed) {

        /** @return whether output and gradient passed */
        public boolean passed() {
            return forwardPassed && gradientPassed;
        }

        /** @return e.g. {@code 3->12 channels 3x3 at 160x160, batch 1: input gradient off by 43 % ...} */
        public String describe() {
            List<String> wrong = new ArrayList<>(2);
            if (!forwardPassed) {
                wrong.add("output " + error(forwardError));
            }
            if (!gradientPassed) {
                wrong.add("input gradient " + error(gradientError));
            }
            return probeCase.describe() + ": " + (wrong.isEmpty() ? "exact within float32 rounding" : String.join(", ", wrong));
        }

        private static String error(double relative) {
            return Double.isInfinite(relative) ? "not finite"
                    : String.format(Locale.ROOT, "off by %.0f %% of the largest value", 100 * relative);
        }
    }

    /** What a simulated fault spoils before the comparison (a test switch; see {@link EngineCheck}). */
    enum Spoil { NOTHING, GRADIENTS, OUTPUTS_AND_GRADIENTS }

    /**
     * The check with one kind of kernels.
     *
     * @param kernels the kernels that computed the convolutions
     * @param results one per case, in {@link #CASES} order
     * @param nanos the time the check took
     * @param simulatedFault whether the engine's answers were deliberately spoiled (a test switch)
     */
    public record Report(ConvolutionKernels kernels, List<Result> results, long nanos, boolean simulatedFault) {

        public Report {
            results = List.copyOf(results);
        }

        /** @return whether every case passed, outputs and gradients */
        public boolean passed() {
            return results.stream().allMatch(Result::passed);
        }

        /** @return whether every case's outputs passed */
        public boolean forwardPassed() {
            return results.stream().allMatch(Result::forwardPassed);
        }

        /** @return the cases that failed */
        public List<Result> failures() {
            return results.stream().filter(r -> !r.passed()).toList();
        }
    }

    /** The cases; their exact answers take Java about 0.1 s once compiled. */
    static final List<Case> CASES = List.of(
            new Case(3, 8, 3, 160, 1),
            new Case(3, 12, 3, 160, 1),
            new Case(10, 10, 3, 80, 1),
            new Case(8, 8, 3, 64, 4),
            new Case(12, 12, 5, 32, 2),
            new Case(24, 24, 3, 40, 2),
            new Case(40, 40, 3, 24, 1),
            new Case(16, 16, 3, 32, 1));

    /** float32's unit roundoff. */
    private static final double U = 0x1p-24;

    /** The inputs of one case and their exact answers. */
    private record Problem(float[] x, float[] w, float[] g, Exact forward, Exact gradient) {}

    /**
     * Selects {@code kernels} for the JVM and runs every case with them.
     *
     * @param kernels the kernels to check
     * @param spoil what to halve in the engine's answers before comparing them, as a faulty engine
     *     would spoil them (for tests of the detection on machines whose engine is correct)
     * @return the report
     */
    Report run(ConvolutionKernels kernels, Spoil spoil) {
        long start = System.nanoTime();
        kernels.select();
        List<Result> results = new ArrayList<>(CASES.size());
        for (Case c : CASES) {
            results.add(check(c, spoil));
        }
        return new Report(kernels, results, System.nanoTime() - start, spoil != Spoil.NOTHING);
    }

    /**
     * @param c the case
     * @param spoil what to spoil
     * @return the engine's answer compared with the exact one, on the kernels now selected
     */
    Result check(Case c, Spoil spoil) {
        // Computed per check rather than kept: the exact answers of all cases take tens of megabytes,
        // and the check runs in the user's JVM, whose heap may be small.
        Problem problem = problem(c);
        float[] x = problem.x();
        float[] w = problem.w();
        float[] g = problem.g();
        float[] y;
        float[] dx;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray input = manager.create(x, new Shape(c.batch(), c.in(), c.size(), c.size()));
            NDArray weight = manager.create(w, new Shape(c.out(), c.in(), c.kernel(), c.kernel()));
            NDArray upstream = manager.create(g, new Shape(c.batch(), c.out(), c.size(), c.size()));
            input.setRequiresGradient(true);
            int pad = c.kernel() / 2;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray output = Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(pad, pad),
                        new Shape(1, 1), 1).singletonOrThrow();
                y = output.toFloatArray();
                collector.backward(output.mul(upstream).sum());
            }
            dx = input.getGradient().toFloatArray();
        }
        if (spoil != Spoil.NOTHING) {
            halve(dx);
        }
        if (spoil == Spoil.OUTPUTS_AND_GRADIENTS) {
            halve(y);
        }
        Exact forward = problem.forward();
        Exact gradient = problem.gradient();
        double forwardError = forward.relativeError(y);
        double gradientError = gradient.relativeError(dx);
        return new Result(c, forwardError, gradientError, forward.withinBound(y, c.in() * c.kernel() * c.kernel()),
                gradient.withinBound(dx, c.out() * c.kernel() * c.kernel()));
    }

    private static Problem problem(Case c) {
        SplittableRandom random = new SplittableRandom(31L * c.in() + 7L * c.out() + c.size() + c.batch());
        float[] x = integers(random, c.batch() * c.in() * c.size() * c.size());
        float[] w = integers(random, c.out() * c.in() * c.kernel() * c.kernel());
        float[] g = integers(random, c.batch() * c.out() * c.size() * c.size());
        return new Problem(x, w, g, forward(c, x, w), inputGradient(c, g, w));
    }

    private static void halve(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= 0.5f;
        }
    }

    private static float[] integers(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(5) - 2;
        }
        return v;
    }

    /** Exact values and, per value, the sum of its terms' magnitudes (for the rounding bound). */
    private record Exact(double[] values, double[] magnitudes) {

        double relativeError(float[] engine) {
            double largest = 0;
            double error = 0;
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(engine[i])) {
                    return Double.POSITIVE_INFINITY;
                }
                largest = Math.max(largest, Math.abs(values[i]));
                error = Math.max(error, Math.abs(engine[i] - values[i]));
            }
            return largest == 0 ? error : error / largest;
        }

        boolean withinBound(float[] engine, int terms) {
            double gamma = terms * U / (1 - terms * U);
            for (int i = 0; i < values.length; i++) {
                // Written so that a NaN fails: the comparison is false.
                if (!(Math.abs(engine[i] - values[i]) <= 4 * gamma * magnitudes[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    /** {@code y[b,o,p,q] = Σ_i Σ_ky Σ_kx x[b,i,p+ky-pad,q+kx-pad] w[o,i,ky,kx]}, zero padding. */
    private static Exact forward(Case c, float[] x, float[] w) {
        int s = c.size();
        int k = c.kernel();
        int pad = k / 2;
        double[] y = new double[c.batch() * c.out() * s * s];
        double[] m = new double[y.length];
        for (int b = 0; b < c.batch(); b++) {
            for (int o = 0; o < c.out(); o++) {
                int outBase = (b * c.out() + o) * s * s;
                for (int i = 0; i < c.in(); i++) {
                    int inBase = (b * c.in() + i) * s * s;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            double weight = w[((o * c.in() + i) * k + ky) * k + kx];
                            accumulate(y, m, outBase, x, inBase, weight, s, ky - pad, kx - pad);
                        }
                    }
                }
            }
        }
        return new Exact(y, m);
    }

    /** {@code dx[b,i,p,q] = Σ_o Σ_ky Σ_kx g[b,o,p-ky+pad,q-kx+pad] w[o,i,ky,kx]}. */
    private static Exact inputGradient(Case c, float[] g, float[] w) {
        int s = c.size();
        int k = c.kernel();
        int pad = k / 2;
        double[] dx = new double[c.batch() * c.in() * s * s];
        double[] m = new double[dx.length];
        for (int b = 0; b < c.batch(); b++) {
            for (int i = 0; i < c.in(); i++) {
                int inBase = (b * c.in() + i) * s * s;
                for (int o = 0; o < c.out(); o++) {
                    int outBase = (b * c.out() + o) * s * s;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            double weight = w[((o * c.in() + i) * k + ky) * k + kx];
                            accumulate(dx, m, inBase, g, outBase, weight, s, pad - ky, pad - kx);
                        }
                    }
                }
            }
        }
        return new Exact(dx, m);
    }

    /**
     * {@code target[p,q] += weight * source[p+dy, q+dx]} over the positions where the source index
     * lies inside the plane (zero padding), and the magnitudes likewise.
     */
    private static void accumulate(double[] target, double[] magnitudes, int targetBase, float[] source,
            int sourceBase, double weight, int s, int dy, int dx) {
        if (weight == 0) {
            return;
        }
        double size = Math.abs(weight);
        int p0 = Math.max(0, -dy);
        int p1 = Math.min(s, s - dy);
        int q0 = Math.max(0, -dx);
        int q1 = Math.min(s, s - dx);
        for (int p = p0; p < p1; p++) {
            int t = targetBase + p * s;
            int from = sourceBase + (p + dy) * s + dx;
            for (int q = q0; q < q1; q++) {
                double v = source[from + q];
                target[t + q] += weight * v;
                magnitudes[t + q] += size * Math.abs(v);
            }
        }
    }
}
