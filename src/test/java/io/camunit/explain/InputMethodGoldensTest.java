package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.GoldenMaps;
import io.camunit.TinyCnnBlock;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.BlockModel;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The input-space and black-box maps equal those fixtures/generators/goldens_input_methods.py
 * computed with independent PyTorch code: on tiny-cnn.pt for the gradient methods, occlusion and
 * RISE (the same seeds through SeededNoise's Python twin), and on the same weights as a DJL block
 * for the guided methods. Integrated Gradients is compared at 20 steps: at 24, one path point of
 * sample1 has an exact max-pooling tie in the flat square, which PyTorch 1.13 and DJL's libtorch
 * 2.7.1 break differently (both valid subgradients; 9 pixels differ by up to 8e-4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputMethodGoldensTest {

    private static final Path DIR = Path.of("fixtures/goldens/tiny-cnn-input-methods");

    private final TorchScriptModel model = Fixtures.tinyCnn();
    private final BlockModel block = TinyCnnBlock.withWeightsOf(model);
    private final GoldenMaps goldens = GoldenMaps.read(DIR);
    private final Map<Method, Double> largestDisplayDifference = new EnumMap<>(Method.class);

    Stream<JsonObject> cases() {
        return goldens.cases().stream();
    }

    @AfterAll
    void closeAndReport() {
        block.close();
        largestDisplayDifference.forEach((method, difference) ->
                System.out.printf("input-method goldens: %s largest display difference %.3g%n", method, difference));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMapsEqualPyTorchMaps(JsonObject c) {
        Method method = Method.fromId(c.get("method").getAsString());
        MethodOptions options = MethodOptions.DEFAULTS.with(c.getAsJsonArray("options").asList().stream()
                .map(JsonElement::getAsString).toArray(String[]::new));
        String targetName = c.get("target").getAsString();
        Target target = targetName.equals("predicted") ? Target.predicted() : Target.classIndex(Integer.parseInt(targetName));
        InputImage image = InputImage.read(Fixtures.GOLDENS.resolve(c.get("image").getAsString()));
        boolean guided = method == Method.GUIDED_BACKPROP || method == Method.GUIDED_GRAD_CAM;
        CamModel m = guided ? block : model;
        Explainer.Builder builder = Explainer.builder().setMethod(method).optOptions(options);
        if (method.usesLayers()) {
            assertThat(c.get("layer").getAsString()).isEqualTo("features.9");
            builder.addLayer(TinyCnnBlock.FEATURES_9);
        }

        Explanation e = builder.build().explain(m, image, target);

        assertThat(e.targetClass()).isEqualTo(c.get("class").getAsInt());
        assertThat(e.score()).isCloseTo(c.get("score").getAsDouble(), within(1e-4));
        Heatmap display = goldens.map(c.get("display").getAsString());
        largestDisplayDifference.merge(method, e.display().maxAbsDifference(display), Math::max);
        // Every golden case of these methods sets its steps or samples.
        int passes = method == Method.INTEGRATED_GRADIENTS ? options.steps().getAsInt()
                : method == Method.SMOOTH_GRAD ? options.samples().getAsInt() : 1;
        assertAgrees(e.display(), display, 1, passes);
        Heatmap raw = goldens.map(c.get("raw").getAsString());
        assertAgrees(e.raw(), raw, Math.max(1, raw.max()), passes);
    }

    /**
     * Every value within {@code 1e-4 * scale}, except for maps averaged over several passes
     * (Integrated Gradients' path points, SmoothGrad's noisy copies). There two correct float32
     * engines may route one pass's gradient differently through a max-pooling window or a ReLU whose
     * inputs lie within rounding of a tie (their kernels sum in different orders), which changes
     * the mean by 1/passes of that pass's gradient on the few dozen pixels the window sees (seen: 10
     * and 85 pixels of 4,096, up to 1.7e-4, with one of 20 path points re-routed). So 99 % of the
     * values must agree to {@code 1e-4 * scale}, and every value to {@code 0.02 / passes * scale}
     * (2 % of one pass's share); a wrong computation moves whole regions by 1e-2 or more.
     */
    private static void assertAgrees(Heatmap actual, Heatmap expected, double scale, int passes) {
        float[] a = actual.toArray();
        float[] b = expected.toArray();
        assertThat(a).hasSameSizeAs(b);
        double bulk = 1e-4 * scale;
        double largest = passes == 1 ? bulk : Math.max(bulk, 0.02 / passes * scale);
        int outside = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double difference = Math.abs((double) a[i] - b[i]);
            max = Math.max(max, difference);
            if (difference >= bulk) {
                outside++;
            }
        }
        assertThat(max).as("largest difference").isLessThan(largest);
        assertThat(outside).as("values differing by %s or more", bulk).isLessThanOrEqualTo(passes == 1 ? 0 : a.length / 100);
    }
}
