package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Target;
import io.camunit.metric.RandomisationSimilarity;
import io.camunit.metric.RankCorrelation;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on an explanation method itself, independent of any one explanation. The sanity
 * check of Adebayo et al. (Sanity Checks for Saliency Maps, 2018): a method that explains the model
 * gives different maps when the model's weights are randomised; one that mostly shows the image's
 * edges gives nearly the same maps, and no test of where it looks can be trusted.
 *
 * <pre>{@code
 * assertThat(Explainer.of(Method.GRAD_CAM, "features.10")).isSensitiveToModelWeights(model, samples);
 * assertThat(gradCam).isSensitiveToModelWeights(model, samples, 0.3);   // stricter
 * }</pre>
 */
public class ExplainerAssert extends AbstractObjectAssert<ExplainerAssert, Explainer> {

    /**
     * The seed of the randomised copy ({@link CamModel#randomised}): fixed so that the check is
     * reproducible run to run.
     */
    public static final long RANDOMISATION_SEED = 7;

    /**
     * The mean Spearman rank correlation between trained and randomised maps must stay below this.
     * 0.5 leaves room for the input's own structure (any map of an image correlates a little with
     * another map of it) while catching methods whose maps barely change.
     */
    public static final double SENSITIVITY_THRESHOLD = 0.5;

    /** How many of the most similar samples a failure lists. */
    static final int MOST_SIMILAR = 5;

    /** @param actual the explainer under test */
    public ExplainerAssert(Explainer actual) {
        super(actual, ExplainerAssert.class);
        withRepresentation(CamRepresentation.INSTANCE);
    }

    /**
     * Passes when the mean Spearman rank correlation of each sample's map with its map under the
     * model randomised with {@link #RANDOMISATION_SEED} is below {@link #SENSITIVITY_THRESHOLD}.
     *
     * @param model the trained model (TorchScript, so that it can be randomised)
     * @param samples labelled samples, explained for their labelled class
     * @return this assertion
     */
    public ExplainerAssert isSensitiveToModelWeights(CamModel model, List<LabeledSample> samples) {
        return isSensitiveToModelWeights(model, samples, SENSITIVITY_THRESHOLD);
    }

    /**
     * @param model the trained model
     * @param samples labelled samples, at least one
     * @param threshold the mean rank correlation must be below it, in [-1, 1]
     * @return this assertion
     */
    public ExplainerAssert isSensitiveToModelWeights(CamModel model, List<LabeledSample> samples, double threshold) {
        isNotNull();
        if (samples.isEmpty()) {
            throw new CamunitException("The randomisation check needs at least one sample.");
        }
        List<Similarity> similarities = similarities(actual, model, samples, RANDOMISATION_SEED);
        double mean = similarities.stream().filter(s -> s.spearman() != null).mapToDouble(Similarity::spearman)
                .average().orElse(Double.NaN);
        if (!(mean < threshold)) {
            List<Similarity> worst = new ArrayList<>(similarities);
            // Undefined first (they cannot vouch for the method), then the most similar.
            worst.sort(Comparator.comparing((Similarity s) -> s.spearman() != null)
                    .thenComparing(s -> s.spearman() == null ? 0 : -s.spearman()));
            throwAssertionError(ShouldBeSensitiveToModelWeights.create(actual.method().id(), actual.layers(),
                    RANDOMISATION_SEED, threshold, mean, similarities.size(), worst.subList(0,
                            Math.min(MOST_SIMILAR, worst.size()))));
        }
        return myself;
    }

    /** One sample's rank correlation, or null with the reason when it is undefined. */
    record Similarity(String id, Double spearman, String reason) {}

    /**
     * The same comparison as {@link RandomisationSimilarity#of} (the trained model's class explained
     * on the randomised copy, Spearman of the raw maps), but with one randomised copy for all
     * samples: loading a copy per sample would dominate the cost.
     */
    static List<Similarity> similarities(Explainer explainer, CamModel model, List<LabeledSample> samples, long seed) {
        List<Similarity> out = new ArrayList<>();
        try (CamModel random = model.randomised(seed)) {
            for (LabeledSample s : samples) {
                InputImage image = s.image();
                Explanation trained = explainer.explain(model, image, Explainer.labelledClass(model, s));
                Explanation randomised = explainer.explain(random, image, Target.classIndex(trained.targetClass()));
                try {
                    double rho = RankCorrelation.spearman(trained.raw(), randomised.raw());
                    out.add(Double.isFinite(rho) ? new Similarity(s.id(), rho, null)
                            : new Similarity(s.id(), null, "undefined for a constant map"));
                } catch (CamunitException e) {
                    out.add(new Similarity(s.id(), null, e.getMessage()));
                }
            }
        }
        return out;
    }
}
