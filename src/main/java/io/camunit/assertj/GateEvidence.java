package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.report.DatasetEvidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The evidence of a failed data-set check, from the tally of its one pass. */
final class GateEvidence {

    private GateEvidence() {}

    /**
     * @param metric the metric's name
     * @param gate the check as text
     * @param outcome what happened
     * @param figures the check's numbers
     * @param tally the pass's tally, keeping every value and the worst samples' explanations
     * @param note a remark per sample; the reason it has no value comes first
     * @param provenance what explained the samples
     * @return the evidence
     */
    static DatasetEvidence of(String metric, String gate, String outcome, Map<String, Double> figures,
            SampleTally<ExplainedSample> tally, Function<SampleValue, Optional<String>> note, Provenance provenance) {
        return of(metric, gate, outcome, figures, tally, tally.worst(), note, provenance);
    }

    /**
     * @param metric the metric's name
     * @param gate the check as text
     * @param outcome what happened
     * @param figures the check's numbers
     * @param tally every value and the counts, by the check's per-sample condition
     * @param kept the worst samples with their explanations, worst first
     * @param note a remark per sample; the reason it has no value comes first
     * @param provenance what explained the samples
     * @return the evidence
     */
    static DatasetEvidence of(String metric, String gate, String outcome, Map<String, Double> figures,
            SampleTally<?> tally, List<SampleTally.Kept<ExplainedSample>> kept,
            Function<SampleValue, Optional<String>> note, Provenance provenance) {
        return DatasetEvidence.of(metric, gate, outcome, figures, tally, kept, note, provenance.model(),
                provenance.methods(), provenance.layers());
    }
}
