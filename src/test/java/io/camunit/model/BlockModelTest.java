package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.ShapesBlock;
import io.camunit.TinyCnnBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import java.util.List;

import org.junit.jupiter.api.Test;

class BlockModelTest {

    @Test
    void layersAreDottedChildPathsThroughNestedSequentialBlocks() {
        try (BlockModel model = BlockModel.builder().setBlock(TinyCnnBlock.network()).setInput(InputSpec.of(64, 64)).build()) {
            assertThat(model.layers()).startsWith("01SequentialBlock", "01SequentialBlock.01Conv2d",
                    "01SequentialBlock.02LambdaBlock");
            assertThat(model.layers()).contains("01SequentialBlock.10LambdaBlock", "02LambdaBlock", "03Linear");
            assertThat(model.layers()).hasSize(13);
        }
    }

    @Test
    void cutsInsideANestedBlockContinueThroughTheOuterOne() {
        try (BlockModel model = BlockModel.builder().setBlock(TinyCnnBlock.network()).setInput(InputSpec.of(64, 64)).build();
                NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(0), Fixtures.scene(1)));
            float[] expected = model.forward(x).toFloatArray();
            for (String layer : model.layers()) {
                float[] actual = model.head(model.features(x, layer), layer).toFloatArray();
                assertThat(actual).as(layer).containsExactly(expected, within(1e-5f));
            }
            assertThat(model.features(x, "01SequentialBlock.05LambdaBlock").get(0).getShape())
                    .isEqualTo(new Shape(2, 16, 32, 32));
        }
    }

    @Test
    void sameWeightsGiveTheSameLogitsAsTorchScript() {
        try (TorchScriptModel torch = TorchScriptModel.load(Fixtures.TINY_CNN);
                BlockModel block = TinyCnnBlock.withWeightsOf(torch);
                NDManager scope = block.newScope()) {
            NDArray x = block.toBatch(scope, List.of(Fixtures.scene(0)));
            assertThat(block.forward(x).toFloatArray())
                    .containsExactly(new float[] {0.7389150857925415f, -6.5728840827941895f, -11.757279396057129f},
                            within(1e-4f));
        }
    }

    @Test
    void unknownLayerListsTheBlockLayers() {
        try (BlockModel model = BlockModel.builder().setBlock(TinyCnnBlock.network()).setInput(InputSpec.of(64, 64))
                        .optName("tiny-block").build();
                NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, List.of(Fixtures.scene(0)));
            assertThatThrownBy(() -> model.features(x, "features.9"))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("Unknown layer 'features.9' in model tiny-block")
                    .hasMessageContaining("01SequentialBlock.10LambdaBlock");
        }
    }

    @Test
    void blockWithoutAnInputSizeIsRefused() {
        assertThatThrownBy(() -> BlockModel.builder().setBlock(TinyCnnBlock.network()).setInput(InputSpec.imageSize()).build())
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("needs an input size");
    }

    @Test
    void classifierWeightsAreTheLastLinearBlock() {
        try (BlockModel model = BlockModel.builder().setBlock(TinyCnnBlock.network()).setInput(InputSpec.of(64, 64)).build()) {
            float[][] w = model.classifierWeights();
            assertThat(w.length).isEqualTo(3);
            assertThat(w[0].length).isEqualTo(32);
        }
    }

    @Test
    void aRandomisedCopyKeepsEachWeightsMeanAndSpreadAndCopiesTheBatchNormStatistics() {
        try (BlockModel trained = ShapesBlock.load(); BlockModel random = trained.randomised(7)) {
            var before = trained.block().getParameters();
            var after = random.block().getParameters();
            assertThat(after.size()).isEqualTo(before.size());
            for (int i = 0; i < before.size(); i++) {
                Parameter p = before.get(i).getValue();
                double[] t = p.getArray().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] r = after.get(i).getValue().getArray().toType(DataType.FLOAT64, false).toDoubleArray();
                if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                    assertThat(r).as(before.get(i).getKey()).containsExactly(t);
                } else if (t.length >= 100) {
                    assertThat(r).as(before.get(i).getKey()).isNotEqualTo(t);
                    double[] ts = meanAndStd(t);
                    double[] rs = meanAndStd(r);
                    assertThat(rs[1] / ts[1]).as("spread of %s", before.get(i).getKey()).isBetween(0.8, 1.25);
                    assertThat(Math.abs(rs[0] - ts[0])).as("mean of %s", before.get(i).getKey())
                            .isLessThan(0.5 * ts[1]);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRandomisedWeights() {
        try (BlockModel trained = ShapesBlock.load(); BlockModel a = trained.randomised(7);
             BlockModel b = trained.randomised(7); BlockModel c = trained.randomised(8)) {
            float[] wa = firstWeight(a);
            assertThat(firstWeight(b)).containsExactly(wa);
            assertThat(firstWeight(c)).isNotEqualTo(wa);
        }
    }

    @Test
    void aBlockGivenAsOneInstanceCannotBeRandomisedAndTheMessageSaysHowToBuildIt() {
        try (BlockModel model = BlockModel.builder().setBlock(ShapesBlock.network()).setInput(ShapesBlock.INPUT)
                .optName("one").build()) {
            assertThatThrownBy(() -> model.randomised(7)).isInstanceOf(CamunitException.class)
                    .hasMessage("Model one (a DJL block) cannot make a randomised copy of itself: that needs a second"
                            + " instance of its network. Build it with BlockModel.builder().setBlockFactory(() ->"
                            + " <new network>) instead of setBlock(...).");
        }
    }

    @Test
    void aFactoryThatBuildsAnotherArchitectureIsRefusedNamingTheParameter() {
        int[] calls = {0};
        java.util.function.Supplier<ai.djl.nn.Block> changing = () -> calls[0]++ == 0 ? ShapesBlock.network()
                : new ai.djl.nn.SequentialBlock().add(ai.djl.nn.pooling.Pool.globalAvgPool2dBlock())
                        .add(ai.djl.nn.core.Linear.builder().setUnits(4).build());
        try (BlockModel model = BlockModel.builder().setBlockFactory(changing).setInput(ShapesBlock.INPUT)
                .optName("drifting").build()) {
            assertThatThrownBy(() -> model.randomised(7)).isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("The block factory of model drifting builds another architecture:"
                            + " parameter 0 is ")
                    .hasMessageEndingWith("The factory must build the same network every time.");
        }
    }

    private static float[] firstWeight(BlockModel m) {
        return m.block().getParameters().get(0).getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static double[] meanAndStd(double[] v) {
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return new double[] {mean, Math.sqrt(var)};
    }

    @Test
    void buildingFromAFactoryLeavesTheBuilderAsItWasSoEachBuildMakesItsOwnNetwork() {
        List<ai.djl.nn.Block> made = new java.util.ArrayList<>();
        BlockModel.Builder b = BlockModel.builder().setBlockFactory(() -> {
            ai.djl.nn.Block block = TinyCnnBlock.network();
            made.add(block);
            return block;
        }).setInput(InputSpec.of(64, 64));
        try (BlockModel first = b.build(); BlockModel second = b.build()) {
            assertThat(made).hasSize(2);
            assertThat(first.block()).isSameAs(made.get(0));
            assertThat(second.block()).isSameAs(made.get(1)).isNotSameAs(first.block());
        }
    }

    @Test
    void aBuilderChangedAfterBuildChangesNothingBuilt() {
        BlockModel.Builder b = BlockModel.builder().setBlockFactory(TinyCnnBlock::network).setInput(InputSpec.of(64, 64))
                .optName("first").optClasses(List.of("a", "b", "c"));
        try (BlockModel model = b.build()) {
            b.optName("second").optClasses(List.of("x")).setInput(InputSpec.of(32, 32));
            try (BlockModel random = model.randomised(7)) {
                assertThat(random.name()).isEqualTo("first");
                assertThat(random.classes()).containsExactly("a", "b", "c");
                assertThat(random.input()).isEqualTo(InputSpec.of(64, 64));
            }
            assertThat(model.name()).isEqualTo("first");
        }
    }
}
