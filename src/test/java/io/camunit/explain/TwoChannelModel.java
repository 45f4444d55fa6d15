package io.camunit.explain;

import io.camunit.model.BlockModel;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * A hand-weighted DJL block whose numbers can be followed on paper: a 3 x 4 x 4 input, layer
 * {@value #LAYER} (a 2 x 2 stride-2 convolution with 2 channels, so a 2 x 2 layer), then global
 * average pooling and a linear layer with 2 classes.
 *
 * <ul>
 *   <li>channel 0: {@code A0 = avgpool2x2(x0) + shift0};</li>
 *   <li>channel 1: {@code A1 = 1 - avgpool2x2(x0) / 2};</li>
 *   <li>logits: {@code y0 = b0 + 2 mean(A0) - mean(A1)}, {@code y1 = -mean(A0) + 3 mean(A1)}.</li>
 * </ul>
 *
 * Input channels 1 and 2 have zero weight. {@link #input} puts 1 in the top-left 2 x 2 block of
 * channel 0, so {@code A0 = [[1, 0], [0, 0]] + shift0} and {@code A1 = [[0.5, 1], [1, 1]]}.
 */
final class TwoChannelModel {

    static final String LAYER = "01Conv2d";
    static final float[][] CLASSIFIER = {{2, -1}, {-1, 3}};

    private TwoChannelModel() {}

    /**
     * @param shift0 the bias of channel 0 (0 keeps the layer's minimum at 0)
     * @param b0 the bias of class 0
     */
    static BlockModel build(float shift0, float b0) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setFilters(2).setKernelShape(new Shape(2, 2)).optStride(new Shape(2, 2)).build())
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(2).build());
        BlockModel model = BlockModel.builder().setBlock(net).setInput(InputSpec.of(4, 4)).optName("two-channel")
                .optClasses(List.of("a", "b")).build();
        float[] conv = new float[2 * 3 * 2 * 2];
        for (int p = 0; p < 4; p++) {
            conv[p] = 0.25f;          // channel 0 <- input channel 0
            conv[12 + p] = -0.125f;   // channel 1 <- input channel 0
        }
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            NDArray array = p.getValue().getArray();
            float[] values = switch (p.getKey()) {
                case "01Conv2d_weight" -> conv;
                case "01Conv2d_bias" -> new float[] {shift0, 1};
                case "03Linear_weight" -> new float[] {CLASSIFIER[0][0], CLASSIFIER[0][1], CLASSIFIER[1][0], CLASSIFIER[1][1]};
                case "03Linear_bias" -> new float[] {b0, 0};
                default -> throw new IllegalStateException("Unexpected parameter " + p.getKey());
            };
            array.set(FloatBuffer.wrap(values));
        }
        return model;
    }

    /** Channel 0 is 1 in its top-left 2 x 2 block and 0 elsewhere; channels 1 and 2 hold 0.7 (ignored). */
    static NDArray input(NDManager scope) {
        float[] x = new float[3 * 16];
        x[0] = 1;
        x[1] = 1;
        x[4] = 1;
        x[5] = 1;
        for (int i = 16; i < 48; i++) {
            x[i] = 0.7f;
        }
        return scope.create(x, new Shape(1, 3, 4, 4));
    }
}
