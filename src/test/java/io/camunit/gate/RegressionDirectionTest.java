package io.camunit.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A baseline comparison judges worsening in the metric's own direction. */
class RegressionDirectionTest {

    private static Regression.Result compare(String metric, double tolerance, double a, double b) {
        return compare(metric, tolerance, tolerance, a, b);
    }

    private static Regression.Result compare(String metric, double sampleTolerance, double meanTolerance, double a,
            double b) {
        Map<String, Double> recorded = new LinkedHashMap<>();
        recorded.put("a.png", 0.2);
        recorded.put("b.png", 0.3);
        Regression regression = Regression.of(Baseline.record("m@1", metric, "grad-cam", List.of("features.10"),
                recorded), sampleTolerance, meanTolerance);
        Regression.Tally<Void> tally = regression.tally(0);
        tally.add(new SampleValue("a.png", "circle", a, null), null);
        tally.add(new SampleValue("b.png", "square", b, null), null);
        return tally.result();
    }

    @Test
    void aRiseOfDeletionAucIsTheRegression() {
        Regression.Result r = compare("deletion-auc", 0.05, 0.5, 0.1);

        assertThat(r.passed()).isFalse();
        assertThat(r.drops()).extracting(Regression.Drop::id).containsExactly("a.png");
        assertThat(r.summary()).startsWith("1 of 2 baseline samples rose by more than 0.05 or have no value");
        assertThat(r.regression()).hasToString("deletion-auc does not rise by more than 0.05 from baseline m@1");
    }

    @Test
    void theSameValuesOfMassInsideRegressWhereTheyDrop() {
        Regression.Result r = compare("mass-inside", 0.05, 0.5, 0.1);

        assertThat(r.passed()).isFalse();
        assertThat(r.drops()).extracting(Regression.Drop::id).containsExactly("b.png");
        assertThat(r.summary()).startsWith("1 of 2 baseline samples dropped by more than 0.05 or have no value");
    }

    @Test
    void roadMorfIsBetterLowerAndRoadLerfHigher() {
        assertThat(compare("road-morf-80", 0.05, 0.1, 0.2).passed()).isTrue();
        assertThat(compare("road-morf-80", 0.05, 0.3, 0.3).drops()).extracting(Regression.Drop::id)
                .containsExactly("a.png");
        assertThat(compare("road-lerf-80", 0.05, 0.1, 0.3).drops()).extracting(Regression.Drop::id)
                .containsExactly("a.png");
    }

    @Test
    void theMeanOfALowerIsBetterMetricRegressesWhenItRises() {
        Regression.Result rose = compare("average-drop", 0.5, 0.05, 0.3, 0.4);   // baseline 0.2, 0.3: each +0.1
        Regression.Result fell = compare("average-drop", 0.5, 0.05, 0.1, 0.2);   // each -0.1

        assertThat(rose.drops()).isEmpty();
        assertThat(rose.meanDropped()).isTrue();
        assertThat(rose.passed()).isFalse();
        assertThat(fell.meanDropped()).isFalse();
        assertThat(fell.passed()).isTrue();
    }
}
