package io.camunit.metric;

import io.camunit.CamunitException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release gate on one metric over a data set, written as text (the CLI's {@code --gate}), with
 * the meaning of the AssertJ data-set gates ({@code DatasetMetricAssert}):
 *
 * <pre>
 * gate       := sample-gate | stat-gate
 * sample-gate:= METRIC OP THRESHOLD "for" PERCENT "%" [ "with" CONFIDENCE "%" "confidence" ]
 * stat-gate  := STATISTIC METRIC OP THRESHOLD
 * OP         := "&gt;=" | "&gt;" | "&lt;=" | "&lt;"
 * STATISTIC  := "mean" | "median" | "p" NN          (NN a percentile in [0, 100], e.g. p10)
 * </pre>
 *
 * <p>A sample gate holds when at least {@code PERCENT} % of the samples meet {@code value OP
 * THRESHOLD} ({@code forAtLeast}: {@code passing >= PERCENT/100 * n}, with a 1e-9 tolerance); with a
 * confidence, when the Wilson lower bound ({@link WilsonBound}) of the pass rate at that one-sided
 * confidence is at least {@code PERCENT/100} ({@code forAtLeastWithConfidence}). A sample without a
 * value never meets the condition. A statistic gate compares the mean, median or percentile (NumPy
 * linear, {@link MetricSummary#percentile}) with the threshold, and fails when any sample has no
 * value, since the statistic is then undefined. Keywords are case-insensitive; spaces around
 * operators and before {@code %} are optional.
 *
 * <pre>{@code
 * GateExpression gate = GateExpression.parse("peak-inside >= 1 for 80%");
 * GateExpression.Verdict v = gate.evaluate(List.of(
 *         new GateExpression.SampleValue("a.png", "circle", 1.0, null),
 *         new GateExpression.SampleValue("b.png", "square", null, "degenerate map")));
 * v.passed();    // false: 1 of 2 samples is 50 %
 * v.summary();   // "1/2 samples (50.0 %), 1 without a value, worst: b.png no value"
 * }</pre>
 */
public final class GateExpression {

    /** How many failing samples a verdict keeps, as the AssertJ messages list. */
    public static final int WORST = 5;

    /** Shown with every syntax error, so the fix is one copy away. */
    static final String EXAMPLES = "Gates look like \"peak-inside >= 1 for 80%\", \"mass-inside > 0.2 for 90% with 95%"
            + " confidence\" or \"mean mass-inside >= 0.3\" (also median, p10, ...).";

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    /**
     * A comparison of a value with the threshold.
     */
    public enum Operator {
        /** {@code >=}, as {@code isAtLeast}. */
        AT_LEAST(">=", true),
        /** {@code >}, as {@code isGreaterThan}. */
        GREATER_THAN(">", true),
        /** {@code <=}, as {@code isAtMost}. */
        AT_MOST("<=", false),
        /** {@code <}. */
        LESS_THAN("<", false);

        private final String symbol;
        private final boolean lowIsBad;

        Operator(String symbol, boolean lowIsBad) {
            this.symbol = symbol;
            this.lowIsBad = lowIsBad;
        }

        /** @return the operator as written, e.g. {@code >=} */
        public String symbol() {
            return symbol;
        }

        /** @return true when low values fail ({@code >=}, {@code >}), so the lowest are the worst */
        public boolean lowIsBad() {
            return lowIsBad;
        }

        /**
         * @param value a value
         * @param threshold the threshold
         * @return whether {@code value OP threshold}
         */
        public boolean test(double value, double threshold) {
            return switch (this) {
                case AT_LEAST -> value >= threshold;
                case GREATER_THAN -> value > threshold;
                case AT_MOST -> value <= threshold;
                case LESS_THAN -> value < threshold;
            };
        }
    }

    /**
     * One sample's value of the gated metric.
     *
     * <pre>{@code
     * new GateExpression.SampleValue("images/0001.png", "circle", 0.42, null);
     * new GateExpression.SampleValue("images/0002.png", "square", null, "map has no positive mass");
     * }</pre>
     *
     * @param id the sample's id
     * @param label its labelled class
     * @param value the metric's value, or null when it could not be computed
     * @param reason why there is no value, or null
     */
    public record SampleValue(String id, String label, Double value, String reason) {

        /** Checks the id. */
        public SampleValue {
            Objects.requireNonNull(id, "id");
        }

        /** @return e.g. {@code images/0001.png 0.000} or {@code images/0002.png no value} */
        public String describe() {
            return id + (value == null ? " no value" : String.format(Locale.ROOT, " %.3f", value));
        }
    }

    /**
     * A gate's verdict on one set of samples (one method's explanations).
     *
     * <pre>{@code
     * Verdict v = GateExpression.parse("mean mass-inside >= 0.3").evaluate(values);
     * v.passed();      // true when the mean reaches 0.3
     * v.statistic();   // the mean, or null when a sample had no value
     * }</pre>
     *
     * @param gate the gate
     * @param passed whether the gate holds
     * @param total how many samples
     * @param passing how many samples meet the per-sample condition {@code value OP THRESHOLD}
     * @param missing how many samples have no value
     * @param lowerBound the Wilson lower bound of the pass rate, for a gate with a confidence; else null
     * @param statistic the statistic's value, for a statistic gate that could compute it; else null
     * @param worst up to {@link #WORST} samples failing the per-sample condition, worst first: no
     *     value first, then the lowest (for {@code >=}, {@code >}) or highest values
     */
    public record Verdict(GateExpression gate, boolean passed, int total, int passing, int missing,
            Double lowerBound, Double statistic, List<SampleValue> worst) {

        /** Copies the list. */
        public Verdict {
            worst = List.copyOf(worst);
        }

        /** @return the share of samples meeting the condition, 0 without samples */
        public double rate() {
            return total == 0 ? 0 : (double) passing / total;
        }

        /**
         * @return the verdict in one line, e.g. {@code 58/60 samples (96.7 %)} or, failing,
         *     {@code 3/60 samples (5.0 %), worst: images/0001.png 0.000, ...}
         */
        public String summary() {
            StringBuilder s = new StringBuilder();
            if (gate.isStatistic()) {
                if (statistic != null) {
                    s.append(String.format(Locale.ROOT, "%s %.3f over %d samples", gate.statistic, statistic, total));
                } else if (missing > 0) {
                    s.append(missing).append(" of ").append(total).append(" samples have no value, so the ")
                            .append(gate.statistic).append(" is undefined");
                } else {
                    s.append("no samples, so the ").append(gate.statistic).append(" is undefined");
                }
            } else {
                s.append(String.format(Locale.ROOT, "%d/%d samples (%.1f %%)", passing, total, 100 * rate()));
                if (lowerBound != null) {
                    s.append(String.format(Locale.ROOT, ", Wilson lower bound %.1f %%", 100 * lowerBound));
                }
                if (missing > 0) {
                    s.append(", ").append(missing).append(" without a value");
                }
            }
            if (!passed && !worst.isEmpty()) {
                s.append(", worst: ").append(String.join(", ", worst.stream().map(SampleValue::describe).toList()));
            }
            return s.toString();
        }
    }

    /**
     * A gate that cannot be read: says where (a 0-based {@link #position()} into the text, shown
     * with a caret), what was expected and what was found, with examples.
     *
     * <pre>{@code
     * try {
     *     GateExpression.parse("peak-inside => 1 for 80%");
     * } catch (GateExpression.SyntaxException e) {
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
    private final String thresholdText;
    private final String statistic;
    private final double statisticPercent;
    private final double percent;
    private final String percentText;
    private final Double confidence;
    private final String confidenceText;

    private GateExpression(String metric, Operator operator, double threshold, String thresholdText, String statistic,
            double statisticPercent, double percent, String percentText, Double confidence, String confidenceText) {
        this.metric = metric;
        this.operator = operator;
        this.threshold = threshold;
        this.thresholdText = thresholdText;
        this.statistic = statistic;
        this.statisticPercent = statisticPercent;
        this.percent = percent;
        this.percentText = percentText;
        this.confidence = confidence;
        this.confidenceText = confidenceText;
    }

    /**
     * @param text a gate, e.g. {@code peak-inside >= 1 for 80%}
     * @return the gate
     * @throws SyntaxException when the text does not follow the grammar or a number is out of range
     */
    public static GateExpression parse(String text) {
        return new Parser(Objects.requireNonNull(text, "text")).gate();
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

    /** @return true for a statistic gate ({@code mean mass-inside >= 0.3}) */
    public boolean isStatistic() {
        return statistic != null;
    }

    /** @return the statistic's name ({@code mean}, {@code median}, {@code p10}), or null for a sample gate */
    public String statistic() {
        return statistic;
    }

    /** @return the least share of samples, in (0, 1], for a sample gate; NaN for a statistic gate */
    public double fraction() {
        return percent / 100;
    }

    /** @return the one-sided confidence in (0, 1), or null without one */
    public Double confidence() {
        return confidence == null ? null : confidence / 100;
    }

    /**
     * Judges the samples of one run.
     *
     * @param values every sample's value of {@link #metric()}, in data-set order
     * @return the verdict
     */
    public Verdict evaluate(List<SampleValue> values) {
        int total = values.size();
        int passing = 0;
        int missing = 0;
        List<SampleValue> failing = new ArrayList<>();
        for (SampleValue v : values) {
            if (v.value() == null) {
                missing++;
                failing.add(v);
            } else if (operator.test(v.value(), threshold)) {
                passing++;
            } else {
                failing.add(v);
            }
        }
        // Missing values first, then worst value first; the sort is stable, so ties keep data-set order.
        Comparator<SampleValue> order = Comparator.comparing((SampleValue v) -> v.value() != null)
                .thenComparingDouble(v -> v.value() == null ? 0 : operator.lowIsBad() ? v.value() : -v.value());
        List<SampleValue> worst = failing.stream().sorted(order).limit(WORST).toList();
        if (isStatistic()) {
            if (missing > 0 || total == 0) {
                return new Verdict(this, false, total, passing, missing, null, null, worst);
            }
            double[] sorted = values.stream().mapToDouble(SampleValue::value).toArray();
            Arrays.sort(sorted);
            double value = statistic.equals("mean") ? Arrays.stream(sorted).average().orElseThrow()
                    : MetricSummary.percentile(sorted, statisticPercent);
            return new Verdict(this, operator.test(value, threshold), total, passing, 0, null, value, worst);
        }
        double fraction = fraction();
        if (confidence == null) {
            // forAtLeast's rule, tolerance included, so 48 of 60 meets 80 % despite rounding.
            boolean passed = !(passing < fraction * total - 1e-9);
            return new Verdict(this, passed, total, passing, missing, null, null, worst);
        }
        double bound = WilsonBound.lowerBound(passing, total, confidence());
        return new Verdict(this, !(bound < fraction), total, passing, missing, bound, null, worst);
    }

    /** @return the gate in its canonical spelling, e.g. {@code mass-inside > 0.2 for 90% with 95% confidence} */
    @Override
    public String toString() {
        if (isStatistic()) {
            return statistic + " " + metric + " " + operator.symbol() + " " + thresholdText;
        }
        return metric + " " + operator.symbol() + " " + thresholdText + " for " + percentText + "%"
                + (confidence == null ? "" : " with " + confidenceText + "% confidence");
    }

    /** Recursive descent over the text, keeping the position for messages. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        GateExpression gate() {
            skipSpaces();
            int firstAt = pos;
            String first = word("a metric name (e.g. mass-inside) or a statistic (mean, median, pNN)");
            String statistic = null;
            double statisticPercent = Double.NaN;
            String metric = first;
            String lower = first.toLowerCase(Locale.ROOT);
            Matcher p = PERCENTILE.matcher(first);
            boolean isStatistic = lower.equals("mean") || lower.equals("median") || p.matches();
            skipSpaces();
            if (isStatistic && pos < text.length() && Character.isLetter(text.charAt(pos))) {
                statistic = lower;
                statisticPercent = lower.equals("median") ? 50 : lower.equals("mean") ? Double.NaN
                        : Double.parseDouble(p.group(1));
                if (statisticPercent > 100) {
                    throw new SyntaxException(text, firstAt + 1, "expected a percentile from 0 to 100 after 'p' but"
                            + " found " + p.group(1));
                }
                metric = word("a metric name after the statistic '" + first + "'");
            } else if (isStatistic && pos < text.length() && "<>=".indexOf(text.charAt(pos)) >= 0) {
                throw new SyntaxException(text, pos, "expected a metric name after the statistic '" + first
                        + "' (e.g. " + lower + " mass-inside >= 0.3) but found " + found());
            }
            skipSpaces();
            Operator operator = operator();
            skipSpaces();
            int thresholdAt = pos;
            String thresholdText = number("a threshold number");
            double threshold = Double.parseDouble(thresholdText);
            if (!Double.isFinite(threshold)) {
                throw new SyntaxException(text, thresholdAt, "expected a finite threshold but found " + thresholdText);
            }
            skipSpaces();
            if (statistic != null) {
                if (pos < text.length()) {
                    throw new SyntaxException(text, pos, "expected the end of a statistic gate (it takes no 'for',"
                            + " the statistic is over all samples) but found " + found());
                }
                return new GateExpression(metric, operator, threshold, thresholdText, statistic, statisticPercent,
                        Double.NaN, null, null, null);
            }
            keyword("for", "'for' and the share of samples that must pass (e.g. for 80%)");
            skipSpaces();
            int percentAt = pos;
            String percentText = number("a percentage of samples in (0, 100]");
            double percent = Double.parseDouble(percentText);
            if (!(percent > 0 && percent <= 100)) {
                throw new SyntaxException(text, percentAt, "expected a percentage of samples in (0, 100] but found "
                        + percentText);
            }
            skipSpaces();
            percentSign();
            skipSpaces();
            if (pos == text.length()) {
                return new GateExpression(metric, operator, threshold, thresholdText, null, Double.NaN, percent,
                        percentText, null, null);
            }
            keyword("with", "the end of the gate or 'with NN% confidence'");
            skipSpaces();
            int confidenceAt = pos;
            String confidenceText = number("a confidence percentage in (0, 100), e.g. 95");
            double confidence = Double.parseDouble(confidenceText);
            if (!(confidence > 0 && confidence < 100)) {
                throw new SyntaxException(text, confidenceAt, "expected a confidence percentage in (0, 100) but found "
                        + confidenceText);
            }
            skipSpaces();
            percentSign();
            skipSpaces();
            keyword("confidence", "'confidence' after the confidence percentage");
            skipSpaces();
            if (pos < text.length()) {
                throw new SyntaxException(text, pos, "expected the end of the gate but found " + found());
            }
            return new GateExpression(metric, operator, threshold, thresholdText, null, Double.NaN, percent,
                    percentText, confidence, confidenceText);
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        /** What stands at the position: the next run of non-space characters, or the end. */
        private String found() {
            if (pos >= text.length()) {
                return "the end of the gate";
            }
            int end = pos;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && end - pos < 20) {
                end++;
            }
            return "'" + text.substring(pos, end) + "'";
        }

        /** A name: a letter, then letters, digits, '-' and '_' (metric names such as top-10-inside). */
        private String word(String expected) {
            if (pos >= text.length() || !Character.isLetter(text.charAt(pos))) {
                throw new SyntaxException(text, pos, "expected " + expected + " but found " + found());
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-'
                    || text.charAt(pos) == '_')) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private Operator operator() {
            String expected = "an operator (>=, >, <=, <)";
            if (pos >= text.length()) {
                throw new SyntaxException(text, pos, "expected " + expected + " but found " + found());
            }
            char c = text.charAt(pos);
            boolean twoChar = pos + 1 < text.length() && text.charAt(pos + 1) == '=';
            if (c == '>' || c == '<') {
                // "=>" and "==" are caught below; ">=" must not read as ">" followed by junk.
                pos += twoChar ? 2 : 1;
                return c == '>' ? (twoChar ? Operator.AT_LEAST : Operator.GREATER_THAN)
                        : (twoChar ? Operator.AT_MOST : Operator.LESS_THAN);
            }
            throw new SyntaxException(text, pos, "expected " + expected + " but found " + found());
        }

        private String number(String expected) {
            Matcher m = NUMBER.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                throw new SyntaxException(text, pos, "expected " + expected + " but found " + found());
            }
            pos = m.end();
            return m.group();
        }

        private void keyword(String keyword, String expected) {
            int start = pos;
            int end = pos;
            while (end < text.length() && Character.isLetter(text.charAt(end))) {
                end++;
            }
            if (!text.substring(start, end).equalsIgnoreCase(keyword)) {
                throw new SyntaxException(text, pos, "expected " + expected + " but found " + found());
            }
            pos = end;
        }

        private void percentSign() {
            if (pos >= text.length() || text.charAt(pos) != '%') {
                throw new SyntaxException(text, pos, "expected '%' after the percentage but found " + found());
            }
            pos++;
        }
    }
}
