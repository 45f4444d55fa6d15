package io.camunit.assertj;

import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of a data-set gate: too few samples meet a per-sample condition, or a statistic cannot be
 * computed because samples have no value, or there are no samples. Numbers are written the same
 * under every default locale. For example
 *
 * <pre>
 * Expecting mass-inside &gt;= 0.5 for at least 90.0 % of 4 samples but it held for 2 (50.0 %)
 *   per class: circle 1/2, square 1/2
 *   worst samples:
 *     b.png (square): 0.1000
 * </pre>
 */
final class ShouldHoldForSamples extends BasicErrorMessageFactory {

    private ShouldHoldForSamples(String message) {
        // Complete already: AssertJ formats a factory's message only when it has arguments.
        super(message);
    }

    /**
     * @param v the verdict of a sample gate without confidence
     * @param worst how many failing samples to list
     * @return the message
     */
    static ErrorMessageFactory forAtLeast(Verdict v, int worst) {
        double fraction = v.gate().share().orElseThrow().fraction();
        return new ShouldHoldForSamples(String.format(Locale.ROOT, "%nExpecting %s %s for at least %.1f %% of %d"
                + " %s but it held for %d (%.1f %%)%n  per class: %s%n  worst %s:%n%s", v.gate().metric(),
                v.gate().condition(), 100 * fraction, v.total(), v.unit(), v.passing(), 100 * v.rate(), v.perClassText(),
                v.unit(), lines(v.worst(), worst)));
    }

    /**
     * @param v the verdict of a sample gate with a confidence
     * @param worst how many failing samples to list
     * @return the message
     */
    static ErrorMessageFactory withConfidence(Verdict v, int worst) {
        var share = v.gate().share().orElseThrow();
        return new ShouldHoldForSamples(String.format(Locale.ROOT, "%nExpecting %s %s for at least %.1f %% of %s"
                + " with %.0f %% confidence but it held for %d of %d (%.1f %%), whose Wilson lower bound is %.1f %%%n"
                + "  per class: %s%n  worst %s:%n%s", v.gate().metric(), v.gate().condition(),
                100 * share.fraction(), v.unit(), 100 * share.confidence().getAsDouble(), v.passing(), v.total(),
                100 * v.rate(), 100 * v.lowerBound(), v.perClassText(), v.unit(), lines(v.worst(), worst)));
    }

    /**
     * @param v the verdict of a statistic gate whose statistic could be computed
     * @param worst how many samples failing the per-sample form of the condition to list
     * @return the message
     */
    static ErrorMessageFactory statistic(Verdict v, int worst) {
        return new ShouldHoldForSamples(String.format(Locale.ROOT, "%nExpecting %s but the %s was %.4g over %d"
                + " %s%n  per class: %s%n  worst %s:%n%s", v.gate(), v.gate().statistic().orElseThrow(),
                v.statistic(), v.total(), v.unit(), v.perClassText(), v.unit(), lines(v.worst(), worst)));
    }

    static ErrorMessageFactory statisticsOfMissing(String metric, int missing, int n, List<SampleValue> worst) {
        return new ShouldHoldForSamples(String.format(Locale.ROOT, "%nCannot compute statistics of %s: %d of %d samples"
                + " have no value:%n%s%nGate them with a per-sample condition (e.g. isAtLeast(0.5, forAtLeast(0.9))),"
                + " which counts them as failures.", metric, missing, n, lines(worst, worst.size())));
    }

    static ErrorMessageFactory emptyDataSet(String metric) {
        return new ShouldHoldForSamples("Expecting explained samples for a " + metric + " gate but the data set is"
                + " empty");
    }

    /** Up to {@code n} samples, one per line, e.g. {@code     b.png (square): 0.1000}. */
    private static String lines(List<SampleValue> samples, int n) {
        return samples.stream().limit(n).map(ShouldHoldForSamples::describe)
                .collect(Collectors.joining("\n    ", "    ", ""));
    }

    static String describe(SampleValue v) {
        return v.hasValue() ? String.format(Locale.ROOT, "%s (%s): %.4g", v.id(), v.label(), v.value())
                : v.id() + " (" + v.label() + "): no value, " + v.reason();
    }
}
