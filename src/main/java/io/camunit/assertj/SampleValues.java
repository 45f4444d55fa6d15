package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSample;
import io.camunit.region.LabeledSample;
import io.camunit.report.DatasetEvidence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One metric's value for every sample of a data set; a sample whose value cannot be computed
 * (degenerate map, empty region) keeps the reason instead of a value.
 *
 * @param metric the metric's name
 * @param values one entry per sample, in data-set order
 */
public record SampleValues(String metric, List<Entry> values) {

    /** Copies the list. */
    public SampleValues {
        values = List.copyOf(values);
    }

    /**
     * @param sample the explained sample
     * @param value the value, or null when it cannot be computed
     * @param reason why it cannot be computed, or null
     */
    public record Entry(ExplainedSample sample, Double value, String reason) {

        /** @return the sample's class, or {@code (several)} for mixed samples */
        public String label() {
            List<String> labels = sample.sample().labels();
            return labels.size() == 1 ? labels.get(0) : labels.isEmpty() ? "(none)" : "(several)";
        }

        String describe() {
            LabeledSample s = sample.sample();
            return value == null ? s.id() + " (" + label() + "): no value, " + reason
                    : String.format("%s (%s): %.4g", s.id(), label(), value);
        }
    }

    static SampleValues measure(String metric, List<ExplainedSample> samples, Measure measure) {
        List<Entry> out = new ArrayList<>();
        for (ExplainedSample s : samples) {
            try {
                out.add(new Entry(s, measure.apply(s), null));
            } catch (CamunitException e) {
                out.add(new Entry(s, null, e.getMessage()));
            }
        }
        return new SampleValues(metric, out);
    }

    /** A metric of one explained sample. */
    interface Measure {
        double apply(ExplainedSample s);
    }

    /** @return the computable values, in order */
    double[] computable() {
        return values.stream().filter(e -> e.value() != null).mapToDouble(Entry::value).toArray();
    }

    /** @return the entries without a value */
    List<Entry> missing() {
        return values.stream().filter(e -> e.value() == null).toList();
    }

    /** The {@code n} entries that fail {@code passes} worst first: no value first, then lowest (or highest). */
    String worst(Predicate<Entry> passes, boolean lowIsBad, int n) {
        return values.stream().filter(passes.negate()).sorted(worstFirst(lowIsBad)).limit(n).map(Entry::describe)
                .collect(Collectors.joining("\n    ", "    ", ""));
    }

    /** No value first, then the lowest values (or the highest, when high is bad); ties keep data-set order. */
    static Comparator<Entry> worstFirst(boolean lowIsBad) {
        return Comparator.comparing((Entry e) -> e.value() != null)
                .thenComparingDouble(e -> e.value() == null ? 0 : lowIsBad ? e.value() : -e.value());
    }

    /**
     * The evidence of a failed gate over these values.
     *
     * @param gate the gate as text
     * @param outcome what happened
     * @param figures the gate's numbers, in order
     * @param passes the per-sample condition
     * @param order worst first
     * @param note a remark per sample (the reason when there is no value comes first)
     * @return the evidence, without models yet
     */
    DatasetEvidence evidence(String gate, String outcome, Map<String, Double> figures, Predicate<Entry> passes,
            Comparator<Entry> order, Function<Entry, Optional<String>> note) {
        Map<Entry, DatasetEvidence.SampleOutcome> outcomes = new java.util.IdentityHashMap<>();
        for (Entry e : values) {
            outcomes.put(e, new DatasetEvidence.SampleOutcome(e.sample(),
                    e.value() == null ? OptionalDouble.empty() : OptionalDouble.of(e.value()), passes.test(e),
                    Optional.ofNullable(e.reason()).or(() -> note.apply(e)), Optional.empty()));
        }
        return new DatasetEvidence(metric, gate, outcome, figures, values.stream().map(outcomes::get).toList(),
                values.stream().sorted(order).map(outcomes::get).toList());
    }

    /** Pass counts per class, e.g. {@code circle 12/15, square 9/15}. */
    String perClass(Predicate<Entry> passes) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Entry e : values) {
            int[] c = counts.computeIfAbsent(e.label(), k -> new int[2]);
            c[0] += passes.test(e) ? 1 : 0;
            c[1]++;
        }
        return counts.entrySet().stream().map(c -> c.getKey() + " " + c.getValue()[0] + "/" + c.getValue()[1])
                .collect(Collectors.joining(", "));
    }
}
