package io.camunit.assertj;

import java.util.List;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of a paired comparison with a {@link Baseline}, e.g.
 *
 * <pre>
 * Expecting mass-inside of grad-cam at features.10 not to drop by more than 0.05 from baseline shapes-clean@1
 *   (baselines/mass-inside.json) but
 *   1 of 3 samples dropped by more than 0.05, worst first:
 *     b.png: baseline 0.5000, candidate 0.2000, delta -0.3000
 *   mean over 3 paired samples: baseline 0.5000, candidate 0.4000, delta -0.1000
 * </pre>
 */
final class ShouldNotRegress extends BasicErrorMessageFactory {

    private ShouldNotRegress(String message) {
        super(message);
    }

    /** One sample's comparison; {@code candidate} is null when the candidate has no value. */
    record Pair(String id, double baseline, Double candidate, String reason) {
        double delta() {
            return candidate == null ? Double.NEGATIVE_INFINITY : candidate - baseline;
        }

        String describe() {
            return candidate == null
                    ? String.format("%s: baseline %.4f, no candidate value (%s)", id, baseline, reason)
                    : String.format("%s: baseline %.4f, candidate %.4f, delta %+.4f", id, baseline, candidate, delta());
        }
    }

    static ErrorMessageFactory create(String metric, String explainedBy, Baseline baseline, double tolerance,
            double meanTolerance, int compared, List<Pair> drops, double[] means, List<String> notInBaseline,
            int worst) {
        String limits = meanTolerance == tolerance ? String.valueOf(tolerance)
                : tolerance + " per sample or " + meanTolerance + " in the mean";
        StringBuilder m = new StringBuilder(String.format("%nExpecting %s of %s not to drop by more than %s from baseline"
                + " %s%n  (%s) but", metric, explainedBy, limits, baseline.model(), baseline.origin()));
        if (!drops.isEmpty()) {
            m.append(String.format("%n  %d of %d samples dropped by more than %s or have no value, worst first:",
                    drops.size(), compared, tolerance));
            drops.stream().limit(worst).forEach(p -> m.append(String.format("%n    %s", p.describe())));
            if (drops.size() > worst) {
                m.append(String.format("%n    ... and %d more", drops.size() - worst));
            }
        } else {
            m.append(String.format("%n  no sample dropped by more than %s, yet", tolerance));
        }
        if (means[2] > 0) {
            m.append(String.format("%n  mean over %d paired samples: baseline %.4f, candidate %.4f, delta %+.4f%s",
                    (int) means[2], means[0], means[1], means[1] - means[0],
                    means[1] - means[0] < -meanTolerance ? meanTolerance == tolerance ? " (more than the tolerance)"
                            : " (more than the mean tolerance " + meanTolerance + ")" : ""));
        } else {
            m.append(String.format("%n  no sample has both a baseline and a candidate value, so there is no mean"));
        }
        if (!notInBaseline.isEmpty()) {
            m.append(String.format("%n  %d samples are not in the baseline and were not compared: %s",
                    notInBaseline.size(), String.join(", ", notInBaseline.subList(0, Math.min(worst,
                            notInBaseline.size()))) + (notInBaseline.size() > worst ? ", ..." : "")));
        }
        return new ShouldNotRegress(m.toString());
    }
}
