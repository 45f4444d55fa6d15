package io.camunit.evaluation;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explainer;
import io.camunit.gate.Gate;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.gate.SampleValues;
import io.camunit.gate.Verdict;
import io.camunit.metric.MetricSummary;
import io.camunit.metric.SampleMetric;
import io.camunit.report.DatasetEvidence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    /** Per method, per gate: a second tally keeping every value and the worst explanations, or none. */
    private final Map<String, List<SampleTally<ExplainedSample>>> evidenceTallies = new LinkedHashMap<>();
    private final String model;
    /** What the items are, for the verdicts' words ({@link Verdict#withUnit}). */
    private final String unit;
    private int samples;

    EvaluationTally(List<Explainer> explainers, List<SampleMetric> metrics, List<Gate> gates,
            List<Regression> regressions, boolean keepValues, int evidenceWorst, String model, String unit) {
        this.model = model;
        this.unit = unit;
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
            // Separate from the verdict's tally, so that keeping evidence changes no verdict's worst samples.
            if (evidenceWorst > 0) {
                evidenceTallies.put(method, gates.stream().map(g -> g.<ExplainedSample>tally(evidenceWorst, true))
                        .toList());
            }
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
            List<SampleTally<ExplainedSample>> evidence = evidenceTallies.get(row.method());
            for (int g = 0; g < gates.size(); g++) {
                if (gates.get(g).metric().equals(metric)) {
                    tallies.get(g).add(v, null);
                    if (evidence != null) {
                        evidence.get(g).add(v, new ExplainedSample(row.sample(), row.explanation(), Optional.of(model)));
                    }
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
            for (int m = 0; m < methods.size(); m++) {
                String method = methods.get(m);
                Verdict verdict = gates.get(g).judge(gateTallies.get(method).get(g)).withUnit(unit);
                verdicts.add(new EvaluationResult.MethodVerdict(method, verdict,
                        evidence(gates.get(g), verdict, explainers.get(m), evidenceTallies.get(method), g)));
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

    private Optional<DatasetEvidence> evidence(Gate gate, Verdict verdict, Explainer explainer,
            List<SampleTally<ExplainedSample>> tallies, int g) {
        if (tallies == null) {
            return Optional.empty();
        }
        SampleTally<ExplainedSample> tally = tallies.get(g);
        return Optional.of(DatasetEvidence.of(gate.metric(), gate.toString(), verdict.outcome(), verdict.figures(),
                tally, tally.worst(), v -> Optional.empty(), Optional.of(model), List.of(explainer.method().id()),
                explainer.layers()));
    }
}
