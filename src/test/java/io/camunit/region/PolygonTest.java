package io.camunit.region;

import static io.camunit.region.ShapesFixture.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolygonTest {

    @Test
    void aSquareWithIntegerCornersCoversThePixelsBetweenThemLikeTheBox() {
        // COCO coordinates are pixel corners: corners 2 and 6 enclose pixel columns 2..5.
        Mask m = Polygon.of(2, 2, 6, 2, 6, 5, 2, 5).toMask(10, 8);
        assertThat(m).isEqualTo(picture(
                "..........",
                "..........",
                "..####....",
                "..####....",
                "..####....",
                "..........",
                "..........",
                ".........."));
        assertThat(m).isEqualTo(Box.coco(2, 2, 4, 3).toMask(10, 8));
    }

    @Test
    void everyIntegerRectangleCoversExactlyThePixelsOfItsBox() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            int w = 1 + random.nextInt(30);
            int h = 1 + random.nextInt(30);
            int x0 = random.nextInt(w);
            int y0 = random.nextInt(h);
            int x1 = x0 + 1 + random.nextInt(w - x0);
            int y1 = y0 + 1 + random.nextInt(h - y0);
            Polygon p = Polygon.of(x0, y0, x1, y0, x1, y1, x0, y1);
            assertThat(p.toMask(w, h)).as(p.bounds().describe()).isEqualTo(Box.coco(x0, y0, x1 - x0, y1 - y0)
                    .toMask(w, h));
        }
    }

    @Test
    void aFractionalRectangleHoldsThePixelsWhoseCentresItContains() {
        // Centres 1.5..7.5 lie in [1.3, 7.6]; centres 1.5..5.5 lie in [0.7, 6.2].
        assertThat(Polygon.of(1.3, 0.7, 7.6, 0.7, 7.6, 6.2, 1.3, 6.2).toMask(10, 8)).isEqualTo(picture(
                "..........",
                ".#######..",
                ".#######..",
                ".#######..",
                ".#######..",
                ".#######..",
                "..........",
                ".........."));
    }

    @Test
    void aTriangleIsRasterisedExactlyAsPycocotoolsDoes() {
        // Expected pixels from pycocotools' maskApi.c (frPyObjects + decode), including its rounding
        // of edge crossings to a 1/5 px grid (the stray pixel at row 10, column 1).
        assertThat(Polygon.of(1.2, 10.7, 10.4, 9.1, 4.8, 0.9).toMask(12, 12)).isEqualTo(picture(
                "............",
                "............",
                "....##......",
                "....###.....",
                "...####.....",
                "...#####....",
                "...######...",
                "..#######...",
                "..########..",
                "..#######...",
                ".##.........",
                "............"));
    }

    @Test
    void aPolygonPartlyLeftAndAboveTheImageIsClippedToIt() {
        assertThat(Polygon.of(-2.4, -1.6, 5.3, -0.8, 4.1, 6.7, -1.2, 5.5).toMask(9, 9)).isEqualTo(picture(
                "#####....",
                "#####....",
                "#####....",
                "#####....",
                "#####....",
                "####.....",
                "...#.....",
                ".........",
                "........."));
    }

    @Test
    void aPolygonPartlyRightAndBelowTheImageIsClippedToIt() {
        assertThat(Polygon.of(6.5, 4.2, 13.0, 3.0, 12.4, 11.5, 7.0, 10.1).toMask(11, 9)).isEqualTo(picture(
                "...........",
                "...........",
                "...........",
                "..........#",
                ".......####",
                ".......####",
                ".......####",
                ".......####",
                ".......####"));
    }

    @Test
    void aSelfIntersectingPolygonFollowsTheEvenOddRule() {
        assertThat(Polygon.of(1, 1, 9, 9, 9, 1, 1, 9).toMask(10, 10)).isEqualTo(picture(
                "..........",
                ".#......#.",
                ".##....##.",
                ".###..###.",
                ".########.",
                ".###..###.",
                ".##....##.",
                ".#......#.",
                "..........",
                ".........."));
    }

    @Test
    void severalPartsAreTheirUnionNotTheirEvenOddCombination() {
        Polygon two = Polygon.ofParts(List.of(new double[] {1, 1, 6, 1, 6, 6, 1, 6},
                new double[] {4, 4, 4, 9, 9, 9, 9, 4}));
        assertThat(two.toMask(10, 10)).isEqualTo(picture(
                "..........",
                ".#####....",
                ".#####....",
                ".#####....",
                ".########.",
                ".########.",
                "....#####.",
                "....#####.",
                "....#####.",
                ".........."));
        assertThat(two.vertexCount()).isEqualTo(8);
        assertThat(two.describe()).isEqualTo("polygon of 2 parts, 8 points");
    }

    @Test
    void collinearPointsEncloseNoPixelAndASubPixelTriangleMayHoldOne() {
        assertThat(Polygon.of(1, 1, 3, 3, 5, 5).toMask(6, 6).isEmpty()).isTrue();
        assertThat(Polygon.of(2.1, 2.1, 2.9, 2.2, 2.4, 2.8).toMask(6, 6)).isEqualTo(Box.coco(2, 2, 1, 1)
                .toMask(6, 6));
    }

    /**
     * Goldens computed with pycocotools' own maskApi.c ({@code rleFrPoly}, {@code rleMerge},
     * {@code rleToString}) for each case: size h w, then the parts' vertices, then the COCO string.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            integer square       | 8  | 10 | 2 2 6 2 6 5 2 5                                  | b03500000n0
            fractional rectangle | 8  | 10 | 1.3 0.7 7.6 0.7 7.6 6.2 1.3 6.2                  | 95300000000000?
            triangle             | 12 | 12 | 1.2 10.7 10.4 9.1 4.8 0.9                        | f0183M2O2001O2N1O2Ma0
            outside left top     | 9  | 9  | -2.4 -1.6 5.3 -0.8 4.1 6.7 -1.2 5.5              | 06300001ONV1
            outside right bottom | 9  | 11 | 6.5 4.2 13.0 3.0 12.4 11.5 7.0 10.1              | S254000O1
            bow tie              | 10 | 10 | 1 1 9 9 9 1 1 9                                  | ;74N2N2N10O2N2N28
            two parts            | 10 | 10 | 1 1 6 1 6 6 1 6 / 4 4 4 9 9 9 9 4                | ;5500003M03M00006
            concave star         | 16 | 16 | 8 0.5 9.9 6.1 15.6 6.2 11.0 9.6 12.8 15.2 8 11.7 3.2 15.2 5.0 9.6 0.4 6.2 6.1 6.1 | f01?1O0HO12K065O0N2103N00OKJ06ONO117O;
            collinear            | 6  | 6  | 1 1 3 3 5 5                                      | T1
            sub-pixel triangle   | 6  | 6  | 2.1 2.1 2.9 2.2 2.4 2.8                          | >1e0
            """)
    void polygonsMatchPycocotoolsGoldens(String name, int h, int w, String vertices, String expected) {
        List<double[]> parts = java.util.Arrays.stream(vertices.split("/"))
                .map(p -> java.util.Arrays.stream(p.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray())
                .toList();
        Mask mask = Polygon.ofParts(parts).toMask(w, h);
        assertThat(Rle.encode(mask).toCompressedString()).isEqualTo(expected);
        assertThat(mask).isEqualTo(Rle.fromString(expected, h, w).toMask(w, h));
    }

    @Test
    void fixturePolygonsAgreeWithTheirPilDrawnMasksUpToEdgePixels() {
        // The fixture's polygons are PIL's drawing vertices moved to COCO's pixel-corner coordinates
        // (+0.5). PIL fills every pixel its outline touches, pycocotools rounds boundary crossings,
        // so slanted edges still differ by up to a pixel; the overlap stays high.
        int polygons = 0;
        long inter = 0;
        long union = 0;
        for (java.nio.file.Path split : List.of(ShapesFixture.TEST, ShapesFixture.VAL)) {
            LabeledDataset data = DatasetFormats.open(split.resolve("coco.json"));
            for (LabeledSample s : data) {
                for (int k = 0; k < s.objects().size(); k++) {
                    if (!(s.objects().get(k).region() instanceof Polygon p)) {
                        continue;
                    }
                    polygons++;
                    Mask pil = ShapesFixture.objectMask(split, s, k);
                    Mask coco = p.toMask(s.width(), s.height());
                    assertThat(contains(pil.dilated(1), coco)).as("%s object %d: COCO pixels within 1 px of PIL's",
                            s.id(), k).isTrue();
                    assertThat(contains(coco.dilated(Math.sqrt(5)), pil)).as("%s object %d: PIL pixels within"
                            + " sqrt(5) px of COCO's", s.id(), k).isTrue();
                    double iou = ShapesFixture.iou(coco, pil);
                    assertThat(iou).as("%s object %d IoU", s.id(), k).isGreaterThanOrEqualTo(0.8);
                    boolean[] a = coco.toArray();
                    boolean[] b = pil.toArray();
                    for (int i = 0; i < a.length; i++) {
                        inter += a[i] && b[i] ? 1 : 0;
                        union += a[i] || b[i] ? 1 : 0;
                    }
                }
            }
        }
        assertThat(polygons).isPositive();
        assertThat((double) inter / union).isGreaterThanOrEqualTo(0.9);
    }

    private static boolean contains(Mask outer, Mask inner) {
        boolean[] o = outer.toArray();
        boolean[] i = inner.toArray();
        for (int p = 0; p < o.length; p++) {
            if (i[p] && !o[p]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void boundsAreTheSmallestBoxHoldingEveryVertex() {
        assertThat(Polygon.ofParts(List.of(new double[] {1, 2, 5, 2, 3, 7}, new double[] {0.5, 3, 2, 3, 2, 4}))
                .bounds()).isEqualTo(Box.coco(0.5, 2, 4.5, 5));
    }

    @Test
    void twoPointsAreRejectedBecausePycocotoolsWouldReadThemAsABox() {
        assertThatThrownBy(() -> Polygon.of(1, 1, 5, 5)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("polygon: expected at least 3 points (6 numbers)")
                .hasMessageContaining("found 4 numbers (pycocotools would silently read them as a box");
    }

    @Test
    void anOddNumberOfCoordinatesIsRejected() {
        assertThatThrownBy(() -> Polygon.of(1, 1, 5, 5, 3)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("expected an even number of coordinates").hasMessageContaining("found 5 numbers");
    }

    @Test
    void nonFiniteAndAbsurdCoordinatesAreRejectedNamingTheirIndex() {
        assertThatThrownBy(() -> Polygon.of(1, 1, 5, Double.NaN, 3, 3)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("polygon[3]: expected a finite coordinate").hasMessageContaining("found NaN");
        assertThatThrownBy(() -> Polygon.of(1, 1, 1e30, 5, 3, 3)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("polygon[2]").hasMessageContaining("found 1.0E30");
        assertThatThrownBy(() -> Polygon.ofParts(List.of())).isInstanceOf(CamunitException.class)
                .hasMessageContaining("at least one part");
    }

    @Test
    void partsAreCopiedSoLaterChangesDoNotLeakIn() {
        double[] xy = {0, 0, 4, 0, 0, 4};
        Polygon p = Polygon.of(xy);
        xy[2] = 100;
        assertThat(p.parts().get(0)[2]).isEqualTo(4);
        assertThat(p).isEqualTo(Polygon.of(0, 0, 4, 0, 0, 4)).hasSameHashCodeAs(Polygon.of(0, 0, 4, 0, 0, 4));
    }
}
