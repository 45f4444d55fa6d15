package io.camunit.gate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Samples' values streamed through a per-sample condition, keeping only what a gate and its evidence
 * need, in memory that does not grow with the data set but for one number per sample: counts
 * overall and per class, the values (for statistics), optionally every sample's value (for the
 * evidence's table), and the {@code keep} worst samples with a payload each (e.g. the explained
 * sample, whose map the evidence draws). Worst first means: no value first, then by the given order;
 * ties keep data-set order.
 *
 * <pre>{@code
 * Gate gate = Gate.parse("mass-inside >= 0.5 for 80%");
 * SampleTally<ExplainedSample> tally = gate.tally(12, false);
 * for (ExplainedSample s : explained) {
 *     tally.add(new SampleValue(s.sample().id(), "circle", massInside(s), null), s);
 * }
 * Verdict v = gate.judge(tally);
 * tally.worst().get(0).payload();   // the worst sample's explanation
 * }</pre>
 *
 * <p>Not thread-safe: fill it from one thread.
 *
 * @param <T> what is kept with each of the worst samples
 */
public final class SampleTally<T> {

    /**
     * One of the worst samples.
     *
     * <pre>{@code
     * tally.worst().get(0).payload();   // what was added with the worst sample
     * }</pre>
     *
     * @param value its value
     * @param passed whether it met the condition
     * @param payload what was added with it
     * @param <T> the payload's type
     */
    public record Kept<T>(SampleValue value, boolean passed, T payload) {}

    /** A sample in order of arrival, for stable ordering. */
    private record Entry<T>(long index, SampleValue value, boolean passed, T payload) {}

    private final Predicate<SampleValue> passes;
    private final Comparator<Entry<T>> worstFirst;
    private final int keep;
    private final List<SampleValue> all;
    private final PriorityQueue<Entry<T>> worst;
    private final Map<String, ClassCount> perClass = new LinkedHashMap<>();
    private double[] values = new double[64];
    private int valueCount;
    private int total;
    private int passing;
    private int missing;

    /**
     * @param passes the per-sample condition; a sample without a value should fail it
     * @param order how values rank from worst to best (samples without a value always come first)
     * @param keep how many of the worst samples to keep with their payload, at least 0
     * @param keepAll whether to keep every sample's value (without payload), for {@link #all()}
     */
    public SampleTally(Predicate<SampleValue> passes, Comparator<SampleValue> order, int keep, boolean keepAll) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be at least 0; got " + keep);
        }
        this.passes = Objects.requireNonNull(passes, "passes");
        Comparator<SampleValue> noValueFirst = Comparator.comparing(SampleValue::hasValue);
        Comparator<Entry<T>> byValue = Comparator.comparing(Entry::value, noValueFirst.thenComparing(order));
        this.worstFirst = byValue.thenComparingLong(Entry::index);
        this.keep = keep;
        this.all = keepAll ? new ArrayList<>() : null;
        // The best of the kept samples on top, so that a worse newcomer replaces it.
        this.worst = new PriorityQueue<>(Math.max(1, keep + 1), worstFirst.reversed());
    }

    /**
     * @param value the next sample's value, in data-set order
     * @param payload kept with it while it is among the {@code keep} worst
     * @return whether the sample met the condition
     */
    public boolean add(SampleValue value, T payload) {
        boolean passed = passes.test(value);
        total++;
        passing += passed ? 1 : 0;
        if (value.hasValue()) {
            if (valueCount == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[valueCount++] = value.value();
        } else {
            missing++;
        }
        perClass.merge(value.label(), new ClassCount(value.label(), 0, 0, 0, 0).plus(passed, value.value()),
                (before, one) -> before.plus(passed, value.value()));
        if (all != null) {
            all.add(value);
        }
        if (keep > 0) {
            Entry<T> entry = new Entry<>(total, value, passed, payload);
            if (worst.size() < keep) {
                worst.add(entry);
            } else if (worstFirst.compare(entry, worst.peek()) < 0) {
                worst.poll();
                worst.add(entry);
            }
        }
        return passed;
    }

    /**
     * @param value a sample's value
     * @return whether it meets this tally's condition
     */
    public boolean passes(SampleValue value) {
        return passes.test(value);
    }

    /** @return how many samples were added */
    public int total() {
        return total;
    }

    /** @return how many met the condition */
    public int passing() {
        return passing;
    }

    /** @return how many have no value */
    public int missing() {
        return missing;
    }

    /** @return the values present, in data-set order */
    public double[] values() {
        return Arrays.copyOf(values, valueCount);
    }

    /** @return per labelled class in order of first appearance, then the {@link ClassCount#ALL} row */
    public List<ClassCount> perClass() {
        List<ClassCount> out = new ArrayList<>(perClass.values());
        double sum = 0;
        for (int i = 0; i < valueCount; i++) {
            sum += values[i];
        }
        out.add(new ClassCount(ClassCount.ALL, total, passing, missing, sum));
        return out;
    }

    /**
     * @return every sample's value in data-set order
     * @throws IllegalStateException when the tally was made without keeping them
     */
    public List<SampleValue> all() {
        if (all == null) {
            throw new IllegalStateException("This tally keeps no per-sample values (keepAll false)");
        }
        return List.copyOf(all);
    }

    /** @return the kept samples, worst first (at most {@code keep}) */
    public List<Kept<T>> worst() {
        List<Entry<T>> sorted = new ArrayList<>(worst);
        sorted.sort(worstFirst);
        return sorted.stream().map(e -> new Kept<>(e.value(), e.passed(), e.payload())).toList();
    }

    /** @return the kept samples that failed the condition, worst first */
    public List<SampleValue> worstFailing() {
        return worst().stream().filter(k -> !k.passed()).map(Kept::value).toList();
    }
}
