package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.report.DatasetEvidence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
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
        Function<SampleValue, DatasetEvidence.SampleResult> result = v -> new DatasetEvidence.SampleResult(v.id(),
                v.label(), v.hasValue() ? OptionalDouble.of(v.value()) : OptionalDouble.empty(), tally.passes(v),
                Optional.ofNullable(v.reason()).or(() -> note.apply(v)), provenance.model());
        List<DatasetEvidence.WorstSample> worst = kept.stream().map(k -> {
            DatasetEvidence.SampleResult r = result.apply(k.value());
            return new DatasetEvidence.WorstSample(k.payload(), new DatasetEvidence.SampleResult(r.id(), r.label(),
                    r.value(), r.passed(), r.note(), k.payload().model().or(r::model)));
        }).toList();
        return new DatasetEvidence(metric, gate, outcome, figures, tally.all().stream().map(result).toList(),
                tally.perClass(), worst, provenance.methods(), provenance.layers());
    }
}
