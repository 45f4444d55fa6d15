package io.camunit.gate;

import io.camunit.CamunitException;
import io.camunit.metric.Decimals;
import io.camunit.metric.SampleMetric;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A release gate on one metric over a data set: the one gate model of camunit. The command line's
 * {@code evaluate --gate} parses it from text, the AssertJ data-set assertions build it from Java
 * ({@code isAtLeast(1, forAtLeast(0.8))} is {@code peak-inside >= 1 for 80%}), and both judge it
 * here, so a gate means the same on every surface, and its evidence reports the same figures.
 *
 * <pre>
 * gate        := sample-gate | stat-gate
 * sample-gate := METRIC OP THRESHOLD "for" PERCENT "%" [ "with" CONFIDENCE "%" "confidence" ]
 * stat-gate   := STATISTIC METRIC OP THRESHOLD
 * OP          := "&gt;=" | "&gt;" | "&lt;=" | "&lt;"
 * STATISTIC   := "mean" | "median" | "p" NN          (NN a percentile in [0, 100], e.g. p10)
 * </pre>
 *
 * <p>A sample gate holds when enough samples meet {@code value OP THRESHOLD} ({@link SampleShare}:
 * {@code passing >= PERCENT/100 * n} with a 1e-9 tolerance, or, with a confidence, the Wilson lower
 * bound of the pass rate reaches {@code PERCENT/100}). A sample without a value never meets the
 * condition. A statistic gate compares the mean, median or percentile ({@link Statistic}) with the
 * threshold, and fails when any sample has no value, since the statistic is then undefined. No gate
 * holds over no samples. Keywords are case-insensitive; spaces around operators and before
 * {@code %} are optional; {@link #toString()} writes the canonical spelling.
 *
 * <pre>{@code
 * Gate gate = Gate.parse("peak-inside >= 1 for 80%");
 * Gate same = Gate.onSamples("peak-inside", Operator.AT_LEAST, 1, SampleShare.forAtLeast(0.8));
 * Verdict v = gate.judge(List.of(
 *         new SampleValue("a.png", "circle", 1.0, null),
 *         new SampleValue("b.png", "square", null, "degenerate map")));
 * v.passed();    // false: 1 of 2 samples is 50 %
 * v.summary();   // "1/2 samples (50.0 %), 1 without a value, worst: b.png no value"
 * }</pre>
 */
public final class Gate {

    /** How many failing samples a verdict of {@link #judge(List)} keeps. */
    public static final int WORST = Verdict.SUMMARY_WORST;

    /** Shown with every syntax error, so the fix is one copy away. */
    public static final String EXAMPLES = "Gates look like \"peak-inside >= 1 for 80%\", \"mass-inside > 0.2 for 90%"
            + " with 95% confidence\" or \"mean mass-inside >= 0.3\" (also median, p10, ...).";

    /**
     * A gate that cannot be read: says where (a 0-based {@link #position()} into the text, shown
     * with a caret), what was expected and what was found, with examples.
     *
     * <pre>{@code
     * try {
     *     Gate.parse("peak-inside => 1 for 80%");
     * } catch (Gate.SyntaxException e) {
     *     e.position();   // 12
     * }
     * }</pre>
     */
    public static final class SyntaxException extends CamunitException {

        private static final long serialVersionUID = 1L;

        private final int position;

        SyntaxException(String text, int position, String problem) {
            super("Cannot read gate \"" + text + "\" at column " + (position + 1) + ": " + problem + ".\n    "
                    + text + "\n    " + " ".repeat(position) + "^\n" + EXAMPLES);
            this.position = position;
        }

        /** @return the 0-based index into the gate's text where reading failed */
        public int position() {
            return position;
        }
    }

    private final String metric;
    private final Operator operator;
    private final double threshold;
    private final Optional<SampleShare> share;
    private final Optional<Statistic> statistic;

    private Gate(String metric, Operator operator, double threshold, Optional<SampleShare> share,
            Optional<Statistic> statistic) {
        if (metric == null || metric.isBlank()) {
            throw new CamunitException("A gate needs a metric name, e.g. mass-inside; got " + metric + ".");
        }
        if (!Double.isFinite(threshold)) {
            throw new CamunitException("The threshold of a gate on " + metric + " must be a finite number; got "
                    + threshold + ". A NaN threshold would make every comparison false.");
        }
        // A metric camunit knows is named canonically (top-10.0-inside is top-10-inside), so that a gate finds
        // the values recorded under that name.
        this.metric = SampleMetric.find(metric).map(SampleMetric::name).orElse(metric.trim().toLowerCase(Locale.ROOT));
        this.operator = Objects.requireNonNull(operator, "operator");
        this.threshold = threshold;
        this.share = share;
        this.statistic = statistic;
    }

    /**
     * @param text a gate, e.g. {@code peak-inside >= 1 for 80%}
     * @return the gate
     * @throws SyntaxException when the text does not follow the grammar or a number is out of range
     */
    public static Gate parse(String text) {
        return new GateParser(Objects.requireNonNull(text, "text")).gate();
    }

    /**
     * @param metric the metric's name, e.g. {@code peak-inside}
     * @param operator how each sample's value is compared
     * @param threshold the threshold, finite
     * @param share how many samples must meet the condition
     * @return the sample gate {@code METRIC OP THRESHOLD for PERCENT%}
     */
    public static Gate onSamples(String metric, Operator operator, double threshold, SampleShare share) {
        return new Gate(metric, operator, threshold, Optional.of(share), Optional.empty());
    }

    /**
     * @param statistic the statistic over the samples
     * @param metric the metric's name
     * @param operator how the statistic is compared
     * @param threshold the threshold, finite
     * @return the statistic gate {@code STATISTIC METRIC OP THRESHOLD}
     */
    public static Gate onStatistic(Statistic statistic, String metric, Operator operator, double threshold) {
        return new Gate(metric, operator, threshold, Optional.empty(), Optional.of(statistic));
    }

    /** @return the gated metric's name, e.g. {@code mass-inside} */
    public String metric() {
        return metric;
    }

    /** @return the comparison */
    public Operator operator() {
        return operator;
    }

    /** @return the threshold */
    public double threshold() {
        return threshold;
    }

    /** @return the share of samples, for a sample gate */
    public Optional<SampleShare> share() {
        return share;
    }

    /** @return the statistic, for a statistic gate */
    public Optional<Statistic> statistic() {
        return statistic;
    }

    /** @return true for a statistic gate ({@code mean mass-inside >= 0.3}) */
    public boolean isStatistic() {
        return statistic.isPresent();
    }

    /**
     * @param value a sample's value, or null
     * @return whether it meets the per-sample condition {@code value OP THRESHOLD}; never without a value
     */
    public boolean holds(SampleValue value) {
        return value.hasValue() && operator.test(value.value(), threshold);
    }

    /** @return the condition of one sample, e.g. {@code >= 1} */
    public String condition() {
        return operator.symbol() + " " + Decimals.plain(threshold);
    }

    /**
     * @param keep how many of the worst samples to keep with their payload
     * @param keepAll whether to keep every sample's value too
     * @param <T> what is kept with each of the worst samples
     * @return an empty tally of this gate's per-sample condition, worst first by its operator
     */
    public <T> SampleTally<T> tally(int keep, boolean keepAll) {
        Comparator<SampleValue> byValue = Comparator.comparingDouble(v -> v.hasValue() ? v.value() : 0);
        return new SampleTally<>(this::holds, operator.lowIsBad() ? byValue : byValue.reversed(), keep, keepAll);
    }

    /**
     * @param tally every sample's value, streamed through {@link #tally}
     * @return the verdict
     */
    public Verdict judge(SampleTally<?> tally) {
        int total = tally.total();
        List<SampleValue> worst = tally.worstFailing();
        if (statistic.isPresent()) {
            if (tally.missing() > 0 || total == 0) {
                return new Verdict(this, false, total, tally.passing(), tally.missing(), null, null, tally.perClass(),
                        worst, Verdict.SAMPLES);
            }
            double value = statistic.get().of(tally.values());
            return new Verdict(this, operator.test(value, threshold), total, tally.passing(), 0, null, value,
                    tally.perClass(), worst, Verdict.SAMPLES);
        }
        SampleShare s = share.orElseThrow();
        Double bound = s.confidence().isPresent() ? s.lowerBound(tally.passing(), total).getAsDouble() : null;
        return new Verdict(this, s.isMet(tally.passing(), total), total, tally.passing(), tally.missing(), bound, null,
                tally.perClass(), worst, Verdict.SAMPLES);
    }

    /**
     * Judges the samples of one run, keeping the {@link #WORST} worst failing samples.
     *
     * @param values every sample's value of {@link #metric()}, in data-set order
     * @return the verdict
     */
    public Verdict judge(List<SampleValue> values) {
        SampleTally<Void> tally = tally(WORST, false);
        values.forEach(v -> tally.add(v, null));
        return judge(tally);
    }

    /** @return the gate in its canonical spelling, e.g. {@code mass-inside > 0.2 for 90% with 95% confidence} */
    @Override
    public String toString() {
        if (statistic.isPresent()) {
            return statistic.get() + " " + metric + " " + condition();
        }
        return metric + " " + condition() + " " + share.orElseThrow();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Gate g && g.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
