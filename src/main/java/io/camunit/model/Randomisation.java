package io.camunit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

/**
 * The randomisation of the sanity check (Adebayo et al.), one parameter tensor at a time: Gaussian
 * noise with the trained tensor's own mean and standard deviation, from a seeded generator.
 *
 * <pre>{@code
 * Random random = new Random(seed);
 * Randomisation.refill(trained.getArray(), copy.getArray(), random);
 * }</pre>
 */
final class Randomisation {

    private Randomisation() {}

    /**
     * Fills {@code into} with {@code mean + std * N(0, 1)} of the values of {@code from} (the same
     * array for a copy that was loaded from the same file). Tensors of other types than float32 and
     * float64 (integer buffers) are left as they are.
     *
     * @param from the trained values
     * @param into the tensor to overwrite, of the same size and type
     * @param random the seeded generator, consumed in tensor order
     */
    static void refill(NDArray from, NDArray into, Random random) {
        DataType type = from.getDataType();
        if (type == DataType.FLOAT32) {
            float[] values = from.toFloatArray();
            double[] stats = meanAndStd(values.length, i -> values[i]);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (stats[0] + stats[1] * random.nextGaussian());
            }
            into.set(FloatBuffer.wrap(values));
        } else if (type == DataType.FLOAT64) {
            double[] values = from.toDoubleArray();
            double[] stats = meanAndStd(values.length, i -> values[i]);
            for (int i = 0; i < values.length; i++) {
                values[i] = stats[0] + stats[1] * random.nextGaussian();
            }
            into.set(DoubleBuffer.wrap(values));
        }
    }

    /** Sample standard deviation; a single value keeps its magnitude as the spread. */
    private static double[] meanAndStd(int n, java.util.function.IntToDoubleFunction value) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += value.applyAsDouble(i);
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = value.applyAsDouble(i) - mean;
            var += d * d;
        }
        return new double[] {mean, n > 1 ? Math.sqrt(var / (n - 1)) : Math.abs(mean)};
    }
}
