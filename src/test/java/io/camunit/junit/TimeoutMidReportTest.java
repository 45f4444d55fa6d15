package io.camunit.junit;

import static io.camunit.explain.Method.GRAD_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;

import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.Colormap;
import io.camunit.report.Npy;
import io.camunit.report.Overlay;
import io.camunit.report.Png;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A test that times out while writing reports: JUnit interrupts it, the file being written is
 * dropped (write to a temporary file, then rename), every report file already there is whole, and
 * the next test of the run, on the same shared model, passes with the same map as before.
 */
class TimeoutMidReportTest {

    static volatile Path reportDir;
    static volatile float[] firstMap;
    static volatile float[] mapAfterwards;
    static volatile int written;
    static final int LIMIT = 3000;

    @CamTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class WritesUntilItTimesOut {

        @Test
        @Order(1)
        @Timeout(1)
        void writesMapsAndPicturesForeverUntilInterrupted(@UseModel(CamExtensionTest.CLEAN) CamModel model,
                @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) throws IOException {
            List<LabeledSample> samples = LabeledDataset.open(Path.of(CamExtensionTest.TEST_SET)).samples();
            // Bounded (some seconds of writing), so a missing interrupt shows as LIMIT files, not a hang.
            for (int i = 0; i < LIMIT; i++) {
                LabeledSample s = samples.get(i % samples.size());
                Explanation e = gradCam.explain(model, s);
                if (i == 0) {
                    firstMap = e.raw().toArray();
                }
                String name = String.format("%05d", i);
                AtomicFile.write(reportDir.resolve(name + ".npy"), out -> Npy.write(e.raw(), out));
                Png.write(Overlay.render(s.image(), e.display(), Colormap.JET, 0.5), reportDir.resolve(name + ".png"));
                written = i + 1;
            }
        }

        @Test
        @Order(2)
        void theNextTestExplainsWithTheSameModelAsBefore(@UseModel(CamExtensionTest.CLEAN) CamModel model,
                @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
            LabeledSample first = LabeledDataset.open(Path.of(CamExtensionTest.TEST_SET)).samples().get(0);
            // A new explainer: the injected one caches explanations of labelled samples.
            mapAfterwards = Explainer.of(gradCam.method(), gradCam.layers().toArray(String[]::new))
                    .explain(model, first).raw().toArray();
        }
    }

    @Test
    void anInterruptedTestLeavesOnlyWholeFilesAndTheNextTestPasses(@TempDir Path dir) throws IOException {
        reportDir = dir;
        firstMap = null;
        mapAfterwards = null;
        written = 0;
        Events tests = EngineTestKit.engine("junit-jupiter")
                .configurationParameters(Map.of("junit.jupiter.execution.timeout.mode", "enabled"))
                .selectors(selectClass(WritesUntilItTimesOut.class)).execute().testEvents();
        tests.assertThatEvents().haveExactly(1, event(test("writesMapsAndPicturesForeverUntilInterrupted"),
                finishedWithFailure(instanceOf(TimeoutException.class))));
        tests.assertThatEvents().haveExactly(1, event(test("theNextTestExplainsWithTheSameModelAsBefore"),
                finishedSuccessfully()));
        assertThat(written).as("pairs of files written before the timeout interrupted the loop").isPositive()
                .isLessThan(LIMIT);
        assertThat(mapAfterwards).as("the map after the interruption").containsExactly(firstMap);

        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.sorted().toList();
        }
        assertThat(files).as("no temporary file left").allMatch(f -> !f.getFileName().toString().startsWith("."));
        assertThat(files.size()).isBetween(2 * written, 2 * written + 1);
        for (Path f : files) {
            if (f.toString().endsWith(".npy")) {
                try (InputStream in = Files.newInputStream(f)) {
                    assertThat(Npy.read(in, f.toString()).width()).as(f.toString()).isPositive();
                }
            } else {
                assertThat(ImageIO.read(f.toFile())).as(f.toString()).isNotNull();
            }
        }
    }
}
