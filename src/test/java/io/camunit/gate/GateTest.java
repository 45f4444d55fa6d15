package io.camunit.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.gate.Gate.SyntaxException;
import io.camunit.metric.WilsonBound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The gate model: parsed from text, built from Java, judged the same way. */
class GateTest {

    private static SampleValue v(String id, Double value) {
        return new SampleValue(id, "circle", value, value == null ? "map has no positive mass" : null);
    }

    /** {@code passing} samples of value 1 then {@code failing} of value 0, ids s0, s1, ... */
    private static List<SampleValue> ones(int passing, int failing) {
        List<SampleValue> out = new ArrayList<>();
        for (int i = 0; i < passing + failing; i++) {
            out.add(v("s" + i, i < passing ? 1.0 : 0.0));
        }
        return out;
    }

    private static SyntaxException syntaxError(String text) {
        try {
            Gate.parse(text);
        } catch (SyntaxException e) {
            return e;
        }
        throw new AssertionError("parsed: " + text);
    }

    @Test
    void parsesTheSampleForm() {
        Gate g = Gate.parse("peak-inside >= 1 for 80%");
        assertThat(g.metric()).isEqualTo("peak-inside");
        assertThat(g.operator()).isEqualTo(Operator.AT_LEAST);
        assertThat(g.threshold()).isEqualTo(1.0);
        assertThat(g.share().orElseThrow().fraction()).isEqualTo(0.8);
        assertThat(g.share().orElseThrow().confidence()).isEmpty();
        assertThat(g.isStatistic()).isFalse();
        assertThat(g).hasToString("peak-inside >= 1 for 80%");
    }

    @Test
    void parsesTheConfidenceForm() {
        Gate g = Gate.parse("mass-inside > 0.2 for 90% with 95% confidence");
        assertThat(g.operator()).isEqualTo(Operator.GREATER_THAN);
        assertThat(g.threshold()).isEqualTo(0.2);
        assertThat(g.share().orElseThrow().fraction()).isEqualTo(0.9);
        assertThat(g.share().orElseThrow().confidence()).hasValue(0.95);
        assertThat(g).hasToString("mass-inside > 0.2 for 90% with 95% confidence");
    }

    @Test
    void spacingAndKeywordCaseAreFree() {
        Gate g = Gate.parse("  top-10-inside<=-0.5 FOR 99.5 %  With 90 % Confidence ");
        assertThat(g.metric()).isEqualTo("top-10-inside");
        assertThat(g.operator()).isEqualTo(Operator.AT_MOST);
        assertThat(g.threshold()).isEqualTo(-0.5);
        assertThat(g.share().orElseThrow().fraction()).isEqualTo(0.995);
        assertThat(g.share().orElseThrow().confidence()).hasValue(0.9);
        assertThat(g).hasToString("top-10-inside <= -0.5 for 99.5% with 90% confidence");
        assertThat(Gate.parse("rank-accuracy<1e-1 for 100%").operator()).isEqualTo(Operator.LESS_THAN);
    }

    @Test
    void parsesTheStatisticForms() {
        Gate mean = Gate.parse("mean mass-inside >= 0.3");
        assertThat(mean.isStatistic()).isTrue();
        assertThat(mean.statistic()).contains(Statistic.mean());
        assertThat(mean.metric()).isEqualTo("mass-inside");
        assertThat(mean).hasToString("mean mass-inside >= 0.3");
        assertThat(Gate.parse("median peak-inside > 0.5").statistic()).contains(Statistic.median());
        Gate p10 = Gate.parse("P10 mass-inside >= 0.05");
        assertThat(p10.statistic()).contains(Statistic.percentile(10));
        assertThat(p10).hasToString("p10 mass-inside >= 0.05");
    }

    @ParameterizedTest
    @CsvSource({
        // operator, threshold, value, holds
        ">=, 0.5, 0.5, true", ">=, 0.5, 0.4999999, false",
        ">, 0.5, 0.5, false", ">, 0.5, 0.5000001, true",
        "<=, 0.5, 0.5, true", "<=, 0.5, 0.5000001, false",
        "<, 0.5, 0.5, false", "<, 0.5, 0.4999999, true",
    })
    void everyOperatorAtItsBoundary(String op, double threshold, double value, boolean holds) {
        Verdict verdict = Gate.parse("m " + op + " " + threshold + " for 100%").judge(List.of(v("a", value)));
        assertThat(verdict.passed()).isEqualTo(holds);
        assertThat(verdict.passing()).isEqualTo(holds ? 1 : 0);
    }

