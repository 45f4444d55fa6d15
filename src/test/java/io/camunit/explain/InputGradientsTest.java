package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.Fixtures;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The vanilla gradient and SmoothGrad at the input. */
class InputGradientsTest {

    private static Explainer explainer(Method method, String... options) {
        return Explainer.builder().setMethod(method).optOptions(MethodOptions.DEFAULTS.with(options)).build();
    }

    /** {@code max_c |W[target, c, p]|}: the gradient of a linear score is its weight row. */
    private static float[] largestAbsoluteWeight(float[] w, int row, int pixels) {
        float[] out = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < 3; c++) {
                out[p] = Math.max(out[p], Math.abs(w[row * 3 * pixels + c * pixels + p]));
            }
        }
        return out;
    }

    @Test
    void vanillaGradientOfALinearModelIsItsLargestAbsoluteWeightOverChannels() {
        try (BlockModel model = HandBuiltModels.linear(5, 3, 2, 11)) {
            float[] w = HandBuiltModels.weights(model);
            List<Explanation> e = explainer(Method.GRADIENT).explain(model,
                    List.of(HandBuiltModels.noise(5, 3, 1), HandBuiltModels.noise(5, 3, 2)),
                    List.of(Target.classIndex(1), Target.classIndex(0)));

            assertThat(e.get(0).raw().toArray()).containsExactly(largestAbsoluteWeight(w, 1, 15));
            assertThat(e.get(1).raw().toArray()).containsExactly(largestAbsoluteWeight(w, 0, 15));
            assertThat(e.get(0).layers()).isEmpty();
            assertThat(e.get(0).layerMaps()).singleElement().satisfies(m -> assertThat(m.width()).isEqualTo(5));
        }
    }

    @Test
    void smoothGradOfALinearModelIsTheVanillaGradientWhateverTheNoise() {
        try (BlockModel model = HandBuiltModels.linear(4, 4, 3, 12)) {
            float[] w = HandBuiltModels.weights(model);
            InputImage image = HandBuiltModels.noise(4, 4, 3);
            for (String noise : new String[] {"noise-std=0.5", "noise-std=3"}) {
                Explanation e = explainer(Method.SMOOTH_GRAD, "samples=5", "chunk-size=2", noise)
                        .explain(model, image, Target.classIndex(2));
                assertThat(e.raw().toArray()).as(noise).containsExactly(largestAbsoluteWeight(w, 2, 16));
            }
        }
    }

    @Test
    void gradientMethodsRunOnAPlainTorchScriptFileWithoutLayers() {
        try (TorchScriptModel plain = TorchScriptModel.builder().setPath(Fixtures.TINY_CNN_PLAIN)
                .optInput(Fixtures.tinyCnn().input()).build()) {
            assertThat(plain.layers()).isEmpty();
            for (Method method : new Method[] {Method.GRADIENT, Method.SMOOTH_GRAD, Method.INTEGRATED_GRADIENTS}) {
                Explainer explainer = explainer(method, "samples=2", "steps=4");
                Explanation fromPlain = explainer.explain(plain, Fixtures.scene(1), Target.predicted());
                Explanation fromCamReady = explainer.explain(Fixtures.tinyCnn(), Fixtures.scene(1), Target.predicted());

                assertThat(fromPlain.targetClass()).as(method.id()).isEqualTo(1);
                assertThat(fromPlain.layers()).isEmpty();
                assertThat(fromPlain.raw().max()).as(method.id()).isPositive();
                assertThat(fromPlain.raw().maxAbsDifference(fromCamReady.raw())).as(method.id())
                        .isLessThan(1e-6 * fromCamReady.raw().max());
            }
        }
    }

    @Test
    void smoothGradIsReproducibleForASeedAndChangesWithIt() {
        TorchScriptModel model = Fixtures.tinyCnn();
        InputImage image = Fixtures.scene(2);
        Heatmap first = explainer(Method.SMOOTH_GRAD, "samples=3", "seed=4").explain(model, image, Target.predicted()).raw();
        Heatmap again = explainer(Method.SMOOTH_GRAD, "samples=3", "seed=4").explain(model, image, Target.predicted()).raw();
        Heatmap other = explainer(Method.SMOOTH_GRAD, "samples=3", "seed=5").explain(model, image, Target.predicted()).raw();

        assertThat(again).isEqualTo(first);
        assertThat(other.maxAbsDifference(first)).isGreaterThan(0.01 * first.max());
    }

    @Test
    void smoothGradOfAnImageIsTheSameAloneAsInABatch() {
        TorchScriptModel model = Fixtures.tinyCnn();
        Explainer smoothGrad = explainer(Method.SMOOTH_GRAD, "samples=3", "seed=9");
        Heatmap alone = smoothGrad.explain(model, Fixtures.scene(1), Target.classIndex(0)).raw();
        List<Explanation> batch = smoothGrad.explain(model, List.of(Fixtures.scene(0), Fixtures.scene(1)),
                List.of(Target.predicted(), Target.classIndex(0)));

        assertThat(batch.get(1).raw().maxAbsDifference(alone)).isLessThan(1e-6 * alone.max());
        assertThat(batch.get(0).raw().maxAbsDifference(alone)).isGreaterThan(0.1 * alone.max());
    }

    @Test
    void smoothGradExplainsTheClassOfTheCleanImageNotOfEachNoisyCopy() {
        TorchScriptModel model = Fixtures.tinyCnn();
        // Noise this strong changes the prediction of many copies; the target stays the clean one.
        Explainer strong = explainer(Method.SMOOTH_GRAD, "samples=4", "noise-std=4");
        Explanation predicted = strong.explain(model, Fixtures.scene(1), Target.predicted());
        Explanation fixed = strong.explain(model, Fixtures.scene(1), Target.classIndex(1));

        assertThat(predicted.targetClass()).isEqualTo(1);
        assertThat(predicted.raw()).isEqualTo(fixed.raw());
    }
}
