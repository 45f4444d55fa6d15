package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.ForwardingModel;
import io.camunit.metric.DegenerateMapException;
import io.camunit.metric.MassInside;
import io.camunit.model.BlockModel;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.InputSpec;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * Models that misbehave: non-finite outputs, activations or gradients, and batches too large for
 * memory. Each is a small DJL block: conv (layer {@code 01Conv2d}), then the fault, then global
 * average pooling and a linear layer over 3 classes.
 */
class ModelFaultsTest {

    private static final List<String> CLASSES = List.of("circle", "square", "triangle");

    private static Block lambda(Function<NDArray, NDArray> f) {
        return new LambdaBlock(list -> new NDList(f.apply(list.singletonOrThrow())));
    }

    private static CamModel model(String name, Block afterConv, Block afterLinear) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(afterConv)
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(3).build())
                .add(afterLinear);
        return BlockModel.builder().setBlock(net).setInput(InputSpec.of(16, 16)).optName(name).optClasses(CLASSES)
                .build();
    }

    private static InputImage image() {
        return Fixtures.scene(0);
    }

    @Test
    void aModelWhoseLogitsAreNanIsRefusedNamingTheImage() {
        // 0 / 0 for every logit.
        try (CamModel nan = model("nan-logits", Activation.reluBlock(), lambda(x -> x.sub(x).div(x.sub(x))))) {
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, "01Conv2d").explain(nan, image(), Target.predicted()))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Model nan-logits gives a non-finite score (NaN) for predicted class on image "
                            + image().id() + ", so there is nothing to explain. Check the image and the input"
                            + " normalisation (" + nan.input() + ").");
        }
    }

    @Test
    void aModelWhoseLogitsAreInfiniteIsRefused() {
        try (CamModel inf = model("infinite-logits", Activation.reluBlock(), lambda(x -> x.div(0)))) {
            assertThatThrownBy(() -> Explainer.of(Method.LAYER_CAM, "01Conv2d").explain(inf, image(),
                    Target.classIndex(1)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model infinite-logits gives a non-finite score (")
                    .hasMessageContaining("Infinity) for class 1 on image " + image().id());
        }
    }

    @Test
    void infiniteActivationsBehindAFiniteScoreGiveNoMapButAnError() {
        // Activations divided by zero are +-Infinity; the head clips them, so the score is finite,
        // but Grad-CAM's map (weights times activations) is not.
        Block clipped = new SequentialBlock().add(lambda(x -> x.div(0))).add(lambda(x -> x.clip(-1, 1)));
        try (CamModel model = BlockModel.builder().setBlock(new SequentialBlock()
                        .add(Conv2d.builder().setFilters(4).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                        .add(clipped)
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Linear.builder().setUnits(3).build()))
                .setInput(InputSpec.of(16, 16)).optName("infinite-activations").optClasses(CLASSES).build()) {
            String layer = "02SequentialBlock.01LambdaBlock";
            assertThat(model.layers()).contains(layer);
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, layer).explain(model, image(), Target.classIndex(0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Model infinite-activations produces non-finite activations or gradients"
                            + " at layer '" + layer + "' for image " + image().id() + " (class 0, score ")
                    .hasMessageEndingWith("); a map cannot be computed. Check the model for overflow on this input.");
        }
    }

    @Test
    void aMapWithNanIsNeverMeasuredAsAPassOrAsNan() {
        float[] values = new float[16];
        values[3] = Float.NaN;
        io.camunit.heatmap.Heatmap map = io.camunit.heatmap.Heatmap.of(4, 4, values);
        assertThatThrownBy(() -> MassInside.of(map, Box.coco(0, 0, 2, 2).toMask(4, 4)))
                .isInstanceOf(DegenerateMapException.class);
    }

    @Test
    void aBatchLargerThanOneTensorCanHoldIsRefusedBeforeAnyWorkWithASmallerBatchSuggested() {
        // 3 images x 3 x 8192 x 8192 floats is more bytes than one buffer holds; nothing is resized yet.
        assertThat(refusedBatch(8192, 3)).isEqualTo("A batch of 3 images at 8192x8192 needs 2415919104 bytes of"
                + " input, more than one tensor buffer can hold (2147483639). Explain fewer images at a time: camunit"
                + " evaluate --batch 2 or less, or Explainer.explainAll(model, samples, batchSize) with a smaller"
                + " batch size.");
    }

    @Test
    void anImageLargerThanOneTensorCanHoldIsRefusedWithASmallerInputSizeSuggested() {
        assertThat(refusedBatch(16384, 1)).isEqualTo("A batch of 1 image at 16384x16384 needs 3221225472 bytes"
                + " of input, more than one tensor buffer can hold (2147483639). Use a smaller input size (--size,"
                + " InputSpec).");
    }

    @Test
    void anInputSizeWhoseValuesOverflowAnIntIsRefusedToo() {
        // 3 x 30000 x 30000 values do not fit in an int: the check counts in longs.
        assertThat(refusedBatch(30000, 1)).isEqualTo("A batch of 1 image at 30000x30000 needs 10800000000 bytes"
                + " of input, more than one tensor buffer can hold (2147483639). Use a smaller input size (--size,"
                + " InputSpec).");
    }

    /**
     * The message of toBatch for images at {@code size} x {@code size}, on a model that only claims
     * that input size (a block built at it would allocate its shape inference input).
     */
    private static String refusedBatch(int size, int images) {
        try (CamModel tiny = TorchScriptModel.load(Fixtures.TINY_CNN); NDManager scope = tiny.newScope()) {
            CamModel claimed = new ForwardingModel(tiny) {
                @Override
                public InputSpec input() {
                    return InputSpec.of(size, size);
                }
            };
            return assertThrows(CamunitException.class,
                    () -> claimed.toBatch(scope, Collections.nCopies(images, image()))).getMessage();
        }
    }

    @Test
    void theEnginesOutOfMemoryErrorBecomesAMessageSuggestingHalfTheBatch() {
        // A layer that needs 2^40 floats (4 TiB) per image of a batch: PyTorch's allocator refuses at
        // once. (DJL initialises the block with a batch of one, which must pass.)
        Block greedy = lambda(x -> x.getShape().get(0) > 1
                ? x.add(x.getManager().zeros(new Shape(x.getShape().get(0), 1L << 40)).sum()) : x);
        try (CamModel model = model("greedy", greedy, lambda(x -> x))) {
            List<InputImage> images = Collections.nCopies(4, image());
            List<Target> targets = Collections.nCopies(4, Target.classIndex(0));
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, "01Conv2d").explain(model, images, targets))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageStartingWith("Out of memory explaining a batch of 4 images at 16x16 with grad-cam at"
                            + " [01Conv2d] in model greedy (the input tensor alone is 0.0 MiB; activations and gradients"
                            + " need several times that): ")
                    .hasMessageContaining("DefaultCPUAllocator: can't allocate memory")
                    .hasMessageEndingWith("Explain fewer images at a time: camunit evaluate --batch 2, or"
                            + " Explainer.explainAll(model, samples, 2) from Java.");
        }
    }

    @Test
    void afterAnOutOfMemoryErrorTheSameModelStillExplains() {
        Block greedy = lambda(x -> x.getShape().get(0) > 1
                ? x.add(x.getManager().zeros(new Shape(1L << 40)).sum()) : x);
        try (CamModel model = model("greedy-for-batches", greedy, lambda(x -> x))) {
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, "01Conv2d");
            assertThatThrownBy(() -> gradCam.explain(model, List.of(image(), image()),
                    List.of(Target.classIndex(0), Target.classIndex(0)))).hasMessageStartingWith("Out of memory");
            assertThat(gradCam.explain(model, image(), Target.classIndex(0)).raw().isFinite()).isTrue();
        }
    }
}