    @Test
    void theShareIsAtLeastThePercentOfSamples() {
        Gate g = Gate.parse("peak-inside >= 1 for 80%");
        // 48 of 60 is exactly 80 %: passes, as forAtLeast(0.8) does.
        Verdict exact = g.judge(ones(48, 12));
        assertThat(exact.passed()).isTrue();
        assertThat(exact.summary()).isEqualTo("48/60 samples (80.0 %)");
        Verdict below = g.judge(ones(47, 13));
        assertThat(below.passed()).isFalse();
        assertThat(below.worst()).extracting(SampleValue::id).containsExactly("s47", "s48", "s49", "s50", "s51");
        assertThat(below.summary()).isEqualTo("47/60 samples (78.3 %), worst: s47 0.000, s48 0.000, s49 0.000,"
                + " s50 0.000, s51 0.000");
        assertThat(Gate.parse("peak-inside >= 1 for 100%").judge(ones(60, 0)).passed()).isTrue();
        assertThat(Gate.parse("peak-inside >= 1 for 100%").judge(ones(59, 1)).passed()).isFalse();
    }

    @Test
    void aVerdictOnADetectorsObjectsCountsObjects() {
        List<SampleValue> values = List.of(v("a.png#0", 1.0), v("a.png#1", 0.0), v("b.png#0", null));

        Verdict verdict = Gate.parse("peak-inside >= 1 for 50%").judge(values).withUnit(Verdict.OBJECTS);

        assertThat(verdict.summary()).isEqualTo("1/3 objects (33.3 %), 1 without a value, worst: b.png#0 no value,"
                + " a.png#1 0.000");
        assertThat(Gate.parse("mean peak-inside >= 0.5").judge(values.subList(0, 2)).withUnit(Verdict.OBJECTS)
                .summary()).isEqualTo("mean 0.500 over 2 objects");
        assertThat(Gate.parse("peak-inside >= 1 for 50%").judge(List.of()).withUnit(Verdict.OBJECTS).summary())
                .isEqualTo("no objects, so nothing was checked");
    }

