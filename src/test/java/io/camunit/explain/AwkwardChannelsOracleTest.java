package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.ExactLinearCnn;
import io.camunit.TinyCnnBlock;
import io.camunit.model.BlockModel;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.InputSpec;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where users run: the scores, layer activations, layer gradients and input gradients camunit gets
 * from the engine equal an exact Java computation (ExactLinearCnn, double precision, from the
 * weights in the file) for convolutions with 8, 12, 24 and 40 channels (which some CPUs' vectorised
 * kernels get wrong) and 16 and 64, at 64 x 64, 160 x 160 and 224 x 224, in batches of 1 and 8, as
 * TorchScript (fixtures/models/awkward-cnn.pt, written by fixtures/generators/awkward_cnn.py) and as
 * a DJL block with the same weights. The gradient at features.0 runs the 8->12, 12->24, 24->40,
 * 40->16 and 16->64 convolutions backwards; at the input, the 3->8 one too.
 *
 * <p>Tolerance: every value within twice its float32 rounding bound {@code γ_n · magnitude}
 * (ExactLinearCnn.Values#bound: n the terms summed along the chain, the magnitude the same chain on
 * absolute values), which holds for any summation order; a faulty kernel is off by 30 % to 100 %.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwkwardChannelsOracleTest {

    private static final Path FILE = Path.of("fixtures/models/awkward-cnn.pt");
    private static final int[] CUTS = {0, 4};

    private final TorchScriptModel file = TorchScriptModel.load(FILE);
    private final ExactLinearCnn exact = ExactLinearCnn.of(file);

    @AfterAll
    void close() {
        file.close();
    }

    Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : List.of("torchscript", "djl-block")) {
            for (int[] sizeAndBatch : new int[][] {{64, 8}, {160, 1}, {224, 1}, {224, 8}}) {
                out.add(Arguments.of(kind, sizeAndBatch[0], sizeAndBatch[1]));
            }
        }
        return out.stream();
    }

    private CamModel model(String kind, int size) {
        InputSpec spec = file.input().withSize(size, size);
        return kind.equals("torchscript")
                ? TorchScriptModel.builder().setPath(FILE).optInput(spec).build()
                : block(spec);
    }

    /** The same network and weights as a DJL block; features.0 and features.4 keep their positions. */
    private BlockModel block(InputSpec spec) {
        SequentialBlock features = new SequentialBlock().add(conv(8)).add(conv(12)).add(pool())
                .add(conv(24)).add(conv(40)).add(pool()).add(conv(16)).add(conv(64));
        SequentialBlock net = new SequentialBlock().add(features).add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(5).build());
        BlockModel model = BlockModel.builder().setBlock(net).setInput(spec).optName("awkward-cnn-block")
                .optClasses(file.classes()).build();
        // The exported file also holds the traced halves' copies; the whole model's are "full.*".
        TinyCnnBlock.copyWeights(file, "full.", model);
        return model;
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build();
    }

    private static Block pool() {
        return Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2));
    }

    private static String layer(CamModel model, int index) {
        return model instanceof TorchScriptModel ? "features." + index
                : "01SequentialBlock." + String.format("%02d", index + 1) + "Conv2d";
    }

    private static List<InputImage> images(int size, int count) {
        List<InputImage> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            Random random = new Random(1000L * size + n);
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            out.add(InputImage.of("noise-" + size + "-" + n, image));
        }
        return out;
    }

    /** Classes 1 and 3 in turn, so a batch mixes targets. */
    private static List<Target> targets(int count) {
        List<Target> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            out.add(Target.classIndex(n % 2 == 0 ? 1 : 3));
        }
        return out;
    }

    private static void assertExact(float[] engine, ExactLinearCnn.Values exact, String what) {
        assertThat(engine).as(what + ": length").hasSize(exact.values().length);
        for (int i = 0; i < engine.length; i++) {
            double difference = Math.abs(engine[i] - exact.values()[i]);
            if (!(difference <= 2 * exact.bound(i))) {
                throw new AssertionError(what + ": value " + i + " is " + engine[i] + ", exactly "
                        + exact.values()[i] + " (difference " + difference + ", float32 bound " + exact.bound(i)
                        + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{1}, batch {2}")
    @MethodSource("cases")
    void scoresActivationsAndLayerGradientsEqualTheExactComputation(String kind, int size, int batch) {
        List<InputImage> images = images(size, batch);
        List<Target> targets = targets(batch);
        try (CamModel model = model(kind, size); NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, images);
            float[] prepared = x.toFloatArray();
            int per = 3 * size * size;
            for (int cut : CUTS) {
                LayerCapture capture = LayerCapture.take(model, x, layer(model, cut), targets, true);
                for (int n = 0; n < batch; n++) {
                    int klass = ((Target.ClassIndex) targets.get(n)).index();
                    assertExact(capture.gradients().get(n), exact.gradient(cut, klass, size, size),
                            kind + " gradient at features." + cut + ", sample " + n);
                }
                for (int n : new int[] {0, batch - 1}) {
                    float[] image = Arrays.copyOfRange(prepared, n * per, (n + 1) * per);
                    assertExact(capture.activations().get(n), exact.forward(image, size, size, cut),
                            kind + " activation of features." + cut + ", sample " + n);
                    ExactLinearCnn.Values scores = exact.scores(image, size, size);
                    int klass = capture.targetClasses()[n];
                    double difference = Math.abs(capture.scores()[n] - scores.values()[klass]);
                    assertThat(difference).as(kind + " score of sample " + n).isLessThanOrEqualTo(2 * scores.bound(klass));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} at {1}x{1}, batch {2}")
    @MethodSource("cases")
    void inputGradientsEqualTheExactComputation(String kind, int size, int batch) {
        List<Target> targets = targets(batch);
        try (CamModel model = model(kind, size); NDManager scope = model.newScope()) {
            NDArray x = model.toBatch(scope, images(size, batch));
            InputPasses.Gradients gradients = InputPasses.gradients(model, x.toFloatArray(), x.getShape(), targets, scope);
            int per = 3 * size * size;
            for (int n = 0; n < batch; n++) {
                int klass = ((Target.ClassIndex) targets.get(n)).index();
                assertExact(Arrays.copyOfRange(gradients.values(), n * per, (n + 1) * per),
                        exact.gradient(ExactLinearCnn.INPUT, klass, size, size), kind + " input gradient, sample " + n);
            }
        }
    }
}
