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
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            return;
        }
        // Float32 values are exact in double, so one computation serves both types.
        double[] values = from.toType(DataType.FLOAT64, false).toDoubleArray();
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean);
        }
        // Sample standard deviation; a single value keeps its magnitude as the spread.
        double std = values.length > 1 ? Math.sqrt(var / (values.length - 1)) : Math.abs(mean);
        for (int i = 0; i < values.length; i++) {
            values[i] = mean + std * random.nextGaussian();
        }
        if (type == DataType.FLOAT32) {
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            into.set(FloatBuffer.wrap(floats));
        } else {
            into.set(DoubleBuffer.wrap(values));
        }
    }
}
