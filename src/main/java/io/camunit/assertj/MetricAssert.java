package io.camunit.assertj;

import io.camunit.report.Evidence;

import java.util.OptionalDouble;
import java.util.function.DoublePredicate;

import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;

/**
 * A metric's value, navigated to from an {@link ExplanationAssert} (or a statistic of a data set's
 * values, from a {@link DatasetMetricAssert}), continuing as an AssertJ double assertion whose
 * description names the metric, the region and the explanation. The comparisons below fail with a
 * {@link CamAssertionError} carrying the evidence (the explanation and region, or the data set's
 * values); the other double assertions fail as plain AssertJ does.
 *
 * <pre>{@code
 * assertThat(explanation).massInside(sample.region()).isGreaterThan(0.6);
 * }</pre>
 */
public class MetricAssert extends AbstractDoubleAssert<MetricAssert> {

    /** Makes the evidence of a failed comparison, given what the comparison required. */
    interface EvidenceOf {
        /**
         * @param condition what was required, e.g. {@code > 0.6}
         * @param threshold the number in it, if one
         * @param holds the per-sample form of the condition
         * @param lowIsBad whether low values are the bad ones, to sort samples worst first
         * @return the evidence
         */
        Evidence failed(String condition, OptionalDouble threshold, DoublePredicate holds, boolean lowIsBad);
    }

    private EvidenceOf evidence;

    /** @param value the metric's value */
    public MetricAssert(Double value) {
        super(value, MetricAssert.class);
    }

    /** Sets what a failed comparison carries; called by the assertion that navigated here. */
    void withEvidence(EvidenceOf of) {
        this.evidence = of;
    }

    private MetricAssert check(String condition, OptionalDouble threshold, DoublePredicate holds, boolean lowIsBad,
            Runnable comparison) {
        try {
            comparison.run();
        } catch (AssertionError failure) {
            if (evidence == null || failure instanceof CamAssertionError) {
                throw failure;
            }
            throw new CamAssertionError(failure, evidence.failed(condition, threshold, holds, lowIsBad));
        }
        return myself;
    }

    private MetricAssert above(String op, double other, DoublePredicate holds, Runnable comparison) {
        return check(op + " " + other, OptionalDouble.of(other), holds, true, comparison);
    }

    private MetricAssert below(String op, double other, DoublePredicate holds, Runnable comparison) {
        return check(op + " " + other, OptionalDouble.of(other), holds, false, comparison);
    }

    @Override
    public MetricAssert isGreaterThan(double other) {
        return above(">", other, v -> v > other, () -> super.isGreaterThan(other));
    }

    @Override
    public MetricAssert isGreaterThan(Double other) {
        return above(">", other, v -> v > other, () -> super.isGreaterThan(other));
    }

    @Override
    public MetricAssert isGreaterThanOrEqualTo(double other) {
        return above(">=", other, v -> v >= other, () -> super.isGreaterThanOrEqualTo(other));
    }

    @Override
    public MetricAssert isGreaterThanOrEqualTo(Double other) {
        return above(">=", other, v -> v >= other, () -> super.isGreaterThanOrEqualTo(other));
    }

    @Override
    public MetricAssert isLessThan(double other) {
        return below("<", other, v -> v < other, () -> super.isLessThan(other));
    }

    @Override
    public MetricAssert isLessThan(Double other) {
        return below("<", other, v -> v < other, () -> super.isLessThan(other));
    }

    @Override
    public MetricAssert isLessThanOrEqualTo(double other) {
        return below("<=", other, v -> v <= other, () -> super.isLessThanOrEqualTo(other));
    }

    @Override
    public MetricAssert isLessThanOrEqualTo(Double other) {
        return below("<=", other, v -> v <= other, () -> super.isLessThanOrEqualTo(other));
    }

    @Override
    public MetricAssert isBetween(Double start, Double end) {
        return check("in [" + start + ", " + end + "]", OptionalDouble.empty(), v -> v >= start && v <= end, true,
                () -> super.isBetween(start, end));
    }

    @Override
    public MetricAssert isStrictlyBetween(Double start, Double end) {
        return check("in (" + start + ", " + end + ")", OptionalDouble.empty(), v -> v > start && v < end, true,
                () -> super.isStrictlyBetween(start, end));
    }

    @Override
    public MetricAssert isEqualTo(double expected) {
        return check("== " + expected, OptionalDouble.of(expected), v -> v == expected, true,
                () -> super.isEqualTo(expected));
    }

    @Override
    public MetricAssert isCloseTo(double expected, Offset<Double> offset) {
        return check("within " + offset.value + " of " + expected, OptionalDouble.of(expected),
                v -> Math.abs(v - expected) <= offset.value, true, () -> super.isCloseTo(expected, offset));
    }

    @Override
    public MetricAssert isCloseTo(double expected, Percentage percentage) {
        double slack = Math.abs(expected) * percentage.value / 100;
        return check("within " + percentage.value + " % of " + expected, OptionalDouble.of(expected),
                v -> Math.abs(v - expected) <= slack, true, () -> super.isCloseTo(expected, percentage));
    }

    @Override
    public MetricAssert isZero() {
        return below("==", 0, v -> v == 0, super::isZero);
    }

    @Override
    public MetricAssert isOne() {
        return above("==", 1, v -> v == 1, super::isOne);
    }

    @Override
    public MetricAssert isPositive() {
        return above(">", 0, v -> v > 0, super::isPositive);
    }

    @Override
    public MetricAssert isNotNegative() {
        return above(">=", 0, v -> v >= 0, super::isNotNegative);
    }
}
