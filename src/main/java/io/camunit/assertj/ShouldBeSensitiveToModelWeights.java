package io.camunit.assertj;

import java.util.List;
import java.util.Locale;

import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * Failure of the model-parameter randomisation check, e.g.
 *
 * <pre>
 * Expecting grad-cam at features.10 to be sensitive to the model's weights: the mean Spearman rank
 * correlation of its maps with those of the model randomised with seed 7 should be below 0.5 but was
 * 0.8123 over 10 samples; the most similar samples:
 *     images/0004.png: 0.9512
 * </pre>
 */
final class ShouldBeSensitiveToModelWeights extends BasicErrorMessageFactory {

    private ShouldBeSensitiveToModelWeights(String message) {
        super(message);
    }

    static ErrorMessageFactory create(String method, List<String> layers, long seed, double threshold, double mean,
            int n, List<ExplainerAssert.Similarity> mostSimilar) {
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT,
                "%nExpecting %s at %s to be sensitive to the model's weights:"
                + " the mean Spearman rank correlation of its maps with those of the model randomised with seed %d"
                + " should be below %s but was %.4f over %d samples; the most similar samples:", method,
                String.join("+", layers), seed, threshold, mean, n));
        for (ExplainerAssert.Similarity s : mostSimilar) {
            m.append(s.spearman() == null ? String.format(Locale.ROOT, "%n    %s: undefined, %s", s.id(), s.reason())
                    : String.format(Locale.ROOT, "%n    %s: %.4f", s.id(), s.spearman()));
        }
        return new ShouldBeSensitiveToModelWeights(m.toString());
    }
}
