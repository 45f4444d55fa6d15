package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.TinyCnnBlock;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Guided Backpropagation on {@link HandBuiltModels#negativePath()}: {@code S = mean_p (2 relu(r) -
 * 3 relu(g))} over a 2 x 2 image whose red and green values are +1 or -1. Plain backpropagation
 * gives {@code dS/dr = 2/4} where {@code r > 0} and {@code dS/dg = -3/4} where {@code g > 0}; the
 * guided rule also stops the negative {@code -3/4} at the ReLU.
 */
class GuidedBackpropTest {

    /** Pixels (red, green): (+,+), (-,+) / (+,-), (-,-); blue is irrelevant. */
    private static InputImage signs() {
        return HandBuiltModels.image("signs", new int[][] {{0xFFFF00, 0x00FF80}, {0xFF0040, 0x0000FF}});
    }

    @Test
    void guidedBackpropPassesOnlyPositiveGradientsThroughPositiveInputs() {
        try (BlockModel model = HandBuiltModels.negativePath()) {
            Explanation guided = Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build()
                    .explain(model, signs(), Target.classIndex(0));
            Explanation plain = Explainer.builder().setMethod(Method.GRADIENT).build()
                    .explain(model, signs(), Target.classIndex(0));

            assertThat(guided.score()).isCloseTo(((2 - 3) + (0 - 3) + (2 - 0) + (0 - 0)) / 4.0, within(1e-6));
            assertThat(plain.raw().toArray()).containsExactly(0.75f, 0.75f, 0.5f, 0f);
            assertThat(guided.raw().toArray()).containsExactly(0.5f, 0f, 0.5f, 0f);
        }
    }

    @Test
    void guidedGradientsPerChannelKeepOnlyTheRedPath() {
        try (BlockModel model = HandBuiltModels.negativePath(); NDManager scope = model.newScope()) {
            NDArray batch = model.toBatch(scope, List.of(signs()));
            float[] g = GuidedBackprop.guidedGradients(model, batch, List.of(Target.classIndex(0))).values();
            // Channel-major: red, green, blue planes of 2 x 2.
            assertThat(g).containsExactly(0.5f, 0f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        }
    }

    @Test
    void guidedReluRuleIsReluOfTheGradientWhereTheInputIsPositive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {-1, 2, 3, 0, 4});
            NDArray g = manager.create(new float[] {5, -1, 2, 7, 0.5f});
            assertThat(GuidedBackprop.guidedRelu(x, g).toFloatArray()).containsExactly(0f, 0f, 2f, 0f, 0.5f);
        }
    }

    @Test
    void guidedGradCamIsGuidedBackpropTimesTheUpsampledGradCam() {
        try (BlockModel model = TinyCnnBlock.withWeightsOf(Fixtures.tinyCnn())) {
            InputImage image = Fixtures.scene(2);
            Heatmap guided = Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build()
                    .explain(model, image, Target.predicted()).raw();
            Heatmap gradCam = Explainer.of(Method.GRAD_CAM, TinyCnnBlock.FEATURES_9).explain(model, image, Target.predicted())
                    .raw();
            Explanation e = Explainer.of(Method.GUIDED_GRAD_CAM, TinyCnnBlock.FEATURES_9)
                    .explain(model, image, Target.predicted());

            float[] product = new float[64 * 64];
            for (int p = 0; p < product.length; p++) {
                product[p] = guided.toArray()[p] * gradCam.toArray()[p];
            }
            assertThat(e.layers()).containsExactly(TinyCnnBlock.FEATURES_9);
            assertThat(e.raw().max()).isPositive();
            assertThat(e.raw().maxAbsDifference(Heatmap.of(64, 64, product))).isLessThan(1e-6 * e.raw().max());
        }
    }

    @Test
    void torchScriptModelsAreRefusedWithTheMethodsThatWorkOnThem() {
        assertThatThrownBy(() -> Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build()
                .explain(Fixtures.tinyCnn(), Fixtures.scene(0), Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessage("guided-backprop needs a DJL block model (io.camunit.model.BlockModel) with ReLU"
                        + " activations (Activation.reluBlock()), whose backward pass camunit replaces; model"
                        + " tiny-cnn.pt is a TorchScriptModel, run as one opaque module. Use gradient or smoothgrad,"
                        + " which work on any model.");
        assertThatThrownBy(() -> Explainer.of(Method.GUIDED_GRAD_CAM, "features.9")
                .explain(Fixtures.tinyCnn(), Fixtures.scene(0), Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("guided-grad-cam needs a DJL block model")
                .hasMessageContaining("Use grad-cam (at a layer) or gradient and smoothgrad (at the input)");
    }

    @Test
    void aReluInsideAResidualBlockIsOutOfReachAndRefused() {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setFilters(2).setKernelShape(new Shape(1, 1)).build())
                .add(new ParallelBlock(branches -> new NDList(branches.get(0).singletonOrThrow()
                        .add(branches.get(1).singletonOrThrow())),
                        List.of(new SequentialBlock().add(Activation.reluBlock()), Blocks.identityBlock())))
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(2).build());
        try (BlockModel model = BlockModel.builder().setBlock(net).setInput(HandBuiltModels.spec(4, 4))
                .optName("residual").build()) {
            assertThatThrownBy(() -> Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build()
                    .explain(model, HandBuiltModels.noise(4, 4, 1), Target.classIndex(0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model residual: block '02ParallelBlock' (ParallelBlock) holds a ReLU"
                            + " that guided backpropagation cannot reach");
        }
    }

    @Test
    void aNetworkWithoutReluIsRefused() {
        try (BlockModel model = HandBuiltModels.linear(2, 2, 2, 1)) {
            assertThatThrownBy(() -> Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build()
                    .explain(model, HandBuiltModels.noise(2, 2, 1), Target.classIndex(0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("Model linear has no ReLU step")
                    .hasMessageEndingWith("Use gradient, which it would equal.");
        }
    }
}
