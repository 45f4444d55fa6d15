package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.metric.MassInside;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The assertions on the shapes fixture: the clean model looks at the object, the shortcut model at
 * the corner mark of test-marked sample images/0001.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplanationAssertTest {

    private TorchScriptModel clean;
    private TorchScriptModel shortcut;
    private LabeledSample sample;
    private Explanation looksAtObject;
    private Explanation looksAtMark;

    @BeforeAll
    void explain() {
        clean = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));
        shortcut = TorchScriptModel.load(Path.of("fixtures/models/shapes-shortcut.pt"));
        sample = LabeledDataset.open(Path.of("fixtures/shapes/test-marked/coco.json")).samples().get(0);
        Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.10");
        looksAtObject = gradCam.explain(clean, sample);
        looksAtMark = gradCam.explain(shortcut, sample);
    }

    @AfterAll
    void close() {
        clean.close();
        shortcut.close();
    }

    private Region mark() {
        return sample.distractor().orElseThrow();
    }

    @Test
    void massInsideNavigatesToTheMetricsValue() {
        double expected = MassInside.of(looksAtObject.raw(), sample.mask());
        assertThat(looksAtObject).massInside(sample.region()).isEqualTo(expected).isGreaterThan(0.1);
    }

    @Test
    void aFailingNavigatedMetricNamesTheMetricTheRegionAndTheSample() {
        assertThatThrownBy(() -> assertThat(looksAtMark).massInside(sample.region()).isGreaterThan(0.6))
                .hasMessageContaining("[mass-inside " + sample.region().describe() + " of sample images/0001.png"
                        + " (grad-cam at features.10 for " + sample.label());
    }

    @Test
    void theShortcutModelPeaksOnTheMarkNotOnTheObject() {
        assertThat(looksAtMark).hasPeakInside(mark());
        assertThatThrownBy(() -> assertThat(looksAtMark).hasPeakInside(sample.region()))
                .hasMessageContaining("Expecting the map's peak within 15.0 px of " + sample.region().describe())
                .hasMessageContaining("but it is at (")
                .hasMessageContaining("sample images/0001.png (grad-cam at features.10")
                .hasMessageContaining("the hottest area (map >= 0.5 x max) is box [");
    }

    @Test
    void hasMassInsideAtLeastReportsTheValueTheThresholdAndWhereTheMassWent() {
        assertThat(looksAtObject).hasMassInsideAtLeast(sample.region(), 0.2);
        assertThatThrownBy(() -> assertThat(looksAtMark).hasMassInsideAtLeast(sample.region(), 0.6))
                .hasMessageContaining("Expecting mass-inside " + sample.region().describe() + " to be at least 0.6 but was")
                .hasMessageContaining("% of the mass in the region");
    }

    @Test
    void isFocusedOnRequiresThePeakAndHalfTheMassWithinTheToleranceOfTheRegion() {
        assertThat(looksAtObject).isFocusedOn(sample.region());
        assertThatThrownBy(() -> assertThat(looksAtMark).isFocusedOn(sample.region())).isInstanceOf(AssertionError.class);
    }

    @Test
    void navigationReachesEveryRegionMetric() {
        assertThat(looksAtObject).rankAccuracy(sample.region()).isBetween(0.0, 1.0);
        assertThat(looksAtObject).topPercentInside(sample.region(), 10).isBetween(0.0, 1.0);
        assertThat(looksAtObject).iou(sample.region(), 0.2).isBetween(0.0, 1.0);
    }

    @Test
    void aDegenerateMapFailsSayingSo() {
        Explanation flat = degenerate();
        assertThatThrownBy(() -> assertThat(flat).isNotDegenerate())
                .hasMessageContaining("is degenerate (all zero after ReLU)");
        assertThatThrownBy(() -> assertThat(flat).massInside(Box.coco(0, 0, 2, 2)).isGreaterThan(0.1))
                .hasMessageContaining("Cannot compute mass-inside box [0, 0, 2, 2]")
                .hasMessageContaining("no positive mass");
        assertThat(looksAtObject).isNotDegenerate();
    }

    @Test
    void anEmptyRegionFailsNeverPasses() {
        Region outside = Box.coco(500, 500, 10, 10);
        assertThatThrownBy(() -> assertThat(looksAtObject).hasMassInsideAtLeast(outside, 0))
                .hasMessageContaining("Cannot compute mass-inside box [500, 500, 10, 10]")
                .hasMessageContaining("The region is empty");
    }

    @Test
    void softAssertionsCollectEveryFailureIncludingNavigatedOnes() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(looksAtMark).massInside(sample.region()).isGreaterThan(0.6);
        softly.assertThat(looksAtMark).hasPeakInside(sample.region());
        softly.assertThat(looksAtObject).hasPeakInside(sample.region());
        softly.assertThat(degenerate()).massInside(Box.coco(0, 0, 2, 2)).isGreaterThan(0.1);
        Assertions.assertThat(softly.errorsCollected()).hasSize(4);
        Assertions.assertThat(softly.errorsCollected().get(0)).hasMessageContaining("[mass-inside");
        Assertions.assertThat(softly.errorsCollected().get(2)).hasMessageContaining("Cannot compute mass-inside");
    }

    private Explanation degenerate() {
        Heatmap zeros = Heatmap.of(4, 4, new float[16]);
        return new Explanation("flat.png", 4, 4, Method.GRAD_CAM, List.of("features.10"), "class 0", 0, "circle", 1.0, 0,
                zeros, zeros, List.of(zeros), Explanation.Pipeline.DEFAULT);
    }

}
