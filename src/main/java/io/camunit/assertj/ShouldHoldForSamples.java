package io.camunit.assertj;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of a data-set gate: too few samples meet a per-sample condition, or a statistic cannot be
 * computed because samples have no value. For example
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

    static ErrorMessageFactory forAtLeast(String metric, String condition, double fraction, int n, int passed,
            String perClass, String worst) {
        return new ShouldHoldForSamples(String.format("%nExpecting %s %s for at least %.1f %% of %d samples but it held"
                + " for %d (%.1f %%)%n  per class: %s%n  worst samples:%n%s", metric, condition, 100 * fraction, n,
                passed, 100.0 * passed / n, perClass, worst));
    }

    static ErrorMessageFactory withConfidence(String metric, String condition, double fraction, double confidence,
            int n, int passed, double bound, String perClass, String worst) {
        return new ShouldHoldForSamples(String.format("%nExpecting %s %s for at least %.1f %% of samples with %.0f %%"
                + " confidence but it held for %d of %d (%.1f %%), whose Wilson lower bound is %.1f %%%n  per class: %s"
                + "%n  worst samples:%n%s", metric, condition, 100 * fraction, 100 * confidence, passed, n,
                100.0 * passed / n, 100 * bound, perClass, worst));
    }

    static ErrorMessageFactory statisticsOfMissing(String metric, int missing, int n, String worst) {
        return new ShouldHoldForSamples(String.format("%nCannot compute statistics of %s: %d of %d samples have no value:"
                + "%n%s%nGate them with a per-sample condition (isAtLeast(...).forAtLeast(...)), which counts them as"
                + " failures.", metric, missing, n, worst));
    }

    static ErrorMessageFactory emptyDataSet(String metric) {
        return new ShouldHoldForSamples(String.format("Expecting explained samples for a %s gate but the data set is empty",
                metric));
    }
}
