package io.camunit.gate;

import io.camunit.metric.Decimals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a {@link Gate} from text by recursive descent, keeping the position for messages. */
final class GateParser {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

    private final String text;
    private int pos;

    GateParser(String text) {
        this.text = text;
    }

    Gate gate() {
        skipSpaces();
        int firstAt = pos;
        String first = word("a metric name (e.g. mass-inside) or a statistic (mean, median, pNN)");
        skipSpaces();
        boolean statisticWord = looksLikeStatistic(first);
        Statistic statistic = null;
        String metric = first;
        if (statisticWord && pos < text.length() && Character.isLetter(text.charAt(pos))) {
            try {
                statistic = Statistic.parse(first);
            } catch (RuntimeException e) {
                throw new Gate.SyntaxException(text, firstAt + 1, "expected a percentile from 0 to 100 after 'p' but"
                        + " found " + first.substring(1));
            }
            metric = word("a metric name after the statistic '" + first + "'");
        } else if (statisticWord && pos < text.length() && "<>=".indexOf(text.charAt(pos)) >= 0) {
            throw new Gate.SyntaxException(text, pos, "expected a metric name after the statistic '" + first
                    + "' (e.g. " + first.toLowerCase(java.util.Locale.ROOT) + " mass-inside >= 0.3) but found "
                    + found());
        }
        skipSpaces();
        Operator operator = operator();
        skipSpaces();
        int thresholdAt = pos;
        String thresholdText = number("a threshold number");
        double threshold = Double.parseDouble(thresholdText);
        if (!Double.isFinite(threshold)) {
            throw new Gate.SyntaxException(text, thresholdAt, "expected a finite threshold but found " + thresholdText);
        }
        skipSpaces();
        if (statistic != null) {
            if (pos < text.length()) {
                throw new Gate.SyntaxException(text, pos, "expected the end of a statistic gate (it takes no 'for',"
                        + " the statistic is over all samples) but found " + found());
            }
            return Gate.onStatistic(statistic, metric, operator, threshold);
        }
        keyword("for", "'for' and the share of samples that must pass (e.g. for 80%)");
        SampleShare share = SampleShare.forAtLeast(percentage("a percentage of samples in (0, 100]", true));
        if (pos == text.length()) {
            return Gate.onSamples(metric, operator, threshold, share);
        }
        keyword("with", "the end of the gate or 'with NN% confidence'");
        share = share.withConfidence(percentage("a confidence percentage in (0, 100)", false));
        keyword("confidence", "'confidence' after the confidence percentage");
        skipSpaces();
        if (pos < text.length()) {
            throw new Gate.SyntaxException(text, pos, "expected the end of the gate but found " + found());
        }
        return Gate.onSamples(metric, operator, threshold, share);
    }

    /**
     * A number, a '%' and the spaces around them: a share as a fraction, read in decimal.
     *
     * @param expected what the number must be, e.g. {@code a percentage of samples in (0, 100]}
     * @param hundredIncluded whether 100 % is allowed (a share of samples) or not (a confidence)
     */
    private double percentage(String expected, boolean hundredIncluded) {
        skipSpaces();
        int at = pos;
        String written = number(expected + (hundredIncluded ? "" : ", e.g. 95"));
        double percent = Double.parseDouble(written);
        if (!(percent > 0 && (hundredIncluded ? percent <= 100 : percent < 100))) {
            throw new Gate.SyntaxException(text, at, "expected " + expected + " but found " + written);
        }
        skipSpaces();
        percentSign();
        skipSpaces();
        return Decimals.fractionOfPercent(written);
    }

    private static boolean looksLikeStatistic(String word) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        return w.equals("mean") || w.equals("median") || w.matches("p\\d+(\\.\\d+)?");
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

    /** A name: a letter, then letters, digits, '-', '_' and '.' (metric names such as top-2.5-inside). */
    private String word(String expected) {
        if (pos >= text.length() || !Character.isLetter(text.charAt(pos))) {
            throw new Gate.SyntaxException(text, pos, "expected " + expected + " but found " + found());
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos))
                || "-_.".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private Operator operator() {
        String expected = "an operator (>=, >, <=, <)";
        if (pos >= text.length()) {
            throw new Gate.SyntaxException(text, pos, "expected " + expected + " but found " + found());
        }
        char c = text.charAt(pos);
        boolean twoChar = pos + 1 < text.length() && text.charAt(pos + 1) == '=';
        if (c == '>' || c == '<') {
            // "=>" and "==" are refused below; ">=" must not read as ">" followed by junk.
            pos += twoChar ? 2 : 1;
            return c == '>' ? (twoChar ? Operator.AT_LEAST : Operator.GREATER_THAN)
                    : (twoChar ? Operator.AT_MOST : Operator.LESS_THAN);
        }
        throw new Gate.SyntaxException(text, pos, "expected " + expected + " but found " + found());
    }

    private String number(String expected) {
        Matcher m = NUMBER.matcher(text).region(pos, text.length());
        if (!m.lookingAt()) {
            throw new Gate.SyntaxException(text, pos, "expected " + expected + " but found " + found());
        }
        pos = m.end();
        return m.group();
    }

    private void keyword(String keyword, String expected) {
        int end = pos;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        if (!text.substring(pos, end).equalsIgnoreCase(keyword)) {
            throw new Gate.SyntaxException(text, pos, "expected " + expected + " but found " + found());
        }
        pos = end;
    }

    private void percentSign() {
        if (pos >= text.length() || text.charAt(pos) != '%') {
            throw new Gate.SyntaxException(text, pos, "expected '%' after the percentage but found " + found());
        }
        pos++;
    }
}
