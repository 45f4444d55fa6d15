package io.camunit.report;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explanation;
import io.camunit.gate.ClassCount;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * Evidence of a failed data-set gate: every sample's value and verdict, the counts per class, the
 * worst samples with their explanations (only those: a gate over 50,000 samples keeps the maps of
 * its worst few, not of every sample), and the gate's figures.
 *
 * <pre>{@code
 * DatasetEvidence e = new DatasetEvidence("peak-inside", "peak-inside >= 1 for 80%", "3/60 samples (5.0 %)",
 *         verdict.figures(), values, verdict.perClass(), worst, List.of("grad-cam"), List.of("features.10"));
 * }</pre>
 *
 * @param metric the metric, e.g. {@code peak-inside}
 * @param gate the gate as text, e.g. {@code peak-inside >= 1 for 80%}
 * @param outcome what happened, e.g. {@code 3/60 samples (5.0 %)}
 * @param figures the gate's numbers by name, in order (e.g. {@code threshold}, {@code required_fraction},
 *     {@code rate}, {@code lower_bound}, {@code value}); written into the metrics JSON
 * @param values one result per sample, in data-set order
 * @param perClass the counts per class, in order of first appearance, then {@link ClassCount#ALL}
 * @param worst the worst samples with their explanations, worst first (no value first, then by value)
 * @param methods the methods that explained the samples, in order of appearance
 * @param layers the layers they explained
 */
public record DatasetEvidence(String metric, String gate, String outcome, Map<String, Double> figures,
        List<SampleResult> values, List<ClassCount> perClass, List<WorstSample> worst, List<String> methods,
        List<String> layers) implements Evidence {

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
        values = List.copyOf(values);
        perClass = List.copyOf(perClass);
        worst = List.copyOf(worst);
        methods = List.copyOf(methods);
        layers = List.copyOf(layers);
    }

    /**
     * One sample's result under the gate.
     *
     * <pre>{@code
     * new SampleResult("images/0003.png", "square", OptionalDouble.of(0.2), false, Optional.empty(),
     *         Optional.of("shapes-clean.pt"));
     * }</pre>
     *
     * @param id the sample's id
     * @param label its class ({@link io.camunit.region.LabeledSample#classLabel()})
     * @param value the metric's value; empty when it cannot be computed
     * @param passed whether the sample meets the gate's per-sample condition
     * @param note why there is no value, or a remark (e.g. the baseline value)
     * @param model the model's name, when known
     */
    public record SampleResult(String id, String label, OptionalDouble value, boolean passed, Optional<String> note,
            Optional<String> model) {

        /** Checks for nulls. */
        public SampleResult {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(note, "note");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * One of the worst samples: its result and its explanation, for the contact sheet.
     *
     * <pre>{@code
     * evidence.worst().get(0).explained().explanation().raw();   // the worst sample's map
     * }</pre>
     *
     * @param explained the sample and its explanation
     * @param result its result
     */
    public record WorstSample(ExplainedSample explained, SampleResult result) {

        /** Checks for nulls. */
        public WorstSample {
            Objects.requireNonNull(explained, "explained");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * The evidence of a gate (or any per-sample check) judged on a tally: every sample's result by the
     * tally's condition, the counts per class, and the kept worst samples with their explanations.
     *
     * <pre>{@code
     * SampleTally<ExplainedSample> tally = gate.tally(12, true);   // filled sample by sample
     * Verdict v = gate.judge(tally);
     * DatasetEvidence e = DatasetEvidence.of(gate.metric(), gate.toString(), v.outcome(), v.figures(), tally,
     *         tally.worst(), s -> Optional.empty(), Optional.of("shapes-clean.pt"), List.of("grad-cam"),
     *         List.of("features.10"));
     * }</pre>
     *
     * @param metric the metric's name
     * @param gate the check as text
     * @param outcome what happened
     * @param figures the check's numbers
     * @param tally every value (kept with {@code keepAll}) and the counts, by the check's per-sample condition
     * @param kept the worst samples with their explanations, worst first
     * @param note a remark per sample; the reason it has no value comes first
     * @param model the model's name when one model explained every sample
     * @param methods the methods that explained the samples
     * @param layers the layers they explained
     * @return the evidence
     */
    public static DatasetEvidence of(String metric, String gate, String outcome, Map<String, Double> figures,
            SampleTally<?> tally, List<SampleTally.Kept<ExplainedSample>> kept,
            Function<SampleValue, Optional<String>> note, Optional<String> model, List<String> methods,
            List<String> layers) {
        Function<SampleValue, SampleResult> result = v -> new SampleResult(v.id(), v.label(),
                v.hasValue() ? OptionalDouble.of(v.value()) : OptionalDouble.empty(), tally.passes(v),
                Optional.ofNullable(v.reason()).or(() -> note.apply(v)), model);
        List<WorstSample> worst = kept.stream().map(k -> {
            SampleResult r = result.apply(k.value());
            return new WorstSample(k.payload(), new SampleResult(r.id(), r.label(), r.value(), r.passed(), r.note(),
                    k.payload().model().or(r::model)));
        }).toList();
        return new DatasetEvidence(metric, gate, outcome, figures, tally.all().stream().map(result).toList(),
                tally.perClass(), worst, methods, layers);
    }

    @Override
    public DatasetEvidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded) {
        List<WorstSample> filled = worst.stream().map(w -> {
            SampleResult r = w.result();
            Optional<String> model = r.model().or(() -> recorded.apply(w.explained().explanation())
                    .flatMap(SampleEvidence::model));
            return new WorstSample(w.explained(), new SampleResult(r.id(), r.label(), r.value(), r.passed(), r.note(),
                    model));
        }).toList();
        return new DatasetEvidence(metric, gate, outcome, figures, values, perClass, filled, methods, layers);
    }

    @Override
    public List<String> models() {
        Set<String> models = new LinkedHashSet<>();
        values.forEach(v -> v.model().ifPresent(models::add));
        worst.forEach(w -> w.result().model().ifPresent(models::add));
        return List.copyOf(models);
    }

    @Override
    public List<Explanation> explanations() {
        return worst.stream().map(w -> w.explained().explanation()).toList();
    }

    /** @return the row of every sample: how many, how many passed, how many have no value */
    public ClassCount all() {
        return perClass.stream().filter(c -> c.label().equals(ClassCount.ALL)).findFirst()
                .orElseThrow(() -> new IllegalStateException("The per-class counts of a gate end with the "
                        + ClassCount.ALL + " row"));
    }
}
