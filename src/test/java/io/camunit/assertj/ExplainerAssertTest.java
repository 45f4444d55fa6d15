package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.metric.RandomisationSimilarity;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The randomisation sanity check on the clean shapes model. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainerAssertTest {

    private final Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
    private TorchScriptModel clean;
    private List<LabeledSample> samples;

    @BeforeAll
    void load() {
        clean = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
        // Six samples keep the test quick; the check's cost is two explanations per sample.
        samples = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples().subList(0, 6);
    }

    @AfterAll
    void close() {
        clean.close();
    }

    @Test
    void gradCamOnTheCleanModelDependsOnItsWeights() {
        assertThat(gradCam).isSensitiveToModelWeights(clean, samples);
    }

    @Test
    void gradCamOnTheTrainedDjlBlockDependsOnItsWeightsToo() {
        try (io.camunit.model.BlockModel block = io.camunit.ShapesBlock.load()) {
            assertThat(Explainer.of(Method.GRAD_CAM, io.camunit.ShapesBlock.LAST_RELU))
                    .isSensitiveToModelWeights(block, samples);
        }
    }

    @Test
    void oneRandomisedCopyGivesWhatRandomisationSimilarityGivesPerSample() {
        LabeledSample s = samples.get(0);
        double rho = RandomisationSimilarity.of(gradCam, clean, s.image(), Explainer.labelledClass(clean, s),
                ExplainerAssert.RANDOMISATION_SEED).spearman();
        Assertions.assertThat(ExplainerAssert.similarities(gradCam, clean, List.of(s), ExplainerAssert.RANDOMISATION_SEED)
                .get(0).spearman()).isEqualTo(rho);
    }

    @Test
    void aThresholdNoMethodCanMeetFailsNamingTheMethodTheMeanAndTheMostSimilarSamples() {
        List<ExplainerAssert.Similarity> all = ExplainerAssert.similarities(gradCam, clean, samples,
                ExplainerAssert.RANDOMISATION_SEED);
        double mean = all.stream().mapToDouble(ExplainerAssert.Similarity::spearman).average().orElseThrow();
        List<ExplainerAssert.Similarity> top = all.stream()
                .sorted(Comparator.comparingDouble(ExplainerAssert.Similarity::spearman).reversed()).limit(5).toList();
        StringBuilder expected = new StringBuilder(String.format("%nExpecting grad-cam at features.10 to be sensitive to"
                + " the model's weights: the mean Spearman rank correlation of its maps with those of the model"
                + " randomised with seed 7 should be below -1.0 but was %.4f over 6 samples; the most similar samples:",
                mean));
        top.forEach(t -> expected.append(String.format("%n    %s: %.4f", t.id(), t.spearman())));
        assertThatThrownBy(() -> assertThat(gradCam).isSensitiveToModelWeights(clean, samples, -1))
                .hasMessage(expected.toString());
    }
}
