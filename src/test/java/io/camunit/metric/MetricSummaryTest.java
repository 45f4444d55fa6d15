package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.metric.MetricSummary.Statistics;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Hand-computed statistics; the percentiles are also what numpy.percentile gives (linear). */
class MetricSummaryTest {

    @Test
    void fiveValuesGiveTheHandComputedStatistics() {
        // sorted 10 20 30 40 50; p10: h = 4 * 0.1 = 0.4, 10 + 0.4 * (20 - 10) = 14
        Statistics s = Statistics.of(new double[] {50, 10, 40, 20, 30}, 0);
        assertThat(s).isEqualTo(new Statistics(5, 0, 30.0, 30.0, 14.0, 10.0, 50.0));
    }

    @Test
    void anEvenCountInterpolatesTheMedianAndP10() {
        // sorted 1 2 3 4; median: h = 1.5 -> 2.5; p10: h = 0.3 -> 1 + 0.3 * (2 - 1) = 1.3
        Statistics s = Statistics.of(new double[] {4, 3, 2, 1}, 2);
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.mean()).isEqualTo(2.5);
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.p10()).isCloseTo(1.3, within(1e-15));
        assertThat(s.min()).isEqualTo(1.0);
        assertThat(s.max()).isEqualTo(4.0);
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] sorted = {10, 20, 30, 40, 50};
        assertThat(MetricSummary.percentile(sorted, 0)).isEqualTo(10.0);
        assertThat(MetricSummary.percentile(sorted, 25)).isEqualTo(20.0);      // h = 1 exactly
        assertThat(MetricSummary.percentile(sorted, 90)).isEqualTo(46.0);      // h = 3.6
        assertThat(MetricSummary.percentile(sorted, 100)).isEqualTo(50.0);
        assertThat(MetricSummary.percentile(new double[] {1, 2, 3}, 10)).isCloseTo(1.2, within(1e-15));   // h = 0.2
        assertThat(MetricSummary.percentile(new double[] {7}, 10)).isEqualTo(7.0);
    }

    @Test
    void percentileRefusesNoValuesAndOutOfRangePercents() {
        assertThatThrownBy(() -> MetricSummary.percentile(new double[0], 10)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> MetricSummary.percentile(new double[] {1}, 101)).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> MetricSummary.percentile(new double[] {1}, Double.NaN)).hasMessageContaining("between 0 and 100");
    }

    @Test
    void perClassStatisticsFollowTheOrderOfFirstAppearance() {
        MetricSummary m = new MetricSummary();
        m.add("square", 0.75);
        m.add("circle", 0.25);
        m.add("square", 0.25);
        m.addFailed("star");
        m.add("circle", 0.5);
        m.addFailed("circle");

        // all: 0.25 0.25 0.5 0.75, mean 1.75 / 4; p10: h = 0.3 -> 0.25
        assertThat(m.overall()).isEqualTo(new Statistics(4, 2, 0.4375, 0.375, 0.25, 0.25, 0.75));
        Map<String, Statistics> perClass = m.perClass();
        assertThat(perClass.keySet()).containsExactly("square", "circle", "star");
        // square: 0.25 0.75; p10: h = 0.1 -> 0.25 + 0.1 * 0.5 = 0.3
        Statistics square = perClass.get("square");
        assertThat(square.count()).isEqualTo(2);
        assertThat(square.mean()).isEqualTo(0.5);
        assertThat(square.median()).isEqualTo(0.5);
        assertThat(square.p10()).isCloseTo(0.3, within(1e-15));
        // circle: 0.25 0.5 and one failure; p10: 0.25 + 0.1 * 0.25 = 0.275
        Statistics circle = perClass.get("circle");
        assertThat(circle.count()).isEqualTo(2);
        assertThat(circle.failed()).isEqualTo(1);
        assertThat(circle.mean()).isEqualTo(0.375);
        assertThat(circle.p10()).isCloseTo(0.275, within(1e-15));
        assertThat(circle.min()).isEqualTo(0.25);
        assertThat(circle.max()).isEqualTo(0.5);
    }

    @Test
    void aClassWithoutAnyComputedValueIsEmptyNotZero() {
        MetricSummary m = new MetricSummary();
        m.addFailed("star");
        Statistics star = m.perClass().get("star");
        assertThat(star.isEmpty()).isTrue();
        assertThat(star.count()).isZero();
        assertThat(star.failed()).isEqualTo(1);
        assertThat(star.mean()).isNaN();
        assertThat(m.overall().isEmpty()).isTrue();
    }

    @Test
    void nonFiniteValuesAreRefusedWithAHint() {
        MetricSummary m = new MetricSummary();
        assertThatThrownBy(() -> m.add("square", Double.NaN)).hasMessageContaining("addFailed");
        assertThatThrownBy(() -> m.add("square", Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Statistics.of(new double[] {1, Double.NaN}, 0)).hasMessageContaining("finite");
        assertThat(m.overall().count()).isZero();
    }
}
