package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The listener hears of every explanation an explainer returns, once, with its model and sample or image. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainerListenerTest {

    private final TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
    private final List<LabeledSample> samples = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json"))
            .samples().subList(0, 3);

    @AfterAll
    void close() {
        model.close();
    }

    private static Explainer gradCam(List<ExplanationEvent> heard, ExplanationCache cache) {
        return Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.10").optCache(cache)
                .optListener(heard::add).build();
    }

    @Test
    void aLabelledSampleIsHeardWithItsSampleAndTheReturnedInstanceAlsoFromTheCache() {
        List<ExplanationEvent> heard = new ArrayList<>();
        Explainer explainer = gradCam(heard, new ExplanationCache(4));
        Explanation first = explainer.explain(model, samples.get(0));
        Explanation again = explainer.explain(model, samples.get(0));
        assertThat(heard).hasSize(2);
        assertThat(heard.get(0).explanation()).isSameAs(first);
        assertThat(heard.get(1).explanation()).isSameAs(again).isSameAs(first);
        assertThat(heard.get(0).model()).isSameAs(model);
        assertThat(heard.get(0).sample()).containsSame(samples.get(0));
        assertThat(heard.get(0).image()).isEmpty();
    }

    @Test
    void explainAllIsHeardOncePerSampleInOrder() {
        List<ExplanationEvent> heard = new ArrayList<>();
        List<ExplainedSample> explained = gradCam(heard, null).explainAll(model, samples, 2);
        assertThat(heard).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(heard.get(i).explanation()).isSameAs(explained.get(i).explanation());
            assertThat(heard.get(i).sample()).containsSame(samples.get(i));
        }
    }

    @Test
    void anImageIsHeardWithTheImageOnceEvenThroughTheSingleImageMethod() {
        List<ExplanationEvent> heard = new ArrayList<>();
        InputImage image = samples.get(1).image();
        Explanation e = gradCam(heard, null).explain(model, image, Target.predicted());
        assertThat(heard).hasSize(1);
        assertThat(heard.get(0).explanation()).isSameAs(e);
        assertThat(heard.get(0).image()).containsSame(image);
        assertThat(heard.get(0).sample()).isEmpty();
    }
}
