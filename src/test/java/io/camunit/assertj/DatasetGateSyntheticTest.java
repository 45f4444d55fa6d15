package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;
import static io.camunit.assertj.CamAssertions.forAll;
import static io.camunit.assertj.CamAssertions.forAtLeast;
import static io.camunit.assertj.CamAssertions.within;

import io.camunit.explain.ExplainedSamples;
import io.camunit.region.LabeledSample;

import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The data-set gates on four hand-made samples whose mass inside the object is exactly 0.8, 0.2,
 * 0.6 and 0.4: a passing case, a failing case with its whole message, and a soft case each.
 */
class DatasetGateSyntheticTest {

    private final ExplainedSamples four = Synthetic.four();

    @Test
    void aShareOfTheSamplesMustMeetTheCondition() {
        assertThat(four).massInside(LabeledSample::region).isAtLeast(0.4, forAtLeast(0.75));
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).isAtLeast(0.5, forAtLeast(0.9)))
                .hasMessage(String.format("[mass-inside over 4 samples] %nExpecting mass-inside >= 0.5 for at least"
                        + " 90.0 %% of 4 samples but it held for 2 (50.0 %%)%n  per class: circle 2/2, square 0/2%n"
                        + "  worst samples:%n    b.png (square): 0.2000%n    d.png (square): 0.4000"));
    }

    @Test
    void withoutAShareEverySampleMustMeetTheCondition() {
        assertThat(four).massInside(LabeledSample::region).isGreaterThan(0.1);
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).isGreaterThan(0.2))
                .hasMessage(String.format("[mass-inside over 4 samples] %nExpecting mass-inside > 0.2 for at least"
                        + " 100.0 %% of 4 samples but it held for 3 (75.0 %%)%n  per class: circle 2/2, square 1/2%n"
                        + "  worst samples:%n    b.png (square): 0.2000"));
    }

    @Test
    void aShareWithConfidenceIsJudgedByTheWilsonLowerBound() {
        // 4 of 4 at 90 % one-sided confidence: Wilson lower bound 0.709.
        assertThat(four).massInside(LabeledSample::region).isAtLeast(0.2, forAtLeast(0.7).withConfidence(0.9));
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region)
                        .isAtLeast(0.2, forAtLeast(0.8).withConfidence(0.95)))
                .hasMessage(String.format("[mass-inside over 4 samples] %nExpecting mass-inside >= 0.2 for at least"
                        + " 80.0 %% of samples with 95 %% confidence but it held for 4 of 4 (100.0 %%), whose Wilson"
                        + " lower bound is 59.7 %%%n  per class: circle 2/2, square 2/2%n  worst samples:%n    "));
    }

    @Test
    void anUpperBoundListsTheHighestValuesFirst() {
        assertThat(four).massInside(LabeledSample::region).isAtMost(0.8, forAll());
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).isAtMost(0.5, forAtLeast(0.75)))
                .hasMessage(String.format("[mass-inside over 4 samples] %nExpecting mass-inside <= 0.5 for at least"
                        + " 75.0 %% of 4 samples but it held for 2 (50.0 %%)%n  per class: circle 0/2, square 2/2%n"
                        + "  worst samples:%n    a.png (circle): 0.8000%n    c.png (circle): 0.6000"));
    }

    @Test
    void meanMedianAndPercentile() {
        assertThat(four).massInside(LabeledSample::region).mean().isCloseTo(0.5, within(1e-12));
        assertThat(four).massInside(LabeledSample::region).median().isCloseTo(0.5, within(1e-12));
        // NumPy linear: position 0.1 x 3 = 0.3 between 0.2 and 0.4.
        assertThat(four).massInside(LabeledSample::region).percentile(10).isCloseTo(0.26, within(1e-12));
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).median().isGreaterThan(0.6))
                .hasMessage(String.format("[median of mass-inside over 4 samples (per class: circle 0.700, square"
                        + " 0.300)] %nExpecting actual:%n  0.5%nto be greater than:%n  0.6%n"));
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).mean().isLessThan(0.4))
                .hasMessageStartingWith("[mean of mass-inside over 4 samples (per class: circle 0.700, square 0.300)] ");
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).percentile(10).isGreaterThan(0.3))
                .hasMessageStartingWith("[p10 of mass-inside over 4 samples (per class: ");
    }

    @Test
    void statisticsOfSamplesWithoutAValueFail() {
        ExplainedSamples withFlat = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 8),
                Synthetic.flat("z.png", "circle")));
        assertThatThrownBy(() -> assertThat(withFlat).massInside(LabeledSample::region).mean().isPositive())
                .hasMessage(String.format("[mass-inside over 2 samples] %nCannot compute statistics of mass-inside: 1 of"
                        + " 2 samples have no value:%n    z.png (circle): no value, %s%nGate them with a per-sample"
                        + " condition (e.g. isAtLeast(0.5, forAtLeast(0.9))), which counts them as failures.",
                        reasonOfFlat()));
    }

    @Test
    void anEmptyDataSet() {
        assertThatThrownBy(() -> assertThat(ExplainedSamples.of(List.of())).massInside(LabeledSample::region))
                .hasMessage("Expecting explained samples for a mass-inside gate but the data set is empty");
    }

    @Test
    void softGatesAndStatisticsCollectEveryFailure() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(four).massInside(LabeledSample::region).isAtLeast(0.5, forAtLeast(0.9))
                .isAtMost(0.5)
                .isAtLeast(0.2, forAtLeast(0.8).withConfidence(0.95))
                .isAtLeast(0.2);
        softly.assertThat(four).massInside(LabeledSample::region).mean().isGreaterThan(0.9);
        softly.assertThat(four).massInside(LabeledSample::region).median().isEqualTo(0.5);
        softly.assertThat(four).massInside(LabeledSample::region).percentile(90).isLessThan(0.1);
        softly.assertThat(ExplainedSamples.of(List.of(Synthetic.flat("z.png", "circle")))).massInside(LabeledSample::region)
                .mean().isPositive();
        // The data set without values fails twice: statistics cannot be computed, then isPositive has no value.
        Assertions.assertThat(softly.errorsCollected()).hasSize(7);
        Assertions.assertThat(softly.errorsCollected().get(0)).hasMessageContaining("mass-inside >= 0.5 for at least");
        Assertions.assertThat(softly.errorsCollected().get(1)).hasMessageContaining("mass-inside <= 0.5");
        Assertions.assertThat(softly.errorsCollected().get(2)).hasMessageContaining("Wilson lower bound is 59.7 %");
        Assertions.assertThat(softly.errorsCollected().get(3)).hasMessageStartingWith("[mean of mass-inside");
        Assertions.assertThat(softly.errorsCollected().get(4)).hasMessageStartingWith("[p90 of mass-inside");
        Assertions.assertThat(softly.errorsCollected().get(5)).hasMessageContaining("Cannot compute statistics");
        Assertions.assertThat(softly.errorsCollected().get(6)).hasMessageContaining("Expecting actual not to be null");
    }

    static String reasonOfFlat() {
        try {
            io.camunit.metric.MassInside.of(Synthetic.flat("z.png", "circle").explanation().raw(),
                    Synthetic.OBJECT.toMask(4, 4));
        } catch (io.camunit.CamunitException e) {
            return e.getMessage();
        }
        throw new AssertionError("a flat map has no mass inside");
    }
}
