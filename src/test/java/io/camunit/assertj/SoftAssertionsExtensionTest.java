package io.camunit.assertj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Box;

import java.util.List;

import org.assertj.core.api.junit.jupiter.InjectSoftAssertions;
import org.assertj.core.api.junit.jupiter.SoftAssertionsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** CamSoftAssertions works with AssertJ's SoftAssertionsExtension: injected, and failing the test at its end. */
class SoftAssertionsExtensionTest {

    /** A 2 x 1 map with all its mass on the left pixel. */
    static Explanation leftHeavy() {
        Heatmap map = Heatmap.of(2, 1, new float[] {1, 0});
        return new Explanation("left.png", 2, 1, Method.GRAD_CAM, List.of("l"), "class 0", 0, "a", 1, 0, map,
                map.normalised(), List.of(map), Explanation.Pipeline.DEFAULT);
    }

    @ExtendWith(SoftAssertionsExtension.class)
    static class TwoSoftFailures {

        @InjectSoftAssertions
        CamSoftAssertions softly;

        @Test
        void collectsBoth() {
            softly.assertThat(leftHeavy()).massInside(Box.coco(1, 0, 1, 1)).isGreaterThan(0.5);
            softly.assertThat(leftHeavy()).hasPeakInside(Box.coco(1, 0, 1, 1), 0);
            softly.assertThat(leftHeavy()).massInside(Box.coco(0, 0, 1, 1)).isEqualTo(1.0);
        }
    }

    @Test
    void theExtensionInjectsCamSoftAssertionsAndReportsEveryFailureAtTheEnd() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(TwoSoftFailures.class))
                .execute().testEvents();
        tests.assertStatistics(stats -> stats.started(1).failed(1));
        Throwable failure = tests.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("Multiple Failures (2 failures)")
                .hasMessageContaining("[mass-inside box [1, 0, 1, 1] of sample left.png")
                .hasMessageContaining("Expecting the map's peak within 0.0 px of box [1, 0, 1, 1] but it is at (0, 0)");
    }
}
