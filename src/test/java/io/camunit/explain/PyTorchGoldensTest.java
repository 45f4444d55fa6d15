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

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java maps equal the maps fixtures/generators/tiny_cnn.py computed with PyTorch hooks on the
 * original module (before export), for every method, layer set and target it wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PyTorchGoldensTest {

    private static final Path DIR = Fixtures.GOLDENS;

    private final TorchScriptModel model = Fixtures.tinyCnn();
    private final GoldenMaps goldens = GoldenMaps.read(DIR);

    Stream<JsonObject> cases() {
        return goldens.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMapsEqualPyTorchMaps(JsonObject c) {
        Method method = Method.fromId(c.get("method").getAsString());
        List<String> layers = c.getAsJsonArray("layers").asList().stream().map(JsonElement::getAsString).toList();
        String targetName = c.get("target").getAsString();
        Target target = targetName.equals("predicted") ? Target.predicted() : Target.classIndex(Integer.parseInt(targetName));
        InputImage image = InputImage.read(DIR.resolve(c.get("image").getAsString()));

        Explanation e = Explainer.builder().setMethod(method).setLayers(layers).build().explain(model, image, target);

        goldens.assertMatches(e, c);
    }
}
