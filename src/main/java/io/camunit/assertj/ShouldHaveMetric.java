package io.camunit.assertj;

import io.camunit.explain.Explanation;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.Locale;

/**
 * Failure of a metric threshold on one explanation, e.g.
 *
 * <pre>
 * Expecting mass inside box [2, 2, 6, 6] to be at least 0.6 but was 0.012 for
 *   sample 0003.png (grad-cam at features.10 for square, class 1, score 4.71);
 *   the hottest area (map &gt;= 0.5 x max) is box [0, 0, 14, 12], 1.2 % of the mass in the region
 * </pre>
 */
final class ShouldHaveMetric extends BasicErrorMessageFactory {

    private ShouldHaveMetric(String message) {
        // Complete already: AssertJ formats a factory's message only when it has arguments.
        super(message);
    }

    static ErrorMessageFactory atLeast(String metric, Region region, double minimum, double actual, Explanation e,
            Mask mask) {
        return new ShouldHaveMetric(String.format(Locale.ROOT,
                "%nExpecting %s %s to be at least %s but was %.4g for%n  %s;%n  %s",
                metric, region.describe(), minimum, actual, Describe.explanation(e), Describe.whereTheMassWent(e, mask)));
    }

    static ErrorMessageFactory peakInside(Region region, double tolerance, int[] peak, Explanation e, Mask mask) {
        return new ShouldHaveMetric(String.format(Locale.ROOT,
                "%nExpecting the map's peak within %s px of %s but it is at (%d, %d) for%n"
                + "  %s;%n  %s", tolerance, region.describe(), peak[0], peak[1], Describe.explanation(e),
                Describe.whereTheMassWent(e, mask)));
    }

    static ErrorMessageFactory notComputable(String metric, Region region, Explanation e, String why) {
        return new ShouldHaveMetric(String.format(Locale.ROOT, "%nCannot compute %s %s for%n  %s:%n  %s", metric,
                region.describe(), Describe.explanation(e), why));
    }

    static ErrorMessageFactory degenerate(Explanation e) {
        return new ShouldHaveMetric(String.format(Locale.ROOT,
                "%nExpecting a map with positive mass but the map of%n  %s%n  is "
                + "degenerate (%s): the target score does not depend on the explained layer for this image.",
                Describe.explanation(e), e.raw().isFinite() ? "all zero after ReLU" : "NaN or infinite values"));
    }
}
