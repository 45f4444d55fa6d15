package io.camunit.report;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explanation;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Evidence of a failed data-set gate: every sample's value and verdict, the samples worst first, and
 * the gate's figures.
 *
 * <pre>{@code
 * DatasetEvidence e = new DatasetEvidence("peak-inside", "peak-inside >= 1.0 for at least 80.0 % of samples",
 *         "held for 3 of 60 (5.0 %)", Map.of("threshold", 1.0, "required_fraction", 0.8), samples, worstFirst);
 * }</pre>
 *
 * @param metric the metric, e.g. {@code peak-inside}
 * @param gate the gate as text, e.g. {@code peak-inside >= 1.0 for at least 80.0 % of samples}
 * @param outcome what happened, e.g. {@code held for 3 of 60 (5.0 %)}
 * @param figures the gate's numbers by name, in order (e.g. {@code threshold}, {@code required_fraction},
 *     {@code rate}, {@code lower_bound}, {@code mean}); written into the metrics JSON
 * @param samples one outcome per sample, in data-set order
 * @param worst the same outcomes, worst first (no value first, then by value)
 */
public record DatasetEvidence(String metric, String gate, String outcome, Map<String, Double> figures,
        List<SampleOutcome> samples, List<SampleOutcome> worst) implements Evidence {

    /** Copies the collections, keeping the figures' order; figures must be finite. */
    public DatasetEvidence {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(outcome, "outcome");
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        figures.forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("Figure " + name + " of a gate must be a finite number; got " + value);
            }
        });
        samples = List.copyOf(samples);
        worst = List.copyOf(worst);
    }

    /**
     * One sample's result under the gate.
     *
     * <pre>{@code
     * new SampleOutcome(explained, OptionalDouble.of(0.2), false, Optional.empty(), Optional.of("shapes-clean.pt"));
     * }</pre>
     *
     * @param explained the sample and its explanation
     * @param value the metric's value; empty when it cannot be computed
     * @param passed whether the sample meets the gate's per-sample condition
     * @param note why there is no value, or a remark (e.g. the baseline value)
     * @param model the model's name, when known
     */
    public record SampleOutcome(ExplainedSample explained, OptionalDouble value, boolean passed, Optional<String> note,
            Optional<String> model) {

        /** Checks for nulls. */
        public SampleOutcome {
            Objects.requireNonNull(explained, "explained");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(model, "model");
        }

        /** @return the sample's class, {@code (several)} for mixed samples, {@code (none)} without objects */
        public String label() {
            List<String> labels = explained.sample().labels();
            return labels.size() == 1 ? labels.get(0) : labels.isEmpty() ? "(none)" : "(several)";
        }
    }

    @Override
    public DatasetEvidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded) {
        Map<SampleOutcome, SampleOutcome> filled = new IdentityHashMap<>();
        for (SampleOutcome o : samples) {
            Optional<String> model = o.model().or(() -> recorded.apply(o.explained().explanation())
                    .flatMap(SampleEvidence::model));
            filled.put(o, new SampleOutcome(o.explained(), o.value(), o.passed(), o.note(), model));
        }
        return new DatasetEvidence(metric, gate, outcome, figures, samples.stream().map(filled::get).toList(),
                worst.stream().map(o -> filled.getOrDefault(o, o)).toList());
    }

    @Override
    public List<String> models() {
        return samples.stream().flatMap(o -> o.model().stream()).distinct().toList();
    }

    @Override
    public List<Explanation> explanations() {
        return samples.stream().map(o -> o.explained().explanation()).toList();
    }
}
