package io.camunit;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.model.BlockModel;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of fixtures/generators/tiny_cnn.py as a DJL block, its features nested:
 * layer {@code 01SequentialBlock.05LambdaBlock} is {@code features.4} and
 * {@code 01SequentialBlock.10LambdaBlock} is {@code features.9}.
 */
public final class TinyCnnBlock {

    public static final String FEATURES_4 = "01SequentialBlock.05LambdaBlock";
    public static final String FEATURES_9 = "01SequentialBlock.10LambdaBlock";

    private TinyCnnBlock() {}

    public static SequentialBlock network() {
        SequentialBlock features = new SequentialBlock()
                .add(conv(8)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(16)).add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(conv(32)).add(Activation.reluBlock())
                .add(conv(32)).add(Activation.reluBlock());
        return new SequentialBlock()
                .add(features)
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    /**
     * Copies the TorchScript file's parameters whose names start with {@code prefix}, in order, into
     * the block's parameters, checking that their count and shapes agree.
     *
     * @param source the TorchScript model
     * @param prefix the parameter name prefix to take ("" for all)
     * @param target the DJL block model of the same architecture
     */
    public static void copyWeights(TorchScriptModel source, String prefix, BlockModel target) {
        List<Parameter> from = new ArrayList<>();
        for (Pair<String, Parameter> p : source.block().getDirectParameters()) {
            if (p.getKey().startsWith(prefix)) {
                from.add(p.getValue());
            }
        }
        List<Parameter> to = new ArrayList<>();
        for (Pair<String, Parameter> p : target.block().getParameters()) {
            to.add(p.getValue());
        }
        assertThat(to).hasSameSizeAs(from);
        for (int i = 0; i < to.size(); i++) {
            NDArray src = from.get(i).getArray();
            NDArray dst = to.get(i).getArray();
            assertThat(dst.getShape()).as(to.get(i).getName()).isEqualTo(src.getShape());
            dst.set(FloatBuffer.wrap(src.toFloatArray()));
        }
    }

    /** tiny-cnn's trained weights in the DJL block: the same network, run by DJL operators. */
    public static BlockModel withWeightsOf(TorchScriptModel source) {
        BlockModel model = BlockModel.builder().setBlock(network()).setInput(source.input())
                .optName("tiny-cnn-block").optClasses(source.classes()).build();
        copyWeights(source, "", model);
        return model;
    }
}
