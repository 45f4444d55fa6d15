package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.explain.Explanation;
import io.camunit.region.Box;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Every assertion of {@link ExplanationAssert} on hand-made maps: a passing case, a failing case
 * with its whole message, and a soft case.
 */
class ExplanationAssertSyntheticTest {

    // 4 x 4: 3 at (0, 0), 1 at (1, 0) and (0, 1) and (1, 1), 2 at (3, 2) and (3, 3); total 10,
    // 6 inside the top-left 2 x 2 box.
    private final Explanation fourByFour = Synthetic.explanation("s.png", 4, 0, 0, 3, 1, 0, 1, 0, 1, 1, 1, 1, 1, 3, 2, 2,
            3, 3, 2);
    private final Box topLeft = Box.coco(0, 0, 2, 2);
    private final Box bottomRight = Box.coco(2, 2, 2, 2);
    // 32 x 32: the peak (5) in the far corner, a little mass (1) near the origin.
    private final Explanation farPeak = Synthetic.explanation("far.png", 32, 31, 31, 5, 0, 0, 1);
    private final Box nearOrigin = Box.coco(0, 0, 4, 4);

    private static final String FOUR = "sample s.png (grad-cam at features.10 for circle, class 0, score 2.500)";

    @Test
    void massInsideNavigatesToItsExactValue() {
        assertThat(fourByFour).massInside(topLeft).isEqualTo(0.6);
        assertThatThrownBy(() -> assertThat(fourByFour).massInside(bottomRight).isGreaterThan(0.5))
                .hasMessage(String.format("[mass-inside box [2, 2, 2, 2] of %s] %n"
                        + "Expecting actual:%n  0.4%nto be greater than:%n  0.5%n", FOUR));
    }

    @Test
    void rankAccuracyTopPercentAndIouNavigate() {
        // The 4 highest pixels: 3, 2, 2 and the first 1 in value order; 1 of the 2s... computed by the metric.
        assertThat(fourByFour).rankAccuracy(topLeft).isEqualTo(0.5);
        assertThat(fourByFour).topPercentInside(topLeft, 25).isEqualTo(0.5);
        // Cut at 0.5 x max = 1.5: pixels (0, 0), (3, 2), (3, 3); one of them in the 4-pixel box -> 1 / 6.
        assertThat(fourByFour).iou(topLeft, 0.5).isEqualTo(1.0 / 6);
        assertThatThrownBy(() -> assertThat(fourByFour).iou(topLeft, 0.5).isGreaterThan(0.5))
                .hasMessageStartingWith(String.format("[iou-0.5 box [0, 0, 2, 2] of %s] ", FOUR));
        assertThatThrownBy(() -> assertThat(fourByFour).rankAccuracy(topLeft).isGreaterThan(0.5))
                .hasMessageStartingWith(String.format("[rank-accuracy box [0, 0, 2, 2] of %s] ", FOUR));
        assertThatThrownBy(() -> assertThat(fourByFour).topPercentInside(topLeft, 25).isGreaterThan(0.5))
                .hasMessageStartingWith(String.format("[top-25-inside box [0, 0, 2, 2] of %s] ", FOUR));
    }

    @Test
    void hasMassInsideAtLeast() {
        assertThat(fourByFour).hasMassInsideAtLeast(topLeft, 0.6);
        assertThatThrownBy(() -> assertThat(fourByFour).hasMassInsideAtLeast(bottomRight, 0.5))
                .hasMessage(String.format("%nExpecting mass-inside box [2, 2, 2, 2] to be at least 0.5 but was 0.4000 for"
                        + "%n  %s;%n  the hottest area (map >= 0.5 x max) is box [3, 2, 1, 2], 40.0 %% of the mass in"
                        + " the region", FOUR));
    }

