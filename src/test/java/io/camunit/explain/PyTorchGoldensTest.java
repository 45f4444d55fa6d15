package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.report.Npy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
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
    private Map<String, Heatmap> maps;

    @BeforeAll
    void loadMaps() throws IOException {
        maps = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(DIR.resolve("maps.npz")))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                maps.put(e.getName(), Npy.read(zip, e.getName()));
            }
        }
    }

    Stream<JsonObject> cases() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(DIR.resolve("goldens.json"))).getAsJsonObject();
        return root.getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject);
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

        assertThat(e.targetClass()).isEqualTo(c.get("class").getAsInt());
        assertThat(e.score()).isCloseTo(c.get("score").getAsDouble(), within(1e-4));
        assertThat(e.display().maxAbsDifference(maps.get(c.get("display").getAsString()))).isLessThan(1e-4);
        Heatmap raw = maps.get(c.get("raw").getAsString());
        assertThat(e.raw().maxAbsDifference(raw)).isLessThan(1e-4 * Math.max(1, raw.max()));
    }
}
