package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.Fixtures;
import io.camunit.GoldenMaps;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SS-CAM, IS-CAM, FEM, KPCA-CAM, Finer-CAM and the random and Sobel controls equal the maps
 * fixtures/generators/goldens_more_methods.py computed with PyTorch and NumPy on tiny-cnn, at its
 * layers features.4 and features.9 (alone and fused), for every target and option set it wrote:
 * display maps to 1e-4, raw maps to 1e-4 of their maximum (at least 1e-4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoreMethodGoldensTest {

    private static final Path DIR = Path.of("fixtures/goldens/tiny-cnn-more-methods");

    private final TorchScriptModel tinyCnn = Fixtures.tinyCnn();
    private final GoldenMaps goldens = GoldenMaps.read(DIR);

    Stream<JsonObject> cases() {
        return goldens.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMapsEqualPyTorchMaps(JsonObject c) {
        Method method = Method.fromId(c.get("method").getAsString());
        List<String> layers = strings(c, "layers");
        MethodOptions options = MethodOptions.DEFAULTS.with(strings(c, "options").toArray(String[]::new));
        Target target = target(c.get("target").getAsString());
        InputImage image = InputImage.read(DIR.resolve(c.get("image").getAsString()));

        Explanation e = Explainer.builder().setMethod(method).setLayers(layers).optOptions(options).build()
                .explain(tinyCnn, image, target);

        goldens.assertMatches(e, c);
    }

    @Test
    void ssCamWithoutNoiseAndIsCamWithOneStepAreScoreCam() {
        InputImage image = InputImage.read(DIR.resolve("../tiny-cnn/sample2-triangle.png"));
        MethodOptions eight = MethodOptions.builder().optTopChannels(8).build();
        Explanation scoreCam = explain(Method.SCORE_CAM, eight, image);

        Explanation smoothed = explain(Method.SS_CAM, eight.toBuilder().optNoiseStd(0).optSamples(2).build(), image);
        Explanation integrated = explain(Method.IS_CAM, eight.toBuilder().optSteps(1).build(), image);

        assertThat(smoothed.raw().maxAbsDifference(scoreCam.raw())).isLessThan(1e-5 * scoreCam.raw().max());
        assertThat(integrated.raw().maxAbsDifference(scoreCam.raw())).isLessThan(1e-5 * scoreCam.raw().max());
    }

    @Test
    void finerCamWithoutComparisonStrengthIsGradCam() {
        // alpha = 0 leaves sum_j p_j y_c / (sum_j p_j + 1e-9): the gradient of y_c times a factor within
        // 1e-9 / sum p of 1, plus y_c times the factor's gradient, which is of the order of 1e-9.
        InputImage image = InputImage.read(DIR.resolve("../tiny-cnn/sample1-square.png"));

        Explanation finer = explain(Method.FINER_CAM, MethodOptions.builder().optAlpha(0).build(), image);
        Explanation gradCam = explain(Method.GRAD_CAM, MethodOptions.DEFAULTS, image);

        assertThat(finer.display().maxAbsDifference(gradCam.display())).isLessThan(1e-5);
    }

    private Explanation explain(Method method, MethodOptions options, InputImage image) {
        return Explainer.builder().setMethod(method).addLayer("features.9").optOptions(options).build()
                .explain(tinyCnn, image, Target.predicted());
    }

    private static Target target(String name) {
        return name.equals("predicted") ? Target.predicted() : Target.classIndex(Integer.parseInt(name));
    }

    private static List<String> strings(JsonObject c, String field) {
        return c.getAsJsonArray(field).asList().stream().map(JsonElement::getAsString).toList();
    }
}