    @Test
    void hasPeakInsideWithTheDefaultTolerance() {
        assertThat(farPeak).hasPeakInside(Box.coco(20, 20, 4, 4));   // 11 px away, within 15
        assertThatThrownBy(() -> assertThat(farPeak).hasPeakInside(nearOrigin))
                .hasMessage(String.format("%nExpecting the map's peak within 15.0 px of box [0, 0, 4, 4] but it is at"
                        + " (31, 31) for%n  sample far.png (grad-cam at features.10 for circle, class 0, score 2.500);"
                        + "%n  the hottest area (map >= 0.5 x max) is box [31, 31, 1, 1], 16.7 %% of the mass in the"
                        + " region"));
    }

    @Test
    void hasPeakInsideWithAnExplicitTolerance() {
        // The peak (0, 0) is sqrt(8) = 2.83 px from the bottom-right box.
        assertThat(fourByFour).hasPeakInside(bottomRight, 3);
        assertThatThrownBy(() -> assertThat(fourByFour).hasPeakInside(bottomRight, 2))
                .hasMessage(String.format("%nExpecting the map's peak within 2.0 px of box [2, 2, 2, 2] but it is at"
                        + " (0, 0) for%n  %s;%n  the hottest area (map >= 0.5 x max) is box [3, 2, 1, 2], 40.0 %% of"
                        + " the mass in the region", FOUR));
    }

    @Test
    void isNotDegenerate() {
        assertThat(fourByFour).isNotDegenerate();
        assertThatThrownBy(() -> assertThat(Synthetic.explanation("flat.png", 4)).isNotDegenerate())
                .hasMessage(String.format("%nExpecting a map with positive mass but the map of%n  sample flat.png"
                        + " (grad-cam at features.10 for circle, class 0, score 2.500)%n  is degenerate (all zero after"
                        + " ReLU): the target score does not depend on the explained layer for this image."));
    }

    @Test
    void isFocusedOn() {
        assertThat(fourByFour).isFocusedOn(topLeft);
        assertThatThrownBy(() -> assertThat(farPeak).isFocusedOn(nearOrigin))
                .hasMessageStartingWith(String.format("%nExpecting the map's peak within 15.0 px of box [0, 0, 4, 4]"));
        // The peak is within 15 px but most of the mass is not within 15 px of the region.
        Explanation spread = Synthetic.explanation("spread.png", 32, 20, 20, 3, 31, 0, 2, 0, 31, 2);
        assertThatThrownBy(() -> assertThat(spread).isFocusedOn(Box.coco(10, 10, 2, 2)))
                .hasMessageStartingWith(String.format("%nExpecting mass-inside box [10, 10, 2, 2] + 15.0 px to be at least"
                        + " 0.5 but was 0.4286 for"));
    }

    @Test
    void softAssertionsCollectEveryKindOfFailure() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(fourByFour).massInside(topLeft).isEqualTo(0.6);
        softly.assertThat(fourByFour).massInside(bottomRight).isGreaterThan(0.5);
        softly.assertThat(fourByFour).rankAccuracy(topLeft).isGreaterThan(0.9);
        softly.assertThat(fourByFour).hasMassInsideAtLeast(bottomRight, 0.5).hasPeakInside(bottomRight, 2);
        softly.assertThat(farPeak).hasPeakInside(nearOrigin).isFocusedOn(nearOrigin);
        softly.assertThat(Synthetic.explanation("flat.png", 4)).isNotDegenerate();
        Assertions.assertThat(softly.errorsCollected()).hasSize(7);
        Assertions.assertThat(softly.errorsCollected().get(0)).hasMessageStartingWith("[mass-inside box [2, 2, 2, 2]");
        Assertions.assertThat(softly.errorsCollected().get(6)).hasMessageContaining("is degenerate");
    }

    @Test
    void aFailingEqualityOfExplanationsPrintsTheCompactForm() {
        Explanation other = Synthetic.explanation("t.png", 4, 2, 1, 7);
        assertThatThrownBy(() -> assertThat(fourByFour).isEqualTo(other))
                .hasMessage(String.format("%nexpected: Explanation[t.png, grad-cam at features.10, target circle"
                        + " (class 0), score 2.500, map 4x4, max 7.000, peak (2, 1)]%n but was: Explanation[s.png,"
                        + " grad-cam at features.10, target circle (class 0), score 2.500, map 4x4, max 3.000, peak"
                        + " (0, 0)]"));
    }
}
