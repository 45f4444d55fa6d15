package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.gate.ClassCount;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Statistic;
import io.camunit.report.DatasetEvidence;
import io.camunit.report.Evidence;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

import org.assertj.core.error.ErrorMessageFactory;

/**
 * A statistic's pass over a data set: the values, the counts per class, and the worst samples at
 * both ends (the comparison that follows decides which end is bad), never every map.
 */
final class StatisticCheck {

    private static final Comparator<SampleValue> LOWEST_FIRST = Comparator.comparingDouble(v -> v.hasValue()
            ? v.value() : 0);

    private final DatasetMetric metric;
    private final SampleTally<ExplainedSample> lowest;
    private final SampleTally<ExplainedSample> highest;
    private final Provenance provenance;

    private StatisticCheck(DatasetMetric metric) {
        this.metric = metric;
        this.lowest = new SampleTally<>(SampleValue::hasValue, LOWEST_FIRST, DatasetMetricAssert.KEPT, true);
        this.highest = new SampleTally<>(SampleValue::hasValue, LOWEST_FIRST.reversed(), DatasetMetricAssert.KEPT,
                false);
        this.provenance = metric.measure((v, s) -> {
            lowest.add(v, s);
            highest.add(v, s);
        });
    }

    /** @return the pass over the metric's samples */
    static StatisticCheck run(DatasetMetric metric) {
        return new StatisticCheck(metric);
    }

    /** @return how many samples have no value */
    int missing() {
        return lowest.missing();
    }

    /** @return the values */
    double[] values() {
        return lowest.values();
    }

    /** @return e.g. {@code circle 0.700, square 0.300}: the mean of each class */
    String perClassMeans() {
        return lowest.perClass().stream().filter(c -> !c.label().equals(ClassCount.ALL))
                .map(c -> c.label() + " " + (c.mean().isPresent() ? String.format(Locale.ROOT, "%.3g",
                        c.mean().getAsDouble()) : "no value"))
                .collect(Collectors.joining(", "));
    }

    /** @return the message when samples have no value, so no statistic exists */
    ErrorMessageFactory missingFailure() {
        List<SampleValue> missing = lowest.worst().stream().map(SampleTally.Kept::value).filter(v -> !v.hasValue())
                .limit(DatasetMetricAssert.WORST).toList();
        return ShouldHoldForSamples.statisticsOfMissing(metric.name(), missing(), lowest.total(), missing);
    }

    /** @return the evidence when samples have no value */
    DatasetEvidence missingEvidence(Statistic statistic) {
        return GateEvidence.of(metric.name(), statistic + " " + metric.name(), missing() + " of " + lowest.total()
                + " samples have no value, so the " + statistic + " is undefined", Map.of(), lowest,
                v -> Optional.empty(), provenance);
    }

    /**
     * The evidence of a failed comparison of the statistic.
     *
     * @param statistic the statistic
     * @param value its value, or null when undefined
     * @param condition what the comparison required, e.g. {@code > 0.6}
     * @param threshold the number in it, if one
     * @param holds the per-sample form of the condition
     * @param lowIsBad whether low values are the bad ones
     * @return the evidence: samples failing the per-sample form first
     */
    Evidence evidence(Statistic statistic, Double value, String condition, OptionalDouble threshold,
            DoublePredicate holds, boolean lowIsBad) {
        Map<String, Double> figures = new LinkedHashMap<>();
        threshold.ifPresent(t -> figures.put("threshold", t));
        if (value != null) {
            figures.put("value", value);
        }
        // Every sample judged by the comparison's per-sample form; the kept end of the right side drawn.
        SampleTally<Void> judged = new SampleTally<>(v -> v.hasValue() && holds.test(v.value()), LOWEST_FIRST, 0, true);
        lowest.all().forEach(v -> judged.add(v, null));
        String outcome = value == null ? "no " + statistic + " (samples without a value)"
                : statistic + " was " + String.format(Locale.ROOT, "%.4g", value);
        return GateEvidence.of(metric.name(), statistic + " " + metric.name() + " " + condition, outcome, figures,
                judged, (lowIsBad ? lowest : highest).worst(), v -> Optional.empty(), provenance);
    }
}
