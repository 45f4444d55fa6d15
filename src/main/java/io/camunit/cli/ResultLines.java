package io.camunit.cli;

import io.camunit.evaluation.EvaluationResult;
import io.camunit.metric.Decimals;
import io.camunit.metric.MetricSummary;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code camunit evaluate} prints on stdout: a table of method, metric, mean, p10, count and
 * failed; then one line per gate and method ({@code PASS  grad-cam  peak-inside >= 1 for 80%: ...})
 * and per baseline comparison.
 */
final class ResultLines {

    private ResultLines() {}

    static void print(PrintWriter o, EvaluationResult r) {
        table(o, r);
        verdicts(o, r);
        o.flush();
    }

    /**
     * @param r the result
     * @return the statistics table, header first: method, metric, mean, p10, count, failed; numbers
     *     with 6 decimals, {@code -} without any value (also the Markdown summary's table)
     */
    static List<String[]> statisticsRows(EvaluationResult r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", "metric", "mean", "p10", "count", "failed"});
        for (String method : r.methods()) {
            for (String metric : r.metrics()) {
                MetricSummary.Statistics s = r.statistics(method, metric).overall();
                rows.add(new String[] {method, metric, s.isEmpty() ? "-" : Decimals.fixed(s.mean(), 6),
                    s.isEmpty() ? "-" : Decimals.fixed(s.p10(), 6), String.valueOf(s.count()), String.valueOf(s.failed())});
            }
        }
        return rows;
    }

    private static void table(PrintWriter o, EvaluationResult r) {
        List<String[]> rows = statisticsRows(r);
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // Text left-aligned, numbers right-aligned, as a reader scans them.
                String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, row[i]));
            }
            o.println(line.toString().stripTrailing());
        }
    }

    /** Gates in command-line order, each for every method; then the baselines. */
    private static void verdicts(PrintWriter o, EvaluationResult r) {
        if (r.verdicts().isEmpty() && r.regressions().isEmpty()) {
            return;
        }
        int width = r.methods().stream().mapToInt(String::length).max().orElse(0);
        o.println();
        for (EvaluationResult.MethodVerdict v : r.verdicts()) {
            o.println(line(v.verdict().passed(), v.method(), width, v.verdict().gate().toString(), v.verdict().summary()));
        }
        for (EvaluationResult.MethodRegression m : r.regressions()) {
            o.println(line(m.result().passed(), m.method(), width, m.result().regression().toString(),
                    m.result().summary()));
        }
    }

    private static String line(boolean passed, String method, int width, String check, String summary) {
        return String.format(Locale.ROOT, "%s  %-" + width + "s  %s: %s", passed ? "PASS" : "FAIL", method, check,
                summary);
    }
}
