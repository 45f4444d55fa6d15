package io.camunit.explain;

import io.camunit.model.BlockModel;
import io.camunit.model.InputSpec;
import io.camunit.model.Task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;

/**
 * A DJL detector of the detector convention with one candidate per image quadrant: a 1 x 1
 * convolution and ReLU (the layer, {@code 01SequentialBlock}), average pooling over each quadrant,
 * a 1 x 1 convolution to {@code 4 + 1 + K} values per quadrant, and fixed offsets added: candidate
 * {@code m} (quadrants in row order: top-left, top-right, bottom-left, bottom-right) is the quadrant's
 * box in input pixels, objectness 0 and class logit {@code classes[m]} raised by 5, plus the
 * convolution's small seeded output. So candidate m is predicted as {@code classes[m]} and its box
 * is its quadrant to within a few hundredths of a pixel.
 */
public final class HandBuiltDetector {

    /** The layer to explain. */
    public static final String LAYER = "01SequentialBlock";

    private HandBuiltDetector() {}

    /**
     * @param width the input width, even
     * @param height the input height, even
     * @param k the number of classes
     * @param classes the class each quadrant's candidate predicts
     * @param scale how far the convolution moves the fixed values (its weights' standard deviation)
     * @param boxScale 1 for boxes in input pixels; {@code 1 / width} gives normalised boxes, for
     *     the test of other units
     * @param candidates how many of the four candidates the output keeps (0 for none)
     * @param names class names, possibly empty
     * @return the model
     */
    public static BlockModel of(int width, int height, int k, int[] classes, double scale, double boxScale,
            int candidates, List<String> names) {
        int d = 5 + k;
        float[] fixed = new float[4 * d];
        for (int m = 0; m < 4; m++) {
            int qx = m % 2;
            int qy = m / 2;
            fixed[m * d] = (float) (qx * width / 2 * boxScale);
            fixed[m * d + 1] = (float) (qy * height / 2 * boxScale);
            fixed[m * d + 2] = (float) ((qx + 1) * width / 2 * boxScale);
            fixed[m * d + 3] = (float) ((qy + 1) * height / 2 * boxScale);
            fixed[m * d + 5 + classes[m]] = 5;
        }
        Conv2d hidden = Conv2d.builder().setFilters(4).setKernelShape(new Shape(1, 1)).build();
        Conv2d head = Conv2d.builder().setFilters(d).setKernelShape(new Shape(1, 1)).build();
        SequentialBlock net = new SequentialBlock()
                .add(new SequentialBlock().add(hidden).add(Activation.reluBlock()))
                .add(Pool.avgPool2dBlock(new Shape(height / 2, width / 2)))
                .add(head)
                .add(new LambdaBlock(list -> {
                    NDArray x = list.singletonOrThrow();
                    long n = x.getShape().get(0);
                    NDArray boxes = x.reshape(n, d, 4).transpose(0, 2, 1)
                            .add(x.getManager().create(fixed, new Shape(1, 4, d)));
                    return new NDList(candidates == 4 ? boxes : boxes.get(":, 0:" + candidates + ", :"));
                }));
        BlockModel model = BlockModel.builder().setBlock(net).setInput(HandBuiltModels.spec(width, height))
                .optName("quadrant-detector").optClasses(names).optTask(Task.DETECTION).build();
        Random random = new Random(7);
        set(hidden, gaussians(random, 4 * 3, 1), gaussians(random, 4, 1));
        set(head, gaussians(random, d * 4, scale), gaussians(random, d, scale));
        return model;
    }

    /** @return a 16 x 16 detector of 3 classes whose quadrants predict classes 0, 1, 2, 1 */
    public static BlockModel small() {
        return of(16, 16, 3, new int[] {0, 1, 2, 1}, 0.05, 1, 4, List.of());
    }

    /** @return the input spec of a {@code width x height} detector */
    public static InputSpec spec(int width, int height) {
        return HandBuiltModels.spec(width, height);
    }

    private static float[] gaussians(Random random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * scale);
        }
        return v;
    }

    private static void set(Conv2d conv, float[] w, float[] b) {
        conv.getParameters().get("weight").getArray().set(FloatBuffer.wrap(w));
        conv.getParameters().get("bias").getArray().set(FloatBuffer.wrap(b));
    }
}
