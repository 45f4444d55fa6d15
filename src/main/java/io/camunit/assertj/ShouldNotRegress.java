package io.camunit.assertj;

import io.camunit.gate.Regression;

import java.util.List;
import java.util.Locale;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of a paired comparison with a {@link io.camunit.gate.Baseline}, e.g.
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

    static ErrorMessageFactory create(String explainedBy, Regression.Result r, int worst) {
        Regression regression = r.regression();
        String tolerance = io.camunit.metric.Decimals.plain(regression.sampleTolerance());
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "%nExpecting %s of %s not to %s by more than"
                + " %s from baseline %s%n  (%s) but", regression.baseline().metric(), explainedBy, regression.worsening(),
                regression.limits(),
                regression.baseline().model(), regression.baseline().origin()));
        if (r.compared() == 0) {
            m.append(String.format(Locale.ROOT, "%n  the baseline has no samples, so nothing was compared; record it"
                    + " again from samples that have values"));
        } else if (!r.drops().isEmpty()) {
            m.append(String.format(Locale.ROOT, "%n  %d of %d samples %s by more than %s or have no value, worst"
                    + " first:", r.drops().size(), r.compared(), regression.worsened(), tolerance));
            r.drops().stream().limit(worst).forEach(p -> m.append(String.format(Locale.ROOT, "%n    %s", p.describe())));
            if (r.drops().size() > worst) {
                m.append(String.format(Locale.ROOT, "%n    ... and %d more", r.drops().size() - worst));
            }
        } else {
            m.append(String.format(Locale.ROOT, "%n  no sample %s by more than %s, yet", regression.worsened(), tolerance));
        }
        if (r.paired() > 0) {
            double delta = r.candidateMean() - r.baselineMean();
            m.append(String.format(Locale.ROOT, "%n  mean over %d paired samples: baseline %.4f, candidate %.4f, delta"
                    + " %+.4f%s", r.paired(), r.baselineMean(), r.candidateMean(), delta, !r.meanDropped() ? ""
                            : regression.meanTolerance() == regression.sampleTolerance() ? " (more than the tolerance)"
                                    : " (more than the mean tolerance "
                                            + io.camunit.metric.Decimals.plain(regression.meanTolerance()) + ")"));
        } else if (r.compared() > 0) {
            m.append(String.format(Locale.ROOT, "%n  no sample has both a baseline and a candidate value, so there is"
                    + " no mean"));
        }
        List<String> notInBaseline = r.notInBaseline();
        if (!notInBaseline.isEmpty()) {
            m.append(String.format(Locale.ROOT, "%n  %d samples are not in the baseline and were not compared: %s",
                    notInBaseline.size(), String.join(", ", notInBaseline.subList(0, Math.min(worst,
                            notInBaseline.size()))) + (notInBaseline.size() > worst ? ", ..." : "")));
        }
        return new ShouldNotRegress(m.toString());
    }
}
