package io.camunit.region;

import static io.camunit.region.ShapesFixture.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.util.Random;

import org.junit.jupiter.api.Test;

class MaskTest {

    /** Every pixel whose centre is within the radius of a mask pixel's centre, by checking all pairs. */
    private static Mask bruteForceDilation(Mask m, double radius) {
        int w = m.width();
        int h = m.height();
        boolean[] in = m.toArray();
        boolean[] out = new boolean[w * h];
        for (int p = 0; p < out.length; p++) {
            for (int q = 0; q < in.length && !out[p]; q++) {
                if (in[q]) {
                    double dx = p % w - q % w;
                    double dy = p / w - q / w;
                    out[p] = dx * dx + dy * dy <= radius * radius;
                }
            }
        }
        return Mask.of(w, h, out);
    }

    /** Up to 23 x 19 pixels, each inside with a probability of up to 0.15. */
    private static Mask randomMask(Random random) {
        int w = 1 + random.nextInt(23);
        int h = 1 + random.nextInt(19);
        double density = random.nextDouble() * 0.15;
        boolean[] in = new boolean[w * h];
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextDouble() < density;
        }
        return Mask.of(w, h, in);
    }

    @Test
    void dilationEqualsBruteForceEuclideanDilationOnRandomMasks() {
        Random random = new Random(1729);
        for (int trial = 0; trial < 40; trial++) {
            Mask m = randomMask(random);
            int w = m.width();
            int h = m.height();
            for (double radius : new double[] {0.5, 1, Math.sqrt(2), 2, 2.9, 5.5}) {
                assertThat(m.dilated(radius)).as("%d x %d, radius %s", w, h, radius)
                        .isEqualTo(bruteForceDilation(m, radius));
            }
        }
    }

    @Test
    void dilationByOneIsTheFourNeighbourhoodAndBySqrtTwoTheEightNeighbourhood() {
        Mask dot = picture(
                ".....",
                ".....",
                "..#..",
                ".....",
                ".....");
        assertThat(dot.dilated(1)).isEqualTo(picture(
                ".....",
                "..#..",
                ".###.",
                "..#..",
                "....."));
        assertThat(dot.dilated(Math.sqrt(2))).isEqualTo(picture(
                ".....",
                ".###.",
                ".###.",
                ".###.",
                "....."));
    }

    @Test
    void dilationByZeroOrOfAnEmptyMaskChangesNothing() {
        Mask dot = picture("#..");
        assertThat(dot.dilated(0)).isSameAs(dot);
        assertThat(Mask.empty(3, 2).dilated(4)).isEqualTo(Mask.empty(3, 2));
    }

    @Test
    void isNearIsMembershipOfTheDilatedMaskAtEveryPixelOnRandomMasks() {
        Random random = new Random(4104);
        for (int trial = 0; trial < 40; trial++) {
            Mask m = randomMask(random);
            int w = m.width();
            int h = m.height();
            for (double radius : new double[] {0, 0.5, 1, Math.sqrt(2), 2.9, 5.5, 1e9}) {
                Mask dilated = m.dilated(radius);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        assertThat(m.isNear(x, y, radius)).as("(%d, %d) in %d x %d, radius %s", x, y, w, h, radius)
                                .isEqualTo(dilated.contains(x, y));
                    }
                }
            }
        }
    }

    @Test
    void isNearCountsTheMarginInclusivelyAndNothingOutsideTheImage() {
        Mask dot = picture("#....");
        assertThat(dot.isNear(4, 0, 4)).isTrue();
        assertThat(dot.isNear(4, 0, 3.99)).isFalse();
        assertThat(dot.isNear(-1, 0, 4)).as("left of the image").isFalse();
        assertThatThrownBy(() -> dot.isNear(0, 0, -1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining(">= 0");
    }

    @Test
    void nextInsideVisitsTheMaskPixelsInRowMajorOrder() {
        Mask m = picture(
                ".#.",
                "..#");
        assertThat(m.nextInside(0)).isEqualTo(1);
        assertThat(m.nextInside(2)).isEqualTo(5);
        assertThat(m.nextInside(6)).isEqualTo(-1);
        assertThat(Mask.empty(3, 2).nextInside(0)).isEqualTo(-1);
    }

    @Test
    void aNegativeOrInfiniteMarginIsRejected() {
        Mask dot = picture("#..");
        assertThatThrownBy(() -> dot.dilated(-1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining(">= 0").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> dot.dilated(Double.NaN)).isInstanceOf(CamunitException.class);
        assertThatThrownBy(() -> dot.dilated(Double.POSITIVE_INFINITY)).isInstanceOf(CamunitException.class);
    }

    @Test
    void boundingBoxIsTheTightBoxInCocoConvention() {
        Mask m = picture(
                "......",
                "..#...",
                ".....#",
                "...#..");
        assertThat(m.boundingBox()).isEqualTo(Box.coco(2, 1, 4, 3));
        assertThat(m.boundingBox().toMask(6, 4).area()).isEqualTo(12);
        assertThat(picture("#").boundingBox()).isEqualTo(Box.coco(0, 0, 1, 1));
    }

    @Test
    void anEmptyMaskHasNoBoundingBox() {
        assertThatThrownBy(() -> Mask.empty(2, 2).boundingBox()).isInstanceOf(CamunitException.class)
                .hasMessageContaining("empty mask");
    }

    @Test
    void aMaskLabelsOnlyAnImageOfItsOwnSize() {
        Mask m = Mask.empty(4, 3);
        assertThat(m.toMask(4, 3)).isSameAs(m);
        assertThatThrownBy(() -> m.toMask(3, 4)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("4x3 mask").hasMessageContaining("3x4 image")
                .hasMessageContaining("never resized");
    }

    @Test
    void masksOfDifferentSizesCannotBeCombined() {
        assertThatThrownBy(() -> Mask.empty(2, 2).or(Mask.empty(3, 2))).isInstanceOf(CamunitException.class)
                .hasMessageContaining("2x2").hasMessageContaining("3x2");
    }

    @Test
    void valuesAreRowMajorAndTheirCountMustMatchTheSize() {
        Mask m = Mask.of(3, 2, new boolean[] {false, true, false, false, false, true});
        assertThat(m.contains(1, 0)).isTrue();
        assertThat(m.contains(2, 1)).isTrue();
        assertThat(m.contains(0, 1)).isFalse();
        assertThat(m.contains(-1, 0)).isFalse();
        assertThat(m.area()).isEqualTo(2);
        assertThatThrownBy(() -> Mask.of(3, 2, new boolean[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 6 values; got 5");
        assertThatThrownBy(() -> Mask.empty(0, 2)).isInstanceOf(CamunitException.class);
    }

    @Test
    void aUnionOfRegionsIsTheirPixelUnionAndAMarginGrowsIt() {
        Region both = Region.union(java.util.List.of(Box.coco(0, 0, 1, 1), Box.coco(3, 0, 1, 1)));
        assertThat(both.toMask(4, 1)).isEqualTo(picture("#..#"));
        assertThat(both.withMargin(1).toMask(4, 1)).isEqualTo(picture("####"));
        assertThat(Region.union(java.util.List.of()).toMask(2, 1)).isEqualTo(picture(".."));
    }
}
