package io.camunit.cli;

import io.camunit.evaluation.EvaluationResult;

import java.util.List;

/**
 * {@code evaluate --summary-md FILE}: the run as Markdown for a CI job summary such as GitHub's
 * {@code $GITHUB_STEP_SUMMARY}: a heading naming model and data set, one table row per check
 * (result, method, check, outcome in the verdict's own words), and the statistics table of stdout.
 * The file is appended to, as GitHub expects of a step summary, so that several runs in one step
 * all show; a missing file is created.
 *
 * <pre>{@code
 * ### camunit evaluate: shapes-shortcut on fixtures/shapes/test-marked/coco.json
 *
 * 60 samples; grad-cam at features.10; target: labelled class. **1 of 1 checks failed.**
 *
 * | Result | Method | Check | Outcome |
 * | --- | --- | --- | --- |
 * | ❌ FAIL | grad-cam | `peak-inside >= 1 for 80%` | 3/60 samples (5.0 %), worst: images/0001.png 0.000, ... |
 * }</pre>
 */
final class SummaryMarkdown {

    private SummaryMarkdown() {}

    /**
     * @param run what was evaluated
     * @param r the result, for the statistics
     * @param checks the checks, in order
     * @return the Markdown, ending with an empty line so that the next appended block starts apart
     */
    static String of(EvaluationRun run, EvaluationResult r, List<CheckOutcome> checks) {
        StringBuilder md = new StringBuilder();
        md.append("### camunit evaluate: ").append(cell(run.modelName())).append(" on ").append(cell(run.data()))
                .append("\n\n");
        long failed = checks.stream().filter(c -> !c.passed()).count();
        md.append(run.samples()).append(" samples; ").append(cell(String.join(", ", r.methods())));
        if (!run.layers().isEmpty()) {
            md.append(" at ").append(cell(String.join("+", run.layers())));
        }
        md.append("; target: ").append(run.target()).append(" class. ");
        if (checks.isEmpty()) {
            md.append("No --gate or --baseline was given.\n\n");
        } else {
            md.append(failed == 0 ? "All " + checks.size() + " checks passed." : "**" + failed + " of " + checks.size()
                    + " checks failed.**").append("\n\n");
            md.append("| Result | Method | Check | Outcome |\n| --- | --- | --- | --- |\n");
            for (CheckOutcome c : checks) {
                md.append("| ").append(c.passed() ? "✅ PASS" : "❌ FAIL").append(" | ").append(cell(c.method()))
                        .append(" | ").append(code(c.check())).append(" | ").append(cell(c.summary())).append(" |\n");
            }
            md.append('\n');
        }
        List<String[]> rows = ResultLines.statisticsRows(r);
        md.append("| Method | Metric | Mean | p10 | Count | Failed |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
        for (String[] row : rows.subList(1, rows.size())) {
            md.append('|');
            for (String value : row) {
                md.append(' ').append(cell(value)).append(" |");
            }
            md.append('\n');
        }
        return md.append('\n').toString();
    }

    /** Text in a table cell: a | would end the cell and a line break the row. */
    static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** A check as code (its operators are not Markdown); a back-tick inside would end the span. */
    private static String code(String s) {
        return "`" + s.replace("`", "'").replace("|", "\\|").replace("\r", " ").replace("\n", " ") + "`";
    }
}
