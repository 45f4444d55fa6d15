package io.camunit.junit;

import static io.camunit.explain.Method.GRAD_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Explanations computed in one test are reused by the next test of the run (camunit.explanation.cache.size). */
class ExplanationCacheInjectionTest {

    static final List<Explanation> SEEN = new CopyOnWriteArrayList<>();

    @CamTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class TwoTestsOneSample {
        @Test
        @Order(1)
        void first(@UseDataset("fixtures/shapes/test/coco.json") LabeledDataset data,
                   @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
                   @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            SEEN.add(gradCam.explain(model, data.samples().get(0)));
        }

        @Test
        @Order(2)
        void second(@UseDataset("fixtures/shapes/test/coco.json") LabeledDataset data,
                    @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
                    @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            SEEN.add(gradCam.explain(model, data.samples().get(0)));
        }
    }

    private static void run(Map<String, String> configuration) {
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter").configurationParameters(configuration)
                .selectors(selectClass(TwoTestsOneSample.class)).execute()
                .testEvents().assertStatistics(s -> s.started(2).succeeded(2));
    }

    @Test
    void theSecondTestGetsTheFirstTestsExplanation() {
        run(Map.of());
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(1)).isSameAs(SEEN.get(0));
    }

    @Test
    void sizeZeroTurnsTheCacheOff() {
        run(Map.of(CamSettings.EXPLANATION_CACHE_SIZE, "0"));
        assertThat(SEEN.get(1)).isNotSameAs(SEEN.get(0)).isEqualTo(SEEN.get(0));
    }
}
