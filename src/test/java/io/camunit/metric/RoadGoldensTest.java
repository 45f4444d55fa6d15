package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.GoldenMaps;
import io.camunit.assertj.CamAssertions;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.SeededNoise;
import io.camunit.explain.Target;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ROAD against fixtures/generators/goldens_road.py (NumPy percentile, SciPy's sparse LU, PyTorch
 * probabilities) on the committed Grad-CAM display maps of tiny-cnn, noise off except one case.
 */
class RoadGoldensTest {

    private static final Path DIR = Path.of("fixtures/goldens/tiny-cnn-road");
    private static final GoldenMaps GOLDENS = GoldenMaps.read(DIR);
    private static final double TOLERANCE = 1e-4;

    private final TorchScriptModel model = Fixtures.tinyCnn();

    static Stream<JsonObject> cases() {
        return GOLDENS.cases().stream();
    }

    private static double[] doubles(JsonObject c, String key) {
        return c.getAsJsonArray(key).asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
    }

    private static String stem(JsonObject c) {
        return c.get("image").getAsString().replace(".png", "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valuesEqualTheReference(JsonObject c) {
        InputImage image = InputImage.read(Fixtures.GOLDENS.resolve(c.get("image").getAsString()));
        Heatmap display = GOLDENS.map(stem(c) + "_display.npy");
        Road.Result r = Road.of(model, image, display, c.get("class").getAsInt(), Road.PERCENTILES, 0, 0);
        assertThat(r.original()).isCloseTo(c.get("original").getAsDouble(), within(TOLERANCE));
        assertThat(r.morf()).containsExactly(doubles(c, "morf"), within(TOLERANCE));
        assertThat(r.lerf()).containsExactly(doubles(c, "lerf"), within(TOLERANCE));
        assertThat(r.combined()).isCloseTo(c.get("road").getAsDouble(), within(TOLERANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void removedPixelsAndImputedInputsEqualTheReference(JsonObject c) {
        InputImage image = InputImage.read(Fixtures.GOLDENS.resolve(c.get("image").getAsString()));
        float[] map = GOLDENS.map(stem(c) + "_display.npy").toArray();
        double[] morfCounts = doubles(c, "removed_morf");
        double[] lerfCounts = doubles(c, "removed_lerf");
        for (int i = 0; i < Road.PERCENTILES.size(); i++) {
            assertThat(count(Road.removed(map, Road.PERCENTILES.get(i), true))).isEqualTo((int) morfCounts[i]);
            assertThat(count(Road.removed(map, Road.PERCENTILES.get(i), false))).isEqualTo((int) lerfCounts[i]);
        }
        Perturbation p = new Perturbation(model, image, c.get("class").getAsInt());
        for (String stored : List.of("morf-80", "lerf-30", "morf-10")) {
            boolean morf = stored.startsWith("morf");
            double percentile = Double.parseDouble(stored.substring(5));
            float[] java = NoisyLinearImputation.impute(p.input, p.width, p.height, Road.removed(map, percentile, morf),
                    0, null);
            assertThat(java).as(stored).containsExactly(GOLDENS.map(stem(c) + "_" + stored + ".npy").toArray(),
                    within((float) TOLERANCE));
        }
        JsonObject noisy = c.getAsJsonObject("noisy");
        float[] java = NoisyLinearImputation.impute(p.input, p.width, p.height,
                Road.removed(map, noisy.get("percentile").getAsDouble(), true), noisy.get("noise").getAsDouble(),
                new SeededNoise(noisy.get("seed").getAsLong()));
        assertThat(java).as("with noise").containsExactly(GOLDENS.map(stem(c) + "_morf-50_noise.npy").toArray(),
                within((float) TOLERANCE));
        assertThat(Road.single(model, image, Heatmap.of(p.width, p.height, map), c.get("class").getAsInt(), 50, true,
                noisy.get("noise").getAsDouble(), noisy.get("seed").getAsLong()))
                .isCloseTo(noisy.get("change").getAsDouble(), within(TOLERANCE));
    }

    @org.junit.jupiter.api.Test
    void registryNamesAndAssertionsMeasureTheExplanationsDisplayMapWithTheDefaultNoise() {
        Path file = Fixtures.GOLDENS.resolve("sample1-square.png");
        LabeledSample sample = new LabeledSample("square", file, 64, 64,
                List.of(new LabeledObject("square", Box.coco(16, 16, 32, 32))), Optional.empty());
        Explanation e = Explainer.of(Method.GRAD_CAM, "features.9").explain(model, sample.image(), Target.predicted());
        MetricResult r = SampleMetric.parse("road-lerf-70").measure(e, sample, model);
        assertThat(r.metric()).isEqualTo("road-lerf-70");
        assertThat(r.value()).isEqualTo(Road.single(model, sample.image(), e.display(), e.targetClass(), 70, false,
                NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED));
        CamAssertions.assertThat(e).metric("ROAD-LERF-70.0", sample, model).isEqualTo(r.value());
        assertThatThrownBy(() -> CamAssertions.assertThat(e).metric("road-lerf-70", sample, model).isGreaterThan(0.5))
                .hasMessageContaining("road-lerf-70");
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }
}
