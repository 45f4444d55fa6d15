package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.GoldenMaps;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FullGrad equals the maps fixtures/generators/goldens_fullgrad.py computed with forward hooks on the
 * eager PyTorch modules, on tiny-cnn (four convolutions with biases) and shapes-resnet (ten
 * BatchNorm layers with folded biases, skip connections), for the predicted and another class:
 * display maps to 1e-4, raw maps to 1e-4 of their maximum.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FullGradTest {

    private static final Path DIR = Path.of("fixtures/goldens/fullgrad");
    private static final Path TINY_CNN_FULLGRAD = Path.of("fixtures/models/tiny-cnn-fullgrad.pt");

    private final GoldenMaps goldens = GoldenMaps.read(DIR);
    private final Map<String, TorchScriptModel> models = new HashMap<>();

    @AfterAll
    void closeModels() {
        models.values().forEach(TorchScriptModel::close);
    }

    Stream<JsonObject> cases() {
        return goldens.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaMapsEqualPyTorchMaps(JsonObject c) {
        TorchScriptModel model = model(c.get("model").getAsString());
        String target = c.get("target").getAsString();
        InputImage image = InputImage.read(DIR.resolve(c.get("image").getAsString()));

        Explanation e = Explainer.of(Method.FULL_GRAD).explain(model, image,
                target.equals("predicted") ? Target.predicted() : Target.classIndex(Integer.parseInt(target)));

        assertThat(model.biases().keySet()).containsExactlyElementsOf(
                c.getAsJsonArray("layers").asList().stream().map(JsonElement::getAsString).toList());
        goldens.assertMatches(e, c);
    }

    @Test
    void eachTermIsScaledToZeroToOneByItsOwnRange() {
        double[] sum = {10, 10, 10};

        FullGradient.addScaled(new float[] {1, 3, 2}, sum);

        assertThat(sum).containsExactly(10, 10 + 2 / (2 + 1e-7), 10 + 1 / (2 + 1e-7));
    }

    @Test
    void aConstantTermAddsNothing() {
        double[] sum = {1, 2};

        FullGradient.addScaled(new float[] {0.5f, 0.5f}, sum);

        assertThat(sum).containsExactly(1, 2);
    }

    @Test
    void theMapIsBoundedByItsNumberOfScaledChannels() {
        TorchScriptModel model = model(TINY_CNN_FULLGRAD.getFileName().toString());

        Explanation e = Explainer.of(Method.FULL_GRAD).explain(model, Fixtures.scene(1), Target.predicted());

        // Every channel of the input (3) and of the 4 biased layers (8 + 16 + 32 + 32) adds a term in [0, 1).
        assertThat(model.biases().values().stream().mapToInt(java.util.List::size).sum()).isEqualTo(88);
        assertThat(e.raw().max()).isLessThan(3 + 88f).isGreaterThan(1f);
        assertThat(e.raw().min()).isGreaterThanOrEqualTo(0f);
    }

    @Test
    void aModelThatStatesNoBiasesIsRefusedSayingHowToExportOne() {
        assertThatThrownBy(() -> Explainer.of(Method.FULL_GRAD).explain(Fixtures.tinyCnn(), Fixtures.scene(0),
                        Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("FullGrad needs the gradient at the output of every layer of model tiny-cnn.pt"
                        + " that adds a bias")
                .hasMessageContaining("camunit_export.py --full-gradient");
    }

    @Test
    void aRandomisedCopyStatesNoBiasesSoFullGradIsRefusedOnIt() {
        try (TorchScriptModel randomised = model(TINY_CNN_FULLGRAD.getFileName().toString()).randomised(7)) {
            assertThat(randomised.biases()).isEmpty();
            assertThatThrownBy(() -> Explainer.of(Method.FULL_GRAD).explain(randomised, Fixtures.scene(0),
                            Target.predicted()))
                    .hasMessageContaining("a randomised copy states none");
        }
    }

    private TorchScriptModel model(String file) {
        return models.computeIfAbsent(file, f -> TorchScriptModel.load(Path.of("fixtures/models").resolve(f)));
    }
}
