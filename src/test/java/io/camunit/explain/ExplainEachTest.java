package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.ForwardingModel;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Explainer#explainEach}: several explainers over one batch, formula methods sharing their passes. */
class ExplainEachTest {

    private static final List<Method> SIX_GRADIENT_METHODS = List.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS,
            Method.XGRAD_CAM, Method.HIRES_CAM, Method.GRAD_CAM_ELEMENTWISE, Method.LAYER_CAM);

    private final TorchScriptModel tinyCnn = Fixtures.tinyCnn();
    private final List<InputImage> scenes = List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2));
    private final List<Target> targets = List.of(Target.predicted(), Target.classIndex(0), Target.predicted());

    @Test
    void eachExplainerGetsExactlyTheExplanationsItsOwnCallGives() {
        List<Explainer> explainers = new ArrayList<>();
        for (Method m : List.of(Method.CAM, Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS, Method.XGRAD_CAM,
                Method.HIRES_CAM, Method.GRAD_CAM_ELEMENTWISE, Method.LAYER_CAM, Method.EIGEN_CAM,
                Method.EIGEN_GRAD_CAM)) {
            explainers.add(Explainer.of(m, "features.9"));
        }
        explainers.add(Explainer.of(Method.GRAD_CAM, "features.4", "features.9"));
        explainers.add(Explainer.builder().setMethod(Method.LAYER_CAM).addLayer("features.4").optAugmentation(true)
                .build());
        explainers.add(Explainer.builder().setMethod(Method.SCORE_CAM).addLayer("features.9")
                .optOptions(MethodOptions.DEFAULTS.with("chunk-size=8")).build());

        List<List<Explanation>> together = Explainer.explainEach(tinyCnn, scenes, targets, explainers);

        assertThat(together).hasSameSizeAs(explainers);
        for (int k = 0; k < explainers.size(); k++) {
            List<Explanation> alone = explainers.get(k).explain(tinyCnn, scenes, targets);
            assertThat(together.get(k)).as("explainer %d (%s)", k, explainers.get(k).method())
                    .containsExactlyElementsOf(alone);
        }
    }

    @Test
    void sixGradientMethodsAtOneLayerRunOneForwardAndOneBackwardPass() {
        CountingModel counting = new CountingModel(tinyCnn);
        List<Explainer> six = SIX_GRADIENT_METHODS.stream().map(m -> Explainer.of(m, "features.9")).toList();

        Explainer.explainEach(counting, scenes, targets, six);
        assertThat(counting.features).isEqualTo(1);
        assertThat(counting.heads).isEqualTo(1);

        counting.features = 0;
        counting.heads = 0;
        six.forEach(e -> e.explain(counting, scenes, targets));
        assertThat(counting.features).isEqualTo(6);
        assertThat(counting.heads).isEqualTo(6);
    }

    @Test
    void explainersAtDifferentLayersShareOnlyTheLayersTheyHaveInCommon() {
        CountingModel counting = new CountingModel(tinyCnn);
        List<Explainer> explainers = List.of(Explainer.of(Method.GRAD_CAM, "features.9"),
                Explainer.of(Method.EIGEN_CAM, "features.4"), Explainer.of(Method.LAYER_CAM, "features.4", "features.9"));

        Explainer.explainEach(counting, scenes, targets, explainers);

        assertThat(counting.layers).containsExactly("features.9", "features.4");
    }

    @Test
    void eachListenerHearsTheExplanationsOfItsOwnExplainer() {
        List<ExplanationEvent> gradCamHeard = new ArrayList<>();
        List<ExplanationEvent> layerCamHeard = new ArrayList<>();
        Explainer gradCam = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.9")
                .optListener(gradCamHeard::add).build();
        Explainer layerCam = Explainer.builder().setMethod(Method.LAYER_CAM).addLayer("features.9")
                .optListener(layerCamHeard::add).build();

        List<List<Explanation>> out = Explainer.explainEach(tinyCnn, scenes, targets, List.of(gradCam, layerCam));

        assertThat(gradCamHeard).extracting(ExplanationEvent::explanation).containsExactlyElementsOf(out.get(0));
        assertThat(layerCamHeard).extracting(ExplanationEvent::explanation).containsExactlyElementsOf(out.get(1));
        assertThat(gradCamHeard).extracting(ev -> ev.image().orElseThrow().id())
                .containsExactly("sample0-circle.png", "sample1-square.png", "sample2-triangle.png");
    }

    @Test
    void anUnknownLayerOfAnyExplainerIsRefusedBeforeAnyWork() {
        CountingModel counting = new CountingModel(tinyCnn);
        List<Explainer> explainers = List.of(Explainer.of(Method.GRAD_CAM, "features.9"),
                Explainer.of(Method.LAYER_CAM, "features.99"));

        assertThatThrownBy(() -> Explainer.explainEach(counting, scenes, targets, explainers))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Unknown layer 'features.99' in model tiny-cnn.pt");
        assertThat(counting.features).isZero();
    }

    /** Delegates to a model and counts the passes explainers ask of it. */
    private static final class CountingModel extends ForwardingModel {
        private final List<String> layers = new ArrayList<>();
        int features;
        int heads;

        CountingModel(CamModel inner) {
            super(inner);
        }

        @Override
        public NDList features(NDArray batch, String layer) {
            features++;
            layers.add(layer);
            return inner.features(batch, layer);
        }

        @Override
        public NDArray head(NDList acts, String layer) {
            heads++;
            return inner.head(acts, layer);
        }

        @Override
        public void close() {
            // The shared fixture model outlives the test.
        }
    }
}
