package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;
import static io.camunit.assertj.CamAssertions.forAll;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSamples;
import io.camunit.gate.Baseline;
import io.camunit.gate.Gate;
import io.camunit.region.LabeledSample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.MultipleFailuresError;

/**
 * Every form of the data-set assertions checks when it is written, on four hand-made samples whose
 * mass inside the object is exactly 0.8, 0.2, 0.6 and 0.4 (with no tolerance, the peaks of a and c lie
 * on the object, those of b and d do not): no chain that reads as an assertion passes without
 * checking, hard or soft.
 */
class EveryFormChecksTest {

    private final ExplainedSamples four = Synthetic.four();

    @Test
    void aConditionWithoutAShareMustHoldForEverySample() {
        // 2 of 4 peaks lie on the object: "at least 1" alone means every sample, so it fails.
        assertThatThrownBy(() -> assertThat(four).peakInside(LabeledSample::region, 0).isAtLeast(1))
                .hasMessageContaining("Expecting peak-inside-0px >= 1 for at least 100.0 % of 4 samples but it held"
                        + " for 2 (50.0 %)");
        assertThat(four).peakInside(LabeledSample::region, 0).isAtLeast(1, forAtLeast(0.5));
    }

    @Test
    void everyNavigatedMetricChecksWithEveryComparison() {
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).isGreaterThan(0.2))
                .hasMessageContaining("held for 3 (75.0 %)");
        assertThatThrownBy(() -> assertThat(four).rankAccuracy(LabeledSample::region).isGreaterThan(0.9))
                .hasMessageContaining("Expecting rank-accuracy > 0.9");
        assertThatThrownBy(() -> assertThat(four).topPercentInside(LabeledSample::region, 25).isLessThan(0))
                .hasMessageContaining("Expecting top-25-inside < 0");
        assertThatThrownBy(() -> assertThat(four).iou(LabeledSample::region, 0.3).isAtMost(0, forAll()))
                .hasMessageContaining("Expecting iou-0.3 <= 0");
        assertThatThrownBy(() -> assertThat(four).metric("mass-inside").isAtLeast(0.5, forAtLeast(0.9)))
                .hasMessageContaining("held for 2 (50.0 %)");
    }

    @Test
    void aStatisticChecksWithItsComparisonAndFailsAtOnceWithoutValues() {
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).mean().isGreaterThan(0.5))
                .hasMessageStartingWith("[mean of mass-inside over 4 samples");
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).percentile(25).isGreaterThan(0.4))
                .hasMessageStartingWith("[p25 of mass-inside over 4 samples");
        ExplainedSamples flat = ExplainedSamples.of(List.of(Synthetic.flat("z.png", "circle")));
        assertThatThrownBy(() -> assertThat(flat).massInside(LabeledSample::region).median())
                .hasMessageContaining("Cannot compute statistics of mass-inside: 1 of 1 samples have no value");
    }

    @Test
    void gatesWrittenAsTheCommandLineWritesThemCheckInOnePassAndReportEveryFailure() {
        assertThat(four).meets("peak-inside-0px >= 1 for 50%", "mean mass-inside >= 0.5");
        Throwable both = org.assertj.core.api.Assertions.catchThrowable(() -> assertThat(four)
                .meets("peak-inside-0px >= 1 for 100%", "p10 mass-inside >= 0.3"));
        assertThat(both).isInstanceOf(MultipleFailuresError.class);
        assertThat(((MultipleFailuresError) both).getFailures()).hasSize(2)
                .allMatch(f -> f instanceof CamAssertionError);
        assertThat(((MultipleFailuresError) both).getFailures().get(1)).hasMessageContaining(
                "Expecting p10 mass-inside >= 0.3 but the p10 was 0.2600 over 4 samples");
        assertThat(four).massInside(LabeledSample::region).meets(Gate.parse("mass-inside >= 0.2 for 100%"));
    }

    @Test
    void noFormAcceptsNothingToCheck() {
        assertThatThrownBy(() -> assertThat(four).meets(new String[0])).isInstanceOf(CamunitException.class)
                .hasMessageContaining("with none it would check nothing");
        assertThatThrownBy(() -> forAtLeast(0)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("A share of 0 would pass without checking any sample");
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region)
                        .meets(Gate.parse("peak-inside >= 1 for 80%")))
                .isInstanceOf(CamunitException.class).hasMessageContaining("navigate to peak-inside first");
        assertThatThrownBy(() -> assertThat(ExplainedSamples.of(List.of())).meets("peak-inside >= 1 for 80%"))
                .hasMessage("Expecting explained samples for a peak-inside gate but the data set is empty");
    }

    @Test
    void aBaselineWithoutSamplesComparesNothingSoItFails() {
        Baseline empty = Baseline.record("m@1", "mass-inside", "grad-cam", List.of("features.10"), Map.of());
        assertThatThrownBy(() -> assertThat(four).massInside(LabeledSample::region).doesNotRegressFrom(empty, 0.1))
                .hasMessageContaining("the baseline has no samples, so nothing was compared");
    }

    @Test
    void softAssertionsCollectEveryForm() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(four).peakInside(LabeledSample::region, 0).isAtLeast(1);
        softly.assertThat(four).massInside(LabeledSample::region).isGreaterThan(0.2);
        softly.assertThat(four).massInside(LabeledSample::region).median().isGreaterThan(0.6);
        softly.assertThat(four).meets("peak-inside-0px >= 1 for 100%", "mean mass-inside > 0.5");
        softly.assertThat(four).massInside(LabeledSample::region).doesNotRegressFrom(
                Baseline.record("m@1", "mass-inside", "grad-cam", List.of("features.10"), Map.of("b.png", 0.9)), 0.1);
        softly.assertThat(List.of(1, 2)).hasSize(3);   // AssertJ's own, from the same object
        assertThat(softly.errorsCollected()).hasSize(7);
        assertThat(softly.errorsCollected().subList(0, 6)).allMatch(e -> e instanceof CamAssertionError);
    }
}
