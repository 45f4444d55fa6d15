package io.camunit.cli;

import io.camunit.engine.EngineCheck;
import io.camunit.evaluation.EvaluationResult;
import io.camunit.gate.ClassCount;
import io.camunit.gate.Gate;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.metric.MetricSummary;

import com.google.gson.GsonBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json} of {@code camunit evaluate}: the run's settings, statistics per method, metric
 * and class, every gate's verdict per method and every baseline comparison. Statistics without any
 * value, and figures that do not apply, are {@code null}, never NaN.
 */
final class SummaryJson {

    /** How percentiles are computed, written into the file so that readers need not guess. */
    static final String PERCENTILE = "linear interpolation between order statistics (numpy.percentile's default):"
            + " x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]) with h = (n - 1) * p / 100";

    private SummaryJson() {}

    /**
     * @param settings the run's settings in order (model, data, layers, target, ...)
     * @param classOrder the data set's classes, for the order of {@code per_class}
     * @param r the result
     * @param baselineFiles the baseline files compared, in the order of {@code r.regressions()}
     * @return the file's content
     */
    static String of(Map<String, Object> settings, List<String> classOrder, EvaluationResult r,
            List<String> baselineFiles) {
        Map<String, Object> json = new LinkedHashMap<>(settings);
        json.put("samples", r.samples());
        json.put("metrics", r.metrics());
        json.put("percentile", PERCENTILE);
        json.put("engine", EngineCheck.verdict().toMap());
        Map<String, Object> byMethod = new LinkedHashMap<>();
        for (String method : r.methods()) {
            Map<String, Object> metricsJson = new LinkedHashMap<>();
            for (String metric : r.metrics()) {
                EvaluationResult.Statistics s = r.statistics(method, metric);
                Map<String, Object> stats = statistics(s.overall());
                // Classes in the data set's order, then any other label (several classes, none).
                List<String> order = new ArrayList<>(classOrder.stream().filter(s.perClass()::containsKey).toList());
                s.perClass().keySet().stream().filter(label -> !order.contains(label)).forEach(order::add);
                Map<String, Object> perClass = new LinkedHashMap<>();
                order.forEach(label -> perClass.put(label, statistics(s.perClass().get(label))));
                stats.put("per_class", perClass);
                metricsJson.put(metric, stats);
            }
            byMethod.put(method, metricsJson);
        }
        json.put("methods", byMethod);
        json.put("gates", r.verdicts().stream().map(v -> gate(v.method(), v.verdict())).toList());
        List<Object> baselines = new ArrayList<>();
        for (int i = 0; i < r.regressions().size(); i++) {
            baselines.add(baseline(baselineFiles.get(i), r.regressions().get(i)));
        }
        json.put("baselines", baselines);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(json) + "\n";
    }

    /** One gate's verdict for one method; fields that do not apply to the gate's form are null. */
    private static Map<String, Object> gate(String method, Verdict v) {
        Gate g = v.gate();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("gate", g.toString());
        j.put("method", method);
        j.put("passed", v.passed());
        j.put("metric", g.metric());
        j.put("operator", g.operator().symbol());
        j.put("threshold", g.threshold());
        j.put("statistic", g.statistic().map(Object::toString).orElse(null));
        j.put("required_fraction", g.share().map(s -> s.fraction()).orElse(null));
        j.put("confidence", g.share().flatMap(s -> s.confidence().isPresent()
                ? java.util.Optional.of(s.confidence().getAsDouble()) : java.util.Optional.empty()).orElse(null));
        j.put("samples", v.total());
        j.put("passing", v.passing());
        j.put("missing", v.missing());
        j.put("rate", v.rate());
        j.put("lower_bound", v.lowerBound());
        j.put("value", v.statistic());
        j.put("per_class", perClass(v.classes()));
        List<Object> worst = new ArrayList<>();
        for (SampleValue s : v.worst()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", s.id());
            w.put("label", s.label());
            w.put("value", s.value());
            w.put("reason", s.reason());
            worst.add(w);
        }
        j.put("worst", worst);
        j.put("summary", v.summary());
        return j;
    }

    private static Map<String, Object> baseline(String file, EvaluationResult.MethodRegression m) {
        Regression.Result r = m.result();
        Regression regression = r.regression();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("baseline", file);
        j.put("model", regression.baseline().model());
        j.put("method", m.method());
        j.put("metric", regression.baseline().metric());
        j.put("passed", r.passed());
        j.put("tolerance", regression.sampleTolerance());
        j.put("mean_tolerance", regression.meanTolerance());
        j.put("compared", r.compared());
        j.put("regressed", r.drops().size());
        j.put("paired", r.paired());
        j.put("baseline_mean", r.paired() == 0 ? null : r.baselineMean());
        j.put("candidate_mean", r.paired() == 0 ? null : r.candidateMean());
        j.put("not_in_baseline", r.notInBaseline().size());
        List<Object> drops = new ArrayList<>();
        r.drops().stream().limit(Verdict.SUMMARY_WORST).forEach(d -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", d.id());
            w.put("baseline", d.baseline());
            w.put("candidate", d.candidate());
            w.put("reason", d.reason());
            drops.add(w);
        });
        j.put("worst", drops);
        j.put("summary", r.summary());
        return j;
    }

    private static List<Object> perClass(List<ClassCount> classes) {
        List<Object> out = new ArrayList<>();
        for (ClassCount c : classes) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("class", c.label());
            j.put("samples", c.samples());
            j.put("passing", c.passing());
            j.put("missing", c.missing());
            out.add(j);
        }
        return out;
    }

    /** Statistics as JSON; without any computed value they are null, never NaN. */
    private static Map<String, Object> statistics(MetricSummary.Statistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("failed", s.failed());
        m.put("mean", s.isEmpty() ? null : s.mean());
        m.put("median", s.isEmpty() ? null : s.median());
        m.put("p10", s.isEmpty() ? null : s.p10());
        m.put("min", s.isEmpty() ? null : s.min());
        m.put("max", s.isEmpty() ? null : s.max());
        return m;
    }
}
