package io.camunit;

import io.camunit.model.BlockModel;
import io.camunit.model.InputSpec;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

import java.nio.file.Path;
import java.util.List;

/**
 * The DJL-native shapes model: the architecture of shapes-clean (three convolution, batch norm and
 * ReLU stages, global average pooling, linear), trained in Java by
 * {@link io.camunit.fixtures.ShapesBlockTrainer}; its parameters are fixtures/models/shapes-djl.params.
 * Layer {@code 01SequentialBlock.11LambdaBlock} is the last ReLU.
 */
public final class ShapesBlock {

    public static final Path PARAMETERS = Path.of("fixtures/models/shapes-djl.params");
    public static final List<String> CLASSES = List.of("circle", "square", "triangle", "star");
    public static final InputSpec INPUT = InputSpec.of(64, 64)
            .withNormalisation(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));
    public static final String LAST_RELU = "01SequentialBlock.11LambdaBlock";

    private ShapesBlock() {}

    public static SequentialBlock network() {
        SequentialBlock features = new SequentialBlock();
        int[] filters = {16, 32, 64};
        for (int i = 0; i < filters.length; i++) {
            features.add(Conv2d.builder().setFilters(filters[i]).setKernelShape(new Shape(3, 3))
                            .optPadding(new Shape(1, 1)).build())
                    .add(BatchNorm.builder().build())
                    .add(Activation.reluBlock());
            if (i < filters.length - 1) {
                features.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
        }
        return new SequentialBlock().add(features).add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(4).build());
    }

    /** @return the trained model, from the committed parameters */
    public static BlockModel load() {
        return BlockModel.builder().setBlockFactory(ShapesBlock::network).setInput(INPUT).optName("shapes-djl")
                .optClasses(CLASSES).optParameters(PARAMETERS).build();
    }
}
