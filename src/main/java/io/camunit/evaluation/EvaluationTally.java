package io.camunit.evaluation;

import io.camunit.explain.Explainer;
import io.camunit.gate.Gate;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.gate.SampleValues;
import io.camunit.metric.MetricSummary;
import io.camunit.metric.SampleMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What an evaluation keeps while it runs: statistics, gate and baseline tallies, values if asked for. */
final class EvaluationTally {

    private final List<Explainer> explainers;
    private final List<String> metrics;
    private final List<Gate> gates;
    private final List<Regression> regressions;
    private final Map<String, Map<String, MetricSummary>> summaries = new LinkedHashMap<>();
    private final Map<String, List<SampleTally<Void>>> gateTallies = new LinkedHashMap<>();
    private final List<Regression.Tally<Void>> regressionTallies = new ArrayList<>();
    private final Map<String, Map<String, List<SampleValue>>> values;
    private int samples;

    EvaluationTally(List<Explainer> explainers, List<SampleMetric> metrics, List<Gate> gates,
            List<Regression> regressions, boolean keepValues) {
        this.explainers = explainers;
        this.metrics = metrics.stream().map(SampleMetric::name).toList();
        this.gates = gates;
        this.regressions = regressions;
        this.values = keepValues ? new LinkedHashMap<>() : null;
        for (Explainer e : explainers) {
            String method = e.method().id();
            Map<String, MetricSummary> perMetric = new LinkedHashMap<>();
            this.metrics.forEach(m -> perMetric.put(m, new MetricSummary()));
            summaries.put(method, perMetric);
            gateTallies.put(method, gates.stream().map(g -> g.<Void>tally(Gate.WORST, false)).toList());
            if (values != null) {
                Map<String, List<SampleValue>> perMetricValues = new LinkedHashMap<>();
                this.metrics.forEach(m -> perMetricValues.put(m, new ArrayList<>()));
                values.put(method, perMetricValues);
            }
        }
        regressions.forEach(r -> regressionTallies.add(r.tally(0)));
    }

    void add(MeasuredSample row) {
        if (row.method().equals(explainers.get(0).method().id())) {
            samples++;
        }
        for (int i = 0; i < metrics.size(); i++) {
            String metric = metrics.get(i);
            SampleValue v = row.values().get(i);
            MetricSummary summary = summaries.get(row.method()).get(metric);
            if (v.hasValue()) {
                summary.add(v.label(), v.value());
            } else {
                summary.addFailed(v.label());
            }
            List<SampleTally<Void>> tallies = gateTallies.get(row.method());
            for (int g = 0; g < gates.size(); g++) {
                if (gates.get(g).metric().equals(metric)) {
                    tallies.get(g).add(v, null);
                }
            }
            for (int r = 0; r < regressions.size(); r++) {
                if (regressions.get(r).baseline().method().equals(row.method())
                        && regressions.get(r).baseline().metric().equals(metric)) {
                    regressionTallies.get(r).add(v, null);
                }
            }
            if (values != null) {
                values.get(row.method()).get(metric).add(v);
            }
        }
    }

    EvaluationResult result() {
        List<String> methods = explainers.stream().map(e -> e.method().id()).toList();
        Map<String, Map<String, EvaluationResult.Statistics>> statistics = new LinkedHashMap<>();
        summaries.forEach((method, perMetric) -> {
            Map<String, EvaluationResult.Statistics> out = new LinkedHashMap<>();
            perMetric.forEach((metric, s) -> out.put(metric, new EvaluationResult.Statistics(s.overall(), s.perClass())));
            statistics.put(method, out);
        });
        List<EvaluationResult.MethodVerdict> verdicts = new ArrayList<>();
        for (int g = 0; g < gates.size(); g++) {
            for (String method : methods) {
                verdicts.add(new EvaluationResult.MethodVerdict(method,
                        gates.get(g).judge(gateTallies.get(method).get(g))));
            }
        }
        List<EvaluationResult.MethodRegression> outcomes = new ArrayList<>();
        for (int r = 0; r < regressions.size(); r++) {
            outcomes.add(new EvaluationResult.MethodRegression(regressions.get(r).baseline().method(),
                    regressionTallies.get(r).result()));
        }
        Map<String, Map<String, SampleValues>> kept = new LinkedHashMap<>();
        if (values != null) {
            for (Explainer e : explainers) {
                Map<String, SampleValues> perMetric = new LinkedHashMap<>();
                values.get(e.method().id()).forEach((metric, list) -> perMetric.put(metric,
                        new SampleValues(metric, e.method().id(), e.layers(), list)));
                kept.put(e.method().id(), perMetric);
            }
        }
        return new EvaluationResult(methods, metrics, samples, statistics, verdicts, outcomes, kept);
    }
}
