package io.camunit.explain;

/**
 * The random numbers of the stochastic methods (SmoothGrad, Smooth Grad-CAM++, RISE, SS-CAM, the random
 * control): SplitMix64 for uniform values and Box-Muller for Gaussian ones. Chosen over
 * {@code java.util.Random} because
 * the sequence is fully specified in a few lines, so the Python fixture generators
 * ({@code fixtures/generators/seeded_noise.py}) draw bit-identical numbers and their golden maps
 * can be compared with ours. Not thread-safe: one instance per computation.
 *
 * <pre>{@code
 * SeededNoise noise = new SeededNoise(42);
 * float[] eps = noise.gaussians(3 * 64 * 64, 0.15);   // N(0, 0.15^2), as float32
 * }</pre>
 */
public final class SeededNoise {

    private long state;

    /** @param seed the seed; the same seed gives the same sequence on every machine */
    public SeededNoise(long seed) {
        this.state = seed;
    }

    /** @return the next 64 random bits (SplitMix64) */
    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return a uniform value in [0, 1) with 53 random bits */
    public double nextUniform() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Gaussian values by Box-Muller, two per pair of uniforms {@code u1, u2}:
     * {@code r = sqrt(-2 ln(1 - u1))}, then {@code r cos(2 pi u2)} and {@code r sin(2 pi u2)}.
     *
     * @param count how many values
     * @param std the standard deviation
     * @return {@code count} values of N(0, std^2), rounded to float
     */
    public float[] gaussians(int count, double std) {
        float[] out = new float[count];
        for (int i = 0; i < count; i += 2) {
            double r = Math.sqrt(-2 * Math.log(1 - nextUniform()));
            double theta = 2 * Math.PI * nextUniform();
            out[i] = (float) (std * r * Math.cos(theta));
            if (i + 1 < count) {
                out[i + 1] = (float) (std * r * Math.sin(theta));
            }
        }
        return out;
    }

    /**
     * @param count how many values
     * @return {@code count} uniform values in [0, 1), rounded to float
     */
    public float[] uniforms(int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) nextUniform();
        }
        return out;
    }
}
