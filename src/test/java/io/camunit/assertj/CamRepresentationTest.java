package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Box;
import io.camunit.region.Region;

import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class CamRepresentationTest {

    private final CamRepresentation representation = CamRepresentation.INSTANCE;

    @Test
    void explanationsAndSamplesPrintAsOneLine() {
        Assertions.assertThat(representation.toStringOf(Synthetic.explanation("s.png", 4, 1, 2, 0.5f)))
                .isEqualTo("Explanation[s.png, grad-cam at features.10, target circle (class 0), score 2.500, map 4x4,"
                        + " max 0.5000, peak (1, 2)]");
        Assertions.assertThat(representation.toStringOf(Synthetic.flat("z.png", "circle")))
                .isEqualTo("ExplainedSample[z.png, Explanation[z.png, grad-cam at features.10, target circle (class 0),"
                        + " score 2.500, map 4x4, max 0.000, degenerate]]");
    }

    @Test
    void mapsAndRegionsPrintTheirSummary() {
        Assertions.assertThat(representation.toStringOf(Heatmap.of(64, 64, new float[64 * 64])))
                .isEqualTo("Heatmap[64x64, max=0.000]");
        Assertions.assertThat(representation.toStringOf(Box.coco(1, 2, 3, 4))).isEqualTo("box [1, 2, 3, 4]");
        Assertions.assertThat(representation.toStringOf(Box.coco(0, 0, 2, 2).toMask(4, 4)))
                .isEqualTo("mask of 4 px in 4x4");
        Assertions.assertThat(representation.toStringOf(Region.union(List.of(Box.coco(0, 0, 1, 1), Box.coco(2, 2, 1, 1)))))
                .isEqualTo(Region.union(List.of(Box.coco(0, 0, 1, 1), Box.coco(2, 2, 1, 1))).describe());
    }

    @Test
    void dataSetAssertionsPrintSamplesCompactlyAndNeverReadThemToPrint() {
        ExplainedSample one = Synthetic.sample("a.png", "circle", 8);
        assertThat(CamRepresentation.INSTANCE.toStringOf(one))
                .startsWith("ExplainedSample[a.png, Explanation[a.png, grad-cam at features.10").doesNotContain("Heatmap@");
        ExplainedSamples unread = new ExplainedSamples() {
            @Override
            public int size() {
                return 1;
            }

            @Override
            public java.util.Iterator<ExplainedSample> iterator() {
                throw new AssertionError("read to be printed");
            }

            @Override
            public String toString() {
                return "1 sample explained on demand";
            }
        };
        assertThatThrownBy(() -> assertThat(unread).isNull()).hasMessageContaining("1 sample explained on demand");
    }
}
