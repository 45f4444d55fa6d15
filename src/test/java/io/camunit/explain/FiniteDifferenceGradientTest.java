package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The gradients camunit records equal central finite differences of the target score, on a tiny
 * float64 block whose head is non-linear (tanh, convolution, pooling, linear).
 */
class FiniteDifferenceGradientTest {

    private static final double STEP = 1e-4;

    private static BlockModel tinyBlock() {
        SequentialBlock net = new SequentialBlock()
                .add(new SequentialBlock()
                        .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                        .add(Activation.tanhBlock()))
                .add(Conv2d.builder().setFilters(5).setKernelShape(new Shape(3, 3)).build())
                .add(Activation.tanhBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(3).build());
        return BlockModel.builder().setBlock(net).setInput(InputSpec.of(8, 8)).optDataType(DataType.FLOAT64).build();
    }

    private static InputImage noise(long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return InputImage.of("noise" + seed, image);
    }

    @Test
    void recordedGradientsEqualFiniteDifferences() {
        try (BlockModel model = tinyBlock(); NDManager scope = model.newScope()) {
            String layer = "01SequentialBlock";
            NDArray batch = model.toBatch(scope, List.of(noise(1), noise(2)));
            List<Target> targets = List.of(Target.classIndex(1), Target.classIndex(2));
            LayerCapture capture = LayerCapture.take(model, batch, layer, targets, true);

            NDArray acts = model.features(batch, layer).get(0);
            assertThat(acts.getDataType()).isEqualTo(DataType.FLOAT64);
            double[] a = acts.toDoubleArray();
            Shape shape = acts.getShape();
            int perSample = a.length / 2;
            double largest = 0;
            Random pick = new Random(3);
            for (int trial = 0; trial < 40; trial++) {
                int i = pick.nextInt(a.length);
                int sample = i / perSample;
                int cls = sample == 0 ? 1 : 2;
                double up = score(model, scope, a, shape, i, STEP, layer, sample, cls);
                double down = score(model, scope, a, shape, i, -STEP, layer, sample, cls);
                double numeric = (up - down) / (2 * STEP);
                double recorded = capture.gradients().get(sample)[i - sample * perSample];
                largest = Math.max(largest, Math.abs(numeric));
                assertThat(recorded).as("dS/dA at %d", i)
                        .isCloseTo(numeric, org.assertj.core.api.Assertions.within(1e-7 + 1e-5 * Math.abs(numeric)));
            }
            assertThat(largest).as("the check compares real gradients, not zeros").isGreaterThan(1e-3);
        }
    }

    private static double score(BlockModel model, NDManager scope, double[] a, Shape shape, int index,
            double delta, String layer, int sample, int cls) {
        double[] moved = a.clone();
        moved[index] += delta;
        NDArray out = model.head(new NDList(scope.create(moved, shape)), layer);
        return out.getDouble(sample, cls);
    }
}
