package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.metric.MassInside;
import io.camunit.metric.MetricSummary;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Release gates on the shapes fixture: the clean model passes, the shortcut model is caught. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetAssertTest {

    private ExplainedSamples clean;
    private ExplainedSamples shortcut;

    @BeforeAll
    void explain() {
        Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
        List<LabeledSample> marked = LabeledDataset.open(Path.of("fixtures/shapes/test-marked/coco.json")).samples();
        try (TorchScriptModel c = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
                TorchScriptModel s = TorchScriptModel.load(Path.of("fixtures/models/shapes-shortcut.pt"))) {
            clean = ExplainedSamples.of(gradCam.explainAll(c,
                    LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples()));
            shortcut = ExplainedSamples.of(gradCam.explainAll(s, marked));
        }
    }

    private static Region mark(LabeledSample s) {
        return s.distractor().orElseThrow();
    }

    @Test
    void theCleanModelPassesThePointingGameGate() {
        assertThat(clean).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.9));
    }

    @Test
    void theShortcutModelIsCaughtWithTheWorstSamplesAndAPerClassCount() {
        assertThatThrownBy(() -> assertThat(shortcut).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.9)))
                .hasMessageContaining("Expecting peak-inside >= 1 for at least 90.0 % of 60 samples but it held for")
                .hasMessageContaining("per class: square ")
                .hasMessageContaining("worst samples:")
                .hasMessageContaining("images/");
    }

    @Test
    void theShortcutModelLooksAtTheMark() {
        assertThat(shortcut).peakInside(DatasetAssertTest::mark).isAtLeast(1, forAtLeast(0.9));
        assertThat(shortcut).massInside(DatasetAssertTest::mark).isAtLeast(0.01);
    }

    @Test
    void aCeilingGateCatchesMassOnTheMark() {
        assertThatThrownBy(() -> assertThat(shortcut).massInside(DatasetAssertTest::mark).isAtMost(0.005, forAtLeast(0.9)))
                .hasMessageContaining("Expecting mass-inside <= 0.005 for at least 90.0 %");
    }

    @Test
    void statisticsNavigateToDoubleAssertionsWithExactValues() {
        double[] values = clean.stream().mapToDouble(s -> MassInside.of(s.explanation().raw(), s.sample().mask()))
                .toArray();
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        // The mean is summed in ascending order (MetricSummary.mean), the same on every surface.
        double mean = 0;
        for (double v : sorted) {
            mean += v;
        }
        mean /= sorted.length;
        assertThat(clean).massInside(LabeledSample::region).mean().isEqualTo(mean);
        assertThat(clean).massInside(LabeledSample::region).percentile(10).isEqualTo(MetricSummary.percentile(sorted, 10));
        assertThat(clean).massInside(LabeledSample::region).median().isEqualTo(MetricSummary.percentile(sorted, 50));
        assertThatThrownBy(() -> assertThat(shortcut).massInside(LabeledSample::region).mean().isGreaterThan(0.2))
                .hasMessageContaining("[mean of mass-inside over 60 samples (per class: ");
    }

    @Test
    void theConfidenceAwareGateJudgesFewSamplesMoreStrictly() {
        // 58 or so of 60 hits: enough for 80 % plainly and at 95 % confidence, not for 95 % at 95 % confidence.
        assertThat(clean).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8).withConfidence(0.95));
        assertThatThrownBy(() -> assertThat(clean).peakInside(LabeledSample::region)
                        .isAtLeast(1, forAtLeast(0.95).withConfidence(0.95)))
                .hasMessageContaining("with 95 % confidence")
                .hasMessageContaining("whose Wilson lower bound is");
    }

    @Test
    void samplesWithoutAValueFailGatesAndStatistics() {
        List<ExplainedSample> withDegenerate = new ArrayList<>(clean.stream().limit(3).toList());
        ExplainedSample first = withDegenerate.get(0);
        Explanation e = first.explanation();
        Heatmap zeros = Heatmap.of(e.raw().width(), e.raw().height(), new float[e.raw().width() * e.raw().height()]);
        withDegenerate.add(new ExplainedSample(first.sample(), new Explanation(e.sampleId(), e.imageWidth(),
                e.imageHeight(), e.method(), e.layers(), e.target(), e.targetClass(), e.targetLabel(), e.score(),
                e.predictedClass(), zeros, zeros, e.layerMaps(), e.pipeline())));
        assertThatThrownBy(() -> assertThat(ExplainedSamples.of(withDegenerate)).massInside(LabeledSample::region)
                        .isAtLeast(0))
                .hasMessageContaining("but it held for 3 (75.0 %)")
                .hasMessageContaining("no value, The map has no positive mass");
        assertThatThrownBy(() -> assertThat(ExplainedSamples.of(withDegenerate)).massInside(LabeledSample::region)
                        .mean().isPositive())
                .hasMessageContaining("Cannot compute statistics of mass-inside: 1 of 4 samples have no value");
    }

    @Test
    void anEmptyDataSetIsNoPass() {
        assertThatThrownBy(() -> assertThat(ExplainedSamples.of(List.of())).massInside(LabeledSample::region))
                .hasMessageContaining("the data set is empty");
    }
}
