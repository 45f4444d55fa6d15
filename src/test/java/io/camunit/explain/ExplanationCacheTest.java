package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplanationCacheTest {

    private final TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
    private final LabeledSample plain = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples().get(0);
    private final LabeledSample marked = LabeledDataset.open(Path.of("fixtures/shapes/test-marked/coco.json")).samples().get(0);

    @AfterAll
    void close() {
        model.close();
    }

    private static Explainer gradCam(ExplanationCache cache, String layer) {
        return Explainer.builder().setMethod(Method.GRAD_CAM).addLayer(layer).optCache(cache).build();
    }

    @Test
    void theSameSampleIsExplainedOnce() {
        ExplanationCache cache = new ExplanationCache(8);
        Explanation first = gradCam(cache, "features.10").explain(model, plain);
        Explanation second = gradCam(cache, "features.10").explain(model, plain);
        assertThat(second).isSameAs(first);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void anotherLayerOrAnotherImageFileWithTheSameIdIsAnotherEntry() {
        ExplanationCache cache = new ExplanationCache(8);
        Explanation atTen = gradCam(cache, "features.10").explain(model, plain);
        Explanation atSix = gradCam(cache, "features.6").explain(model, plain);
        // test/images/0001.png and test-marked/images/0001.png share the id images/0001.png.
        assertThat(marked.id()).isEqualTo(plain.id());
        Explanation ofMarked = gradCam(cache, "features.10").explain(model, marked);
        assertThat(atSix).isNotSameAs(atTen);
        assertThat(ofMarked).isNotSameAs(atTen);
        assertThat(cache.misses()).isEqualTo(3);
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void theLeastRecentlyUsedEntryGoesBeyondTheCapacity() {
        ExplanationCache cache = new ExplanationCache(1);
        Explanation first = gradCam(cache, "features.10").explain(model, plain);
        gradCam(cache, "features.10").explain(model, marked);
        assertThat(gradCam(cache, "features.10").explain(model, plain)).isNotSameAs(first);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(3);
    }

    @Test
    void aCacheNeedsRoom() {
        assertThatThrownBy(() -> new ExplanationCache(0)).hasMessageContaining("at least 1");
    }
}
