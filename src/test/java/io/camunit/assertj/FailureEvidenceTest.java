package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.catchThrowableOfType;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explanation;
import io.camunit.gate.Baseline;
import io.camunit.region.LabeledSample;
import io.camunit.report.DatasetEvidence;
import io.camunit.report.MetricValue;
import io.camunit.report.SampleEvidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * What each failing camunit assertion carries for the evidence: the same explanation instance, the
 * region, the metric with its value, condition and threshold; for data-set gates every sample's value
 * and verdict, worst first, and the gate's figures. On hand-made samples with exact metrics.
 */
class FailureEvidenceTest {

    /** Mass inside {@link Synthetic#OBJECT}: a 0.8 (circle), b 0.2 (square), c 0.6 (circle), d 0.4 (square). */
    private final List<ExplainedSample> list = Synthetic.fourSamples();
    private final ExplainedSamples four = ExplainedSamples.of(list);

    static CamAssertionError failure(ThrowingCallable check) {
        return catchThrowableOfType(CamAssertionError.class, check);
    }

    static SampleEvidence sampleEvidence(ThrowingCallable check) {
        return (SampleEvidence) failure(check).evidence();
    }

    static DatasetEvidence datasetEvidence(ThrowingCallable check) {
        return (DatasetEvidence) failure(check).evidence();
    }

    static List<String> ids(List<DatasetEvidence.WorstSample> worst) {
        return worst.stream().map(w -> w.explained().sample().id()).toList();
    }

    @Test
    void hasMassInsideAtLeastCarriesTheExplanationRegionAndValue() {
        Explanation e = list.get(1).explanation();
        CamAssertionError error = failure(() -> assertThat(e).hasMassInsideAtLeast(Synthetic.OBJECT, 0.5));
        assertThat(error).hasMessageContaining("Expecting mass-inside box [0, 0, 2, 2] to be at least 0.5 but was 0.2000");
        SampleEvidence evidence = (SampleEvidence) error.evidence();
        assertThat(evidence.explanation()).isSameAs(e);
        assertThat(evidence.region()).contains(Synthetic.OBJECT);
        assertThat(evidence.metric()).contains(new MetricValue("mass-inside", OptionalDouble.of(0.2), ">= 0.5",
                OptionalDouble.of(0.5), Optional.empty()));
        assertThat(evidence.model()).isEmpty();
        assertThat(evidence.sample()).isEmpty();
    }

    @Test
    void hasPeakInsideCarriesAMissWithWhereThePeakIs() {
        Explanation e = Synthetic.explanation("x.png", 4, 3, 3, 1);
        SampleEvidence evidence = sampleEvidence(() -> assertThat(e).hasPeakInside(Synthetic.OBJECT, 0));
        assertThat(evidence.metric()).contains(new MetricValue("peak-inside", OptionalDouble.of(0),
                ">= 1 (peak within 0.0 px)", OptionalDouble.of(1), Optional.of("peak at (3, 3)")));
    }

    @Test
    void aNavigatedMetricCarriesTheComparisonItFailed() {
        Explanation e = list.get(3).explanation();
        SampleEvidence greater = sampleEvidence(() -> assertThat(e).massInside(Synthetic.OBJECT).isGreaterThan(0.6));
        assertThat(greater.explanation()).isSameAs(e);
        assertThat(greater.metric()).contains(new MetricValue("mass-inside", OptionalDouble.of(0.4), "> 0.6",
                OptionalDouble.of(0.6), Optional.empty()));
        SampleEvidence between = sampleEvidence(() -> assertThat(e).rankAccuracy(Synthetic.OBJECT).isBetween(0.6, 0.9));
        assertThat(between.metric().orElseThrow().condition()).isEqualTo("in [0.6, 0.9]");
        assertThat(between.metric().orElseThrow().threshold()).isEmpty();
        SampleEvidence close = sampleEvidence(() -> assertThat(e).massInside(Synthetic.OBJECT)
                .isCloseTo(0.9, Offset.offset(0.1)));
        assertThat(close.metric().orElseThrow().condition()).isEqualTo("within 0.1 of 0.9");
    }

    @Test
    void aMetricThatCannotBeComputedCarriesWhy() {
        Explanation flat = Synthetic.explanation("flat.png", 4);
        SampleEvidence evidence = sampleEvidence(() -> assertThat(flat).hasMassInsideAtLeast(Synthetic.OBJECT, 0.5));
        MetricValue metric = evidence.metric().orElseThrow();
        assertThat(metric.value()).isEmpty();
        assertThat(metric.note().orElseThrow()).contains("positive mass");
        assertThat(sampleEvidence(() -> assertThat(flat).isNotDegenerate()).metric().orElseThrow().note())
                .contains("all zero after ReLU");
    }

    @Test
    void aFailedSampleGateCarriesEverySampleWorstFirstAndItsFigures() {
        DatasetEvidence evidence = datasetEvidence(() -> assertThat(four).massInside(LabeledSample::region)
                .isAtLeast(0.5, forAtLeast(0.9)));
        assertThat(evidence.metric()).isEqualTo("mass-inside");
        assertThat(evidence.gate()).isEqualTo("mass-inside >= 0.5 for 90%");
        assertThat(evidence.outcome()).isEqualTo("2/4 samples (50.0 %)");
        assertThat(evidence.figures()).containsExactly(Map.entry("threshold", 0.5), Map.entry("required_fraction", 0.9),
                Map.entry("rate", 0.5));
        assertThat(evidence.values()).extracting(DatasetEvidence.SampleResult::id)
                .containsExactly("a.png", "b.png", "c.png", "d.png");
        assertThat(evidence.values()).extracting(DatasetEvidence.SampleResult::passed)
                .containsExactly(true, false, true, false);
        assertThat(evidence.values().get(1).value()).hasValue(0.2);
        assertThat(ids(evidence.worst())).containsExactly("b.png", "d.png", "c.png", "a.png");
        assertThat(evidence.worst().get(0).explained()).isSameAs(list.get(1));
        assertThat(evidence.perClass()).extracting(c -> c.label() + " " + c.passing() + "/" + c.samples())
                .containsExactly("circle 2/2", "square 0/2", "(all) 2/4");
    }

