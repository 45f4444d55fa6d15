package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Integrated Gradients: completeness, the linear oracle, the map, and the quadrature rule. */
class IntegratedGradientsTest {

    @Test
    void attributionsAddUpToTheScoreDifferenceWithinOnePercentOnTinyCnn() {
        TorchScriptModel model = Fixtures.tinyCnn();
        List<IntegratedGradients.Attribution> all = IntegratedGradients.attribute(model,
                List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2)),
                List.of(Target.predicted(), Target.predicted(), Target.classIndex(0)), MethodOptions.DEFAULTS);

        for (IntegratedGradients.Attribution a : all) {
            assertThat(a.steps()).isEqualTo(IntegratedGradients.DEFAULT_STEPS);
            assertThat(Math.abs(a.scoreDifference())).as("something to attribute").isGreaterThan(1);
            assertThat(a.sum()).isCloseTo(a.scoreDifference(), within(0.01 * Math.abs(a.scoreDifference())));
            assertThat(a.completenessError()).isLessThan(0.01);
            System.out.printf("IG completeness on tiny-cnn, class %d: sum %.5f, S(x) - S(x') %.5f, error %.2e%n",
                    a.targetClass(), a.sum(), a.scoreDifference(), a.completenessError());
        }
    }

    @Test
    void attributionsOfALinearModelAreInputMinusBaselineTimesTheWeights() {
        try (BlockModel model = HandBuiltModels.linear(3, 2, 2, 21)) {
            float[] w = HandBuiltModels.weights(model);
            InputImage image = HandBuiltModels.noise(3, 2, 4);
            float[] x = model.input().hasSize() ? image.toTensor(model.input()) : null;

            IntegratedGradients.Attribution a = IntegratedGradients.attribute(model, image, Target.classIndex(1),
                    MethodOptions.DEFAULTS.withOption("baseline", "0.25").withOption("steps", "3"));

            float[] values = a.values();
            double expectedDifference = 0;
            for (int e = 0; e < x.length; e++) {
                double expected = (x[e] - 0.25) * w[x.length + e];
                assertThat(values[e]).as("element %d", e).isCloseTo((float) expected, within(1e-6f));
                expectedDifference += expected;
            }
            assertThat(a.scoreDifference()).isCloseTo(expectedDifference, within(1e-5));
            assertThat(a.sum()).isCloseTo(a.scoreDifference(), within(1e-5));
        }
    }

    @Test
    void mapIsTheAbsoluteValueOfTheChannelSumPerPixel() {
        TorchScriptModel model = Fixtures.tinyCnn();
        MethodOptions options = MethodOptions.DEFAULTS.withOption("steps", "6");
        IntegratedGradients.Attribution a = IntegratedGradients.attribute(model, Fixtures.scene(2), Target.predicted(),
                options);
        Explanation e = Explainer.builder().setMethod(Method.INTEGRATED_GRADIENTS).optOptions(options).build()
                .explain(model, Fixtures.scene(2), Target.predicted());

        float[] signed = a.pixels().toArray();
        float[] values = a.values();
        float[] raw = e.raw().toArray();
        assertThat(a.pixels().sum()).isCloseTo(a.sum(), within(1e-4));
        for (int p = 0; p < raw.length; p++) {
            assertThat(signed[p]).isEqualTo(values[p] + values[4096 + p] + values[8192 + p]);
            assertThat(raw[p]).isEqualTo(Math.abs(signed[p]));
        }
        assertThat(e.score()).isEqualTo(a.score());
    }

    @Test
    void gaussLegendreRuleHasTheTextbookNodesAndIntegratesDegreeTwoNMinusOneExactly() {
        GaussLegendre two = GaussLegendre.of(2);
        assertThat(two.nodes()).containsExactly(new double[] {0.5 - 0.5 / Math.sqrt(3), 0.5 + 0.5 / Math.sqrt(3)},
                within(1e-15));
        assertThat(two.weights()).containsExactly(new double[] {0.5, 0.5}, within(1e-15));
        GaussLegendre three = GaussLegendre.of(3);
        assertThat(three.nodes()).containsExactly(new double[] {0.5 - 0.5 * Math.sqrt(0.6), 0.5, 0.5 + 0.5 * Math.sqrt(0.6)},
                within(1e-15));
        assertThat(three.weights()).containsExactly(new double[] {5.0 / 18, 8.0 / 18, 5.0 / 18}, within(1e-15));
        assertThat(GaussLegendre.of(1).nodes()).containsExactly(new double[] {0.5}, within(1e-15));

        for (int n : new int[] {5, 50, 128}) {
            GaussLegendre rule = GaussLegendre.of(n);
            double integral = 0;
            double weights = 0;
            for (int k = 0; k < n; k++) {
                integral += rule.weights()[k] * Math.pow(rule.nodes()[k], 2 * n - 1);
                weights += rule.weights()[k];
            }
            assertThat(integral).as("n = %d", n).isCloseTo(1.0 / (2 * n), within(1e-13));
            assertThat(weights).isCloseTo(1, within(1e-13));
        }
    }

    @Test
    void attributeNeedsOneTargetPerImage() {
        assertThatThrownBy(() -> IntegratedGradients.attribute(Fixtures.tinyCnn(), List.of(Fixtures.scene(0)),
                List.of(), MethodOptions.DEFAULTS))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Integrated Gradients of 1 images needs exactly one target per image; got 0.");
    }

    @Test
    void attributionIsImmutable() {
        float[] values = new float[3];
        IntegratedGradients.Attribution a = new IntegratedGradients.Attribution(1, 1, values, 0, 2, 1, 1);
        values[0] = 5;
        a.values()[1] = 7;
        assertThat(a.values()).containsExactly(0, 0, 0);
        assertThat(a.completenessError()).isEqualTo(1);
    }
}
