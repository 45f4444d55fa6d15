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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Score-CAM, Ablation-CAM, Smooth Grad-CAM++, Eigen-CAM, EigenGrad-CAM and test-time augmentation equal the maps
 * fixtures/generators/goldens_layer_methods.py computed with PyTorch on tiny-cnn (every layer set,
 * target and option set it wrote) and on shapes-resnet at a cut crossed by a skip connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerMethodGoldensTest {

    private static final Path DIR = Path.of("fixtures/goldens/tiny-cnn-layer-methods");

    private final TorchScriptModel tinyCnn = Fixtures.tinyCnn();
    private final TorchScriptModel shapesResnet = TorchScriptModel.load(Path.of("fixtures/models/shapes-resnet.pt"));
    private final GoldenMaps goldens = GoldenMaps.read(DIR);

    @AfterAll
    void close() {
        shapesResnet.close();
    }

    Stream<JsonObject> cases() {
        return goldens.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMapsEqualPyTorchMaps(JsonObject c) {
        Method method = Method.fromId(c.get("method").getAsString());
        List<String> layers = strings(c, "layers");
        MethodOptions options = MethodOptions.DEFAULTS.with(strings(c, "options").toArray(String[]::new));
        String targetName = c.get("target").getAsString();
        Target target = targetName.equals("predicted") ? Target.predicted() : Target.classIndex(Integer.parseInt(targetName));
        TorchScriptModel model = c.get("model").getAsString().equals("tiny-cnn.pt") ? tinyCnn : shapesResnet;
        InputImage image = InputImage.read(DIR.resolve(c.get("image").getAsString()));

        Explanation e = Explainer.builder().setMethod(method).setLayers(layers).optOptions(options).build()
                .explain(model, image, target);

        goldens.assertMatches(e, c);
    }

    private static List<String> strings(JsonObject c, String field) {
        return c.getAsJsonArray(field).asList().stream().map(JsonElement::getAsString).toList();
    }
}
