package io.camunit.evaluation;

import io.camunit.CamunitException;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleValues;
import io.camunit.gate.Verdict;
import io.camunit.metric.MetricSummary;
import io.camunit.report.DatasetEvidence;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Evaluation} found: statistics per method, metric and class, the verdict of every
 * gate for every method, the outcome of every baseline comparison, and, when asked for, every
 * sample's values.
 *
 * <pre>{@code
 * EvaluationResult r = evaluation.run();
 * r.statistics("grad-cam", "peak-inside").overall().mean();   // 0.967
 * r.passed();                                                 // all gates and baselines hold
 * Baseline.record("shapes-clean@1", r.sampleValues("grad-cam", "mass-inside")).save(file);
 * }</pre>
 *
 * @param methods the method ids, in the evaluation's order
 * @param metrics the metric names, in the evaluation's order
 * @param samples how many samples were evaluated
 * @param statistics per method, per metric
 * @param verdicts every gate's verdict for every method: gates in order, each for every method in order
 * @param regressions every baseline comparison, in order
 * @param values per method, per metric, every sample's value; empty unless the evaluation kept them
 */
public record EvaluationResult(List<String> methods, List<String> metrics, int samples,
        Map<String, Map<String, Statistics>> statistics, List<MethodVerdict> verdicts,
        List<MethodRegression> regressions, Map<String, Map<String, SampleValues>> values) {

    /** Copies the collections. */
    public EvaluationResult {
        methods = List.copyOf(methods);
        metrics = List.copyOf(metrics);
        statistics = Map.copyOf(statistics);
        verdicts = List.copyOf(verdicts);
        regressions = List.copyOf(regressions);
        values = Map.copyOf(values);
    }

    /**
     * One metric's statistics for one method.
     *
     * <pre>{@code
     * r.statistics("grad-cam", "mass-inside").perClass().get("circle").median();
     * }</pre>
     *
     * @param overall over every sample
     * @param perClass per class ({@link io.camunit.region.LabeledSample#classLabel()}), in order of first appearance
     */
    public record Statistics(MetricSummary.Statistics overall, Map<String, MetricSummary.Statistics> perClass) {

        /** Copies the map, keeping its order. */
        public Statistics {
            Objects.requireNonNull(overall, "overall");
            perClass = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perClass));
        }
    }

    /**
     * A gate's verdict for one method, with its evidence when the evaluation kept it
     * ({@link Evaluation.Builder#optEvidence}).
     *
     * <pre>{@code
     * r.verdicts().get(0).method();   // "grad-cam"
     * r.verdicts().get(0).evidence().map(e -> EvidenceAttachments.of(e, 12));
     * }</pre>
     *
     * @param method the method's id
     * @param verdict the verdict
     * @param evidence every sample's result and the worst samples' explanations; empty unless kept
     */
    public record MethodVerdict(String method, Verdict verdict, Optional<DatasetEvidence> evidence) {

        /** Checks for nulls. */
        public MethodVerdict {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(evidence, "evidence");
        }

        /**
         * @param method the method's id
         * @param verdict the verdict, without evidence
         */
        public MethodVerdict(String method, Verdict verdict) {
            this(method, verdict, Optional.empty());
        }
    }

    /**
     * A baseline comparison's outcome for the method its baseline names.
     *
     * <pre>{@code
     * r.regressions().get(0).result().summary();
     * }</pre>
     *
     * @param method the method's id
     * @param result the outcome
     */
    public record MethodRegression(String method, Regression.Result result) {}

    /** @return true when every gate and every baseline comparison holds */
    public boolean passed() {
        return verdicts.stream().allMatch(v -> v.verdict().passed())
                && regressions.stream().allMatch(r -> r.result().passed());
    }

    /**
     * @param method a method's id
     * @param metric a metric's name
     * @return that metric's statistics for that method
     * @throws CamunitException when the evaluation has no such method or metric
     */
    public Statistics statistics(String method, String metric) {
        Statistics s = statistics.getOrDefault(method, Map.of()).get(metric);
        if (s == null) {
            throw new CamunitException("The evaluation has no " + metric + " of " + method + "; its methods are "
                    + methods + " and its metrics " + metrics + ".");
        }
        return s;
    }

    /**
     * @param method a method's id
     * @param metric a metric's name
     * @return every sample's value, e.g. to record a baseline
     * @throws CamunitException when the evaluation did not keep values ({@code optKeepValues}) or has
     *     no such method or metric
     */
    public SampleValues sampleValues(String method, String metric) {
        SampleValues v = values.getOrDefault(method, Map.of()).get(metric);
        if (v == null) {
            throw new CamunitException("The evaluation kept no " + metric + " values of " + method + (values.isEmpty()
                    ? ": build it with optKeepValues(true)." : "; its methods are " + methods + " and its metrics "
                            + metrics + "."));
        }
        return v;
    }
}
