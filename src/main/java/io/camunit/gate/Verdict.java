package io.camunit.gate;

import io.camunit.metric.Decimals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A gate's verdict on one set of samples (e.g. one method's explanations of a data set): whether it
 * holds and the figures behind it. Every surface reports these same figures: the command line's
 * stdout and {@code summary.json}, the AssertJ failure message and the evidence JSON.
 *
 * <pre>{@code
 * Verdict v = Gate.parse("peak-inside >= 1 for 80%").judge(values);
 * v.passed();     // false
 * v.summary();    // "3/60 samples (5.0 %), worst: images/0001.png 0.000, ..."
 * v.figures();    // {threshold=1.0, required_fraction=0.8, rate=0.05}
 * }</pre>
 *
 * @param gate the gate
 * @param passed whether the gate holds
 * @param total how many samples
 * @param passing how many samples meet the per-sample condition {@code value OP THRESHOLD}
 * @param missing how many samples have no value
 * @param lowerBound the Wilson lower bound of the pass rate, for a gate with a confidence; else null
 * @param statistic the statistic's value, for a statistic gate that could compute it; else null
 * @param perClass the counts per labelled class in order of first appearance, then {@link ClassCount#ALL}
 * @param worst samples failing the per-sample condition, worst first (no value first, then the
 *     lowest values for {@code >=} and {@code >}, the highest for {@code <=} and {@code <}), as many
 *     as the tally kept
 * @param unit what the samples are, in the plural, for the words of {@link #summary()}: {@value #SAMPLES},
 *     or {@value #OBJECTS} when each item is one labelled object of a detector
 */
public record Verdict(Gate gate, boolean passed, int total, int passing, int missing, Double lowerBound,
        Double statistic, List<ClassCount> perClass, List<SampleValue> worst, String unit) {

    /** The unit of a data set's images (or per-class items). */
    public static final String SAMPLES = "samples";
    /** The unit of a detector's items, one per labelled object. */
    public static final String OBJECTS = "objects";

    /** How many of the worst samples a one-line summary names. */
    public static final int SUMMARY_WORST = 5;

    /** Copies the lists. */
    public Verdict {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(unit, "unit");
        perClass = List.copyOf(perClass);
        worst = List.copyOf(worst);
    }

    /**
     * @param unit what the samples are, e.g. {@value #OBJECTS}
     * @return this verdict, its summary counting {@code unit}: {@code 121/144 objects (84.0 %)}
     */
    public Verdict withUnit(String unit) {
        return new Verdict(gate, passed, total, passing, missing, lowerBound, statistic, perClass, worst, unit);
    }

    /** @return the share of samples meeting the condition, 0 without samples */
    public double rate() {
        return total == 0 ? 0 : (double) passing / total;
    }

    /** @return the classes' counts without the {@link ClassCount#ALL} row, e.g. for {@code circle 12/15, ...} */
    public List<ClassCount> classes() {
        return perClass.stream().filter(c -> !c.label().equals(ClassCount.ALL)).toList();
    }

    /** @return e.g. {@code circle 12/15, square 9/15} */
    public String perClassText() {
        return classes().stream().map(ClassCount::describe).collect(Collectors.joining(", "));
    }

    /**
     * The gate's numbers by name, the same in the command line's {@code summary.json} and the evidence
     * JSON: {@code threshold}; for a sample gate {@code required_fraction}, {@code confidence} and
     * {@code lower_bound} (with a confidence) and {@code rate}; for a statistic gate {@code value}
     * when it could be computed.
     *
     * @return the figures that apply, in that order
     */
    public Map<String, Double> figures() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("threshold", gate.threshold());
        gate.share().ifPresent(share -> {
            f.put("required_fraction", share.fraction());
            share.confidence().ifPresent(c -> f.put("confidence", c));
            if (lowerBound != null) {
                f.put("lower_bound", lowerBound);
            }
            f.put("rate", rate());
        });
        if (statistic != null) {
            f.put("value", statistic);
        }
        return f;
    }

    /**
     * @return the verdict in one line, e.g. {@code 58/60 samples (96.7 %)} or, failing,
     *     {@code 3/60 samples (5.0 %), worst: images/0001.png 0.000, ...}
     */
    public String summary() {
        StringBuilder s = new StringBuilder(outcome());
        if (!passed && !worst.isEmpty()) {
            s.append(", worst: ").append(worst.stream().limit(SUMMARY_WORST).map(SampleValue::describe)
                    .collect(Collectors.joining(", ")));
            if (worst.size() > SUMMARY_WORST) {
                s.append(", ...");
            }
        }
        return s.toString();
    }

    /**
     * @return the figures in words, without the worst samples, e.g. {@code 3/60 samples (5.0 %)},
     *     {@code 38/40 samples (95.0 %), Wilson lower bound 86.0 %} or {@code mean 0.272 over 60 samples}
     */
    public String outcome() {
        StringBuilder s = new StringBuilder();
        if (total == 0) {
            s.append("no ").append(unit).append(", so nothing was checked");
        } else if (gate.isStatistic()) {
            String name = gate.statistic().orElseThrow().toString();
            if (statistic != null) {
                s.append(name).append(' ').append(Decimals.fixed(statistic, 3)).append(" over ").append(total)
                        .append(' ').append(unit);
            } else {
                s.append(missing).append(" of ").append(total).append(' ').append(unit).append(" have no value, so the ")
                        .append(name).append(" is undefined");
            }
        } else {
            s.append(passing).append('/').append(total).append(' ').append(unit).append(" (")
                    .append(Decimals.fixed(100 * rate(), 1))
                    .append(" %)");
            if (lowerBound != null) {
                s.append(", Wilson lower bound ").append(Decimals.fixed(100 * lowerBound, 1)).append(" %");
            }
            if (missing > 0) {
                s.append(", ").append(missing).append(" without a value");
            }
        }
        return s.toString();
    }
}