    @Test
    void anUpperGateSortsTheHighestFirstAndAConfidenceGateAddsItsBound() {
        DatasetEvidence atMost = datasetEvidence(() -> assertThat(four).massInside(LabeledSample::region)
                .isAtMost(0.5, forAtLeast(0.75)));
        assertThat(ids(atMost.worst())).containsExactly("a.png", "c.png", "d.png", "b.png");
        DatasetEvidence confident = datasetEvidence(() -> assertThat(four).massInside(LabeledSample::region)
                .isAtLeast(0.2, forAtLeast(0.8).withConfidence(0.95)));
        assertThat(confident.figures().keySet()).containsExactly("threshold", "required_fraction", "confidence",
                "lower_bound", "rate");
        assertThat(confident.figures().get("lower_bound")).isCloseTo(0.597, Offset.offset(5e-4));
    }

    @Test
    void aFailedStatisticJudgesEachSampleByItsCondition() {
        // mean mass inside = (0.8 + 0.2 + 0.6 + 0.4) / 4 = 0.5
        DatasetEvidence evidence = datasetEvidence(() -> assertThat(four).massInside(LabeledSample::region).mean()
                .isGreaterThan(0.7));
        assertThat(evidence.gate()).isEqualTo("mean mass-inside > 0.7");
        assertThat(evidence.figures()).containsEntry("threshold", 0.7).containsKey("value");
        assertThat(evidence.figures().get("value")).isCloseTo(0.5, Offset.offset(1e-12));
        assertThat(evidence.values()).extracting(DatasetEvidence.SampleResult::passed)
                .containsExactly(true, false, false, false);
        assertThat(ids(evidence.worst())).containsExactly("b.png", "d.png", "c.png", "a.png");
    }

    @Test
    void samplesWithoutAValueComeFirstWithTheirReason() {
        ExplainedSamples withFlat = ExplainedSamples.of(List.of(list.get(0), Synthetic.flat("z.png", "square")));
        DatasetEvidence evidence = datasetEvidence(() -> assertThat(withFlat).massInside(LabeledSample::region)
                .isAtLeast(0.5));
        assertThat(ids(evidence.worst())).containsExactly("z.png", "a.png");
        assertThat(evidence.worst().get(0).result().value()).isEmpty();
        assertThat(evidence.worst().get(0).result().note().orElseThrow()).contains("positive mass");
    }

    @Test
    void aRegressionCarriesTheLargestDropFirstWithTheBaselineValue() {
        Baseline baseline = Baseline.record("m@1", assertThat(four).massInside(LabeledSample::region).sampleValues());
        // b drops from 0.2 to 0.0 and d from 0.4 to 0.1; a and c stay.
        ExplainedSamples candidate = ExplainedSamples.of(List.of(list.get(0), Synthetic.sample("b.png", "square", 0),
                list.get(2), Synthetic.sample("d.png", "square", 1)));
        DatasetEvidence evidence = datasetEvidence(() -> assertThat(candidate).massInside(LabeledSample::region)
                .doesNotRegressFrom(baseline, 0.05));
        assertThat(ids(evidence.worst())).containsExactly("d.png", "b.png", "a.png", "c.png");
        assertThat(evidence.values()).extracting(DatasetEvidence.SampleResult::passed)
                .containsExactly(true, false, true, false);
        assertThat(evidence.values().get(3).note()).contains("baseline 0.4");
        assertThat(evidence.figures()).containsEntry("tolerance", 0.05);
    }

    @Test
    void softAssertionsCollectTheErrorsWithTheirEvidence() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(list.get(1).explanation()).hasPeakInside(Synthetic.OBJECT, 0);   // its peak is at (3, 3)
        softly.assertThat(list.get(1).explanation()).massInside(Synthetic.OBJECT).isGreaterThan(0.5);
        softly.assertThat(four).massInside(LabeledSample::region).isAtLeast(0.5);
        assertThat(softly.errorsCollected()).hasSize(3).allMatch(e -> e instanceof CamAssertionError);
        assertThat(((CamAssertionError) softly.errorsCollected().get(2)).evidence()).isInstanceOf(DatasetEvidence.class);
    }

    @Test
    void theMessageIsTheSameAsWithoutEvidence() {
        CamAssertionError error = failure(() -> assertThat(four).massInside(LabeledSample::region)
                .isAtLeast(0.5, forAtLeast(0.9)));
        assertThat(error).hasMessage(String.format("[mass-inside over 4 samples] %nExpecting mass-inside >= 0.5 for at"
                + " least 90.0 %% of 4 samples but it held for 2 (50.0 %%)%n  per class: circle 2/2, square 0/2%n"
                + "  worst samples:%n    b.png (square): 0.2000%n    d.png (square): 0.4000"));
        assertThat(error.getStackTrace()).isNotEmpty()
                .noneMatch(frame -> frame.getClassName().startsWith("org.assertj.core.internal"));
    }
}
