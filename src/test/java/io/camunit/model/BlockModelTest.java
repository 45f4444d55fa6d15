package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.TinyCnnBlock;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
}
