package io.camunit.region;

import static io.camunit.region.ShapesFixture.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;

import org.junit.jupiter.api.Test;

class BoxTest {

    @Test
    void anIntegerBoxCoversExactlyThePixelsFromXToXPlusWidthMinusOne() {
        assertThat(Box.coco(3, 1, 2, 3).toMask(6, 5)).isEqualTo(picture(
                "......",
                "...##.",
                "...##.",
                "...##.",
                "......"));
    }

    @Test
    void aFractionalBoxHoldsThePixelsWhoseCentresLieInsideIt() {
        // Centres 1.5 and 2.5 lie in [1.5, 3.5); centres 0.5 and 1.5 lie in [0.4, 1.6).
        assertThat(Box.coco(1.5, 0.4, 2.0, 1.2).toMask(5, 3)).isEqualTo(picture(
                ".##..",
                ".##..",
                "....."));
    }

    @Test
    void aBoxBetweenPixelCentresHoldsNoPixel() {
        assertThat(Box.coco(0.6, 0.6, 0.8, 0.8).toMask(3, 3).isEmpty()).isTrue();
    }

    @Test
    void aBoxPartlyOutsideTheImageIsClippedToIt() {
        assertThat(Box.coco(-2, -1, 4, 3).toMask(4, 3)).isEqualTo(picture(
                "##..",
                "##..",
                "...."));
        assertThat(Box.coco(2.6, 1, 10, 10).toMask(4, 3)).isEqualTo(picture(
                "....",
                "...#",
                "...#"));
    }

    @Test
    void aBoxEntirelyOutsideTheImageHoldsNoPixel() {
        assertThat(Box.coco(10, 10, 2, 2).toMask(5, 5).isEmpty()).isTrue();
        assertThat(Box.coco(-5, 0, 4, 2).toMask(5, 5).isEmpty()).isTrue();
    }

    @Test
    void vocCornersAreOneBasedAndInclusive() {
        assertThat(Box.voc(4, 5, 5, 6)).isEqualTo(Box.coco(3, 4, 2, 2));
        assertThat(Box.voc(1, 1, 1, 1)).isEqualTo(Box.coco(0, 0, 1, 1));
    }

    @Test
    void yoloValuesAreTheNormalisedCentreAndSize() {
        assertThat(Box.yolo(0.5, 0.5, 0.25, 0.5, 16, 8)).isEqualTo(Box.coco(6, 2, 4, 4));
        Box b = Box.yolo(0.1, 0.9, 0.2, 0.2, 10, 10);
        assertThat(b.x()).isCloseTo(0, within(1e-12));
        assertThat(b.maxY()).isCloseTo(10, within(1e-12));
    }

    @Test
    void iouOfBoxesIsIntersectionOverUnionOfAreas() {
        assertThat(Box.coco(0, 0, 2, 2).iou(Box.coco(1, 0, 2, 2))).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(Box.coco(0, 0, 2, 2).iou(Box.coco(5, 5, 1, 1))).isZero();
    }

    @Test
    void emptyAndNonFiniteBoxesAreRejectedWithTheValues() {
        assertThatThrownBy(() -> Box.coco(0, 0, 0, 3)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("positive size").hasMessageContaining("w=0.0");
        assertThatThrownBy(() -> Box.coco(Double.NaN, 0, 1, 1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("x=NaN");
        assertThatThrownBy(() -> Box.coco(0, 0, Double.POSITIVE_INFINITY, 1)).isInstanceOf(CamunitException.class);
    }

    @Test
    void describeShowsWholeNumbersWithoutDecimals() {
        assertThat(Box.coco(1, 2, 3.5, 4).describe()).isEqualTo("box [1, 2, 3.5, 4]");
    }
}
