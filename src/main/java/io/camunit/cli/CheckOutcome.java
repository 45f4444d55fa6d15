package io.camunit.cli;

import io.camunit.evaluation.EvaluationResult;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.report.DatasetEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One check of a {@code camunit evaluate} run as the CI outputs ({@code --junit-xml},
 * {@code --summary-md}, {@code --allure-results}) show it: a gate judged for one method, or one
 * baseline comparison. Its words are the verdict's own ({@link Verdict#summary()},
 * {@link Regression.Result#summary()}), the same as on stdout and in {@code summary.json}.
 *
 * <pre>{@code
 * for (CheckOutcome c : CheckOutcome.of(result, baselineFiles)) {
 *     c.passed();     // false
 *     c.check();      // "peak-inside >= 1 for 80%"
 *     c.summary();    // "3/60 samples (5.0 %), worst: images/0001.png 0.000, ..."
 *     c.details();    // [3/60 samples (5.0 %), per class: circle 1/20, ..., worst samples:, ...]
 * }
 * }</pre>
 *
 * @param kind {@code gate} or {@code baseline}
 * @param method the method's id
 * @param check the gate as text, or the baseline comparison with its file
 * @param passed whether it holds
 * @param summary the verdict in one line
 * @param details the verdict in lines: the outcome, the counts per class, the worst samples
 * @param evidence the gate's evidence, when the evaluation kept it
 */
record CheckOutcome(String kind, String method, String check, boolean passed, String summary, List<String> details,
        Optional<DatasetEvidence> evidence) {

    /** Checks for nulls and copies the details. */
    CheckOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(summary, "summary");
        details = List.copyOf(details);
        Objects.requireNonNull(evidence, "evidence");
    }

    /**
     * @param r the evaluation's result
     * @param baselineFiles the baseline files, in the order of {@code r.regressions()}
     * @return the gates in command-line order, each for every method, then the baselines
     */
    static List<CheckOutcome> of(EvaluationResult r, List<String> baselineFiles) {
        List<CheckOutcome> out = new ArrayList<>();
        for (EvaluationResult.MethodVerdict mv : r.verdicts()) {
            Verdict v = mv.verdict();
            List<String> details = new ArrayList<>(List.of(v.outcome()));
            if (!v.classes().isEmpty()) {
                details.add("per class: " + v.perClassText());
            }
            if (!v.worst().isEmpty()) {
                details.add("worst samples:");
                v.worst().forEach(s -> details.add("  " + describe(s)));
            }
            out.add(new CheckOutcome("gate", mv.method(), v.gate().toString(), v.passed(), v.summary(), details,
                    mv.evidence()));
        }
        for (int i = 0; i < r.regressions().size(); i++) {
            EvaluationResult.MethodRegression m = r.regressions().get(i);
            Regression.Result x = m.result();
            List<String> details = new ArrayList<>(List.of(x.summary()));
            if (!x.drops().isEmpty()) {
                details.add("largest drops:");
                x.drops().stream().limit(Verdict.SUMMARY_WORST).forEach(d -> details.add("  " + d.describe()));
            }
            out.add(new CheckOutcome("baseline", m.method(), x.regression() + " (" + baselineFiles.get(i) + ")",
                    x.passed(), x.summary(), details, Optional.empty()));
        }
        return out;
    }

    private static String describe(SampleValue s) {
        return s.describe() + (s.reason() == null ? "" : " (" + s.reason() + ")");
    }
}
