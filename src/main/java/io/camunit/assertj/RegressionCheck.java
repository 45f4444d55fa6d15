package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.gate.Regression;
import io.camunit.metric.Decimals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A baseline comparison's pass over a data set: the candidate's values against the baseline's, the
 * samples with the largest drops kept with their maps. The baseline is checked against the first
 * sample's method and layers before anything else is measured.
 */
final class RegressionCheck {

    private final Regression regression;
    private final Regression.Tally<ExplainedSample> tally;
    private final Provenance provenance;
    private final String explainedBy;

    private RegressionCheck(DatasetMetric metric, Regression regression) {
        this.regression = regression;
        this.tally = regression.tally(DatasetMetricAssert.KEPT);
        String[] first = new String[1];
        this.provenance = metric.measure((v, s) -> {
            if (first[0] == null) {
                first[0] = s.explanation().method().id() + " at " + String.join("+", s.explanation().layers());
                regression.baseline().requireMatches(metric.name(), s.explanation().method().id(),
                        s.explanation().layers());
            }
            tally.add(v, s);
        });
        this.explainedBy = first[0];
    }

    /** @return the comparison, judged over the metric's samples */
    static RegressionCheck run(DatasetMetric metric, Regression regression) {
        return new RegressionCheck(metric, regression);
    }

    /**
     * @param worst how many drops the message lists
     * @return the failure, when the candidate regressed
     */
    Optional<DatasetMetricAssert.Failure> failure(int worst) {
        Regression.Result r = tally.result();
        if (r.passed()) {
            return Optional.empty();
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("tolerance", regression.sampleTolerance());
        if (regression.meanTolerance() != regression.sampleTolerance()) {
            figures.put("mean_tolerance", regression.meanTolerance());
        }
        if (r.paired() > 0) {
            figures.put("baseline_mean", r.baselineMean());
            figures.put("candidate_mean", r.candidateMean());
        }
        Map<String, Double> recorded = regression.baseline().samples();
        return Optional.of(new DatasetMetricAssert.Failure(ShouldNotRegress.create(explainedBy, r, worst),
                GateEvidence.of(regression.baseline().metric(), regression.toString(), r.drops().size() + " of "
                        + r.compared() + " baseline samples regressed", figures, tally.samples(),
                        v -> Optional.of(recorded.containsKey(v.id()) ? "baseline "
                                + Decimals.plain(recorded.get(v.id())) : "not in the baseline"), provenance)));
    }
}