    @Test
    void aSampleWithoutAValueFailsAndIsListedFirst() {
        List<SampleValue> values = List.of(v("a", 0.9), v("b", 0.1), v("c", null), v("d", 0.3), v("e", 0.8));
        Verdict verdict = Gate.parse("mass-inside >= 0.5 for 60%").judge(values);
        assertThat(verdict.passing()).isEqualTo(2);
        assertThat(verdict.missing()).isEqualTo(1);
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.worst()).extracting(SampleValue::id).containsExactly("c", "b", "d");
        assertThat(verdict.summary()).isEqualTo("2/5 samples (40.0 %), 1 without a value, worst: c no value,"
                + " b 0.100, d 0.300");
        // For an upper bound the highest values are the worst.
        Verdict atMost = Gate.parse("mass-inside <= 0.2 for 100%").judge(values);
        assertThat(atMost.worst()).extracting(SampleValue::id).containsExactly("c", "a", "e", "d");
    }

    @Test
    void theConfidenceFormJudgesTheWilsonLowerBound() {
        // By hand, z = 1.6448536 (95 % one-sided), n = 40, p = 0.95:
        // (0.95 + z²/80 - z sqrt(0.95 * 0.05 / 40 + z²/6400)) / (1 + z²/40) = 0.859668
        assertThat(WilsonBound.lowerBound(38, 40, 0.95)).isCloseTo(0.859668, within(1e-5));
        assertThat(WilsonBound.lowerBound(3800, 4000, 0.95)).isCloseTo(0.944021, within(1e-5));
        assertThat(WilsonBound.normalQuantile(0.95)).isCloseTo(1.6448536, within(1e-6));
        assertThat(WilsonBound.lowerBound(0, 0, 0.95)).isZero();
        Gate g = Gate.parse("m >= 1 for 85% with 95% confidence");
        Verdict pass = g.judge(ones(38, 2));
        assertThat(pass.passed()).isTrue();
        assertThat(pass.lowerBound()).isCloseTo(0.859668, within(1e-5));
        assertThat(pass.summary()).isEqualTo("38/40 samples (95.0 %), Wilson lower bound 86.0 %");
        // 95 % observed, yet not 90 % with 95 % confidence on 40 samples.
        assertThat(Gate.parse("m >= 1 for 90% with 95% confidence").judge(ones(38, 2)).passed()).isFalse();
        assertThat(Gate.parse("m >= 1 for 90% with 95% confidence").judge(ones(3800, 200)).passed()).isTrue();
    }

    @Test
    void statisticsAreMeanMedianAndNumpyPercentiles() {
        List<SampleValue> values = List.of(v("a", 10.0), v("b", 20.0), v("c", 30.0), v("d", 40.0), v("e", 50.0));
        Verdict mean = Gate.parse("mean m >= 30").judge(values);
        assertThat(mean.passed()).isTrue();
        assertThat(mean.statistic()).isEqualTo(30.0);
        assertThat(mean.summary()).isEqualTo("mean 30.000 over 5 samples");
        assertThat(Gate.parse("mean m > 30").judge(values).passed()).isFalse();
        assertThat(Gate.parse("median m <= 30").judge(values).statistic()).isEqualTo(30.0);
        // h = 4 * 0.1 = 0.4: 10 + 0.4 * 10 = 14, as numpy.percentile.
        Verdict p10 = Gate.parse("p10 m >= 14.5").judge(values);
        assertThat(p10.statistic()).isCloseTo(14.0, within(1e-12));
        assertThat(p10.passed()).isFalse();
        // The worst samples are those failing the per-sample form of the condition (value >= 14.5).
        assertThat(p10.summary()).isEqualTo("p10 14.000 over 5 samples, worst: a 10.000");
    }

    @Test
    void aStatisticWithAMissingValueFails() {
        Verdict verdict = Gate.parse("mean m >= 0").judge(List.of(v("a", 1.0), v("b", null)));
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.statistic()).isNull();
        assertThat(verdict.summary()).isEqualTo("1 of 2 samples have no value, so the mean is undefined, worst: b no value");
    }

    @Test
    void syntaxErrorsSayWhereWhatWasExpectedAndShowExamples() {
        SyntaxException op = syntaxError("peak-inside => 1 for 80%");
        assertThat(op.position()).isEqualTo(12);
        assertThat(op.getMessage()).isEqualTo("Cannot read gate \"peak-inside => 1 for 80%\" at column 13: expected an"
                + " operator (>=, >, <=, <) but found '=>'.\n"
                + "    peak-inside => 1 for 80%\n"
                + "                ^\n"
                + Gate.EXAMPLES);
        assertThat(syntaxError("").getMessage()).contains("at column 1: expected a metric name (e.g. mass-inside) or a"
                + " statistic (mean, median, pNN) but found the end of the gate");
        assertThat(syntaxError("peak-inside >= one for 80%").getMessage()).contains("at column 16: expected a threshold"
                + " number but found 'one'");
        assertThat(syntaxError("peak-inside >= 1").getMessage()).contains("at column 17: expected 'for' and the share"
                + " of samples that must pass (e.g. for 80%) but found the end of the gate");
        assertThat(syntaxError("peak-inside >= 1 for 80").getMessage()).contains("at column 24: expected '%' after"
                + " the percentage but found the end of the gate");
        assertThat(syntaxError("peak-inside >= 1 for 0%").getMessage()).contains("at column 22: expected a percentage"
                + " of samples in (0, 100] but found 0");
        assertThat(syntaxError("peak-inside >= 1 for 101%").position()).isEqualTo(21);
        assertThat(syntaxError("peak-inside >= 1 for 80% per method").getMessage()).contains("at column 26: expected"
                + " the end of the gate or 'with NN% confidence' but found 'per'");
        assertThat(syntaxError("m > 0 for 90% with 100% confidence").getMessage()).contains("at column 20: expected a"
                + " confidence percentage in (0, 100) but found 100");
        assertThat(syntaxError("m > 0 for 90% with 95%").getMessage()).contains("at column 23: expected 'confidence'");
        assertThat(syntaxError("m > 0 for 90% with 95% confidence now").getMessage()).contains("at column 35: expected"
                + " the end of the gate but found 'now'");
        assertThat(syntaxError("mean >= 0.3").getMessage()).contains("at column 6: expected a metric name after the"
                + " statistic 'mean' (e.g. mean mass-inside >= 0.3) but found '>='");
        assertThat(syntaxError("mean m >= 0.3 for 80%").getMessage()).contains("at column 15: expected the end of a"
                + " statistic gate");
        assertThat(syntaxError("p101 m >= 0.3").getMessage()).contains("at column 2: expected a percentile from 0 to"
                + " 100 after 'p' but found 101");
        assertThat(syntaxError("m = 1 for 80%").position()).isEqualTo(2);
        assertThat(syntaxError("m == 1 for 80%").position()).isEqualTo(2);
    }

    @Test
    void aGateBuiltFromJavaIsTheGateParsedFromText() {
        Gate built = Gate.onSamples("mass-inside", Operator.GREATER_THAN, 0.2, SampleShare.forAtLeast(0.9)
                .withConfidence(0.95));
        assertThat(built).isEqualTo(Gate.parse("mass-inside > 0.2 for 90% with 95% confidence"))
                .hasToString("mass-inside > 0.2 for 90% with 95% confidence");
        assertThat(Gate.onStatistic(Statistic.percentile(10), "mass-inside", Operator.AT_LEAST, 0.05))
                .isEqualTo(Gate.parse("p10 mass-inside >= 0.05"));
        assertThat(Gate.onSamples("peak-inside", Operator.AT_LEAST, 1.0, SampleShare.forAll()))
                .hasToString("peak-inside >= 1 for 100%");
    }

    @Test
    void metricNamesAreCanonicalSoThatEverySurfaceFindsTheSameValues() {
        assertThat(Gate.parse("TOP-10.0-inside >= 0.5 for 80%").metric()).isEqualTo("top-10-inside");
        assertThat(Gate.parse("iou-0.20 >= 0.5 for 80%").metric()).isEqualTo("iou");
        assertThat(Gate.parse("peak-inside-15px >= 1 for 80%").metric()).isEqualTo("peak-inside");
        assertThat(Gate.parse("m >= 1 for 80%").metric()).as("a name camunit does not know stays").isEqualTo("m");
    }

    @Test
    void noGatePassesWithoutSamples() {
        for (String text : List.of("m >= 0 for 1%", "m >= 0 for 50% with 90% confidence", "mean m >= 0")) {
            Verdict v = Gate.parse(text).judge(List.of());
            assertThat(v.passed()).as(text).isFalse();
            assertThat(v.summary()).isEqualTo("no samples, so nothing was checked");
        }
    }

    @Test
    void aShareOfNoSamplesOrANaNThresholdIsRefused() {
        assertThatThrownBy(() -> SampleShare.forAtLeast(0)).hasMessageContaining("A share of 0 would pass without"
                + " checking any sample");
        assertThatThrownBy(() -> SampleShare.forAtLeast(0.8).withConfidence(1)).hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> Gate.onSamples("m", Operator.AT_LEAST, Double.NaN, SampleShare.forAll()))
                .hasMessageContaining("A NaN threshold would make every comparison false");
    }

    @Test
    void aTallyKeepsTheWorstSamplesWithTheirPayloadAndCountsEveryClass() {
        Gate gate = Gate.parse("m >= 0.5 for 90%");
        SampleTally<String> tally = gate.tally(2, false);
        double[] values = {0.9, 0.1, 0.3, 0.8, 0.1};
        String[] labels = {"circle", "square", "circle", "square", "circle"};
        for (int i = 0; i < values.length; i++) {
            tally.add(new SampleValue("s" + i, labels[i], values[i], null), "payload " + i);
        }
        tally.add(new SampleValue("s5", "square", null, "degenerate"), "payload 5");
        // No value first, then the lowest; of the two tied at 0.1, the first in data-set order.
        assertThat(tally.worst()).extracting(SampleTally.Kept::payload).containsExactly("payload 5", "payload 1");
        Verdict v = gate.judge(tally);
        assertThat(v.passed()).isFalse();
        assertThat(v.perClassText()).isEqualTo("circle 1/3, square 1/3");
        assertThat(v.perClass().get(2)).isEqualTo(new ClassCount(ClassCount.ALL, 6, 2, 1, 0.9 + 0.1 + 0.3 + 0.8 + 0.1));
        assertThat(v.outcome()).isEqualTo("2/6 samples (33.3 %), 1 without a value");
        assertThat(v.figures()).containsExactly(Map.entry("threshold", 0.5), Map.entry("required_fraction", 0.9),
                Map.entry("rate", 2.0 / 6));
    }
}
