package io.camunit.assertj;

import io.camunit.explain.Explanation;
import io.camunit.metric.IouAtThreshold;
import io.camunit.metric.MassInside;
import io.camunit.region.Box;
import io.camunit.region.Mask;

import java.util.Locale;

/** The words every failure message shares: which explanation, and where its mass actually went. */
final class Describe {

    private Describe() {}

    /** e.g. {@code sample 0003.png (grad-cam at features.10 for square, class 1, score 4.71)} */
    static String explanation(Explanation e) {
        return String.format(Locale.ROOT, "sample %s (%s at %s for %s, class %d, score %.4g)", e.sampleId(),
                e.method().id(),
                String.join("+", e.layers()), e.targetLabel(), e.targetClass(), e.score());
    }

    /** Where the hottest area is, and how much of the mass lies in the region, for failures. */
    static String whereTheMassWent(Explanation e, Mask region) {
        try {
            Box hot = IouAtThreshold.localise(e.raw(), e.imageWidth(), e.imageHeight(), 0.5);
            String share = region.isEmpty() ? "" : String.format(Locale.ROOT, ", %.1f %% of the mass in the region",
                    100 * MassInside.of(e.raw(), region));
            return "the hottest area (map >= 0.5 x max) is " + hot.describe() + share;
        } catch (RuntimeException degenerate) {
            return "the map is degenerate: " + degenerate.getMessage();
        }
    }
}
