package io.camunit.metric;

import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Target;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

/**
 * The model-parameter randomisation check of Adebayo et al. (Sanity Checks for Saliency Maps): the
 * map of the model is compared with the map of a copy whose weights are re-initialised
 * ({@link CamModel#randomised}). A method that explains the model gives a low similarity; one that
 * mostly shows the input's edges gives a high one. Reports the Spearman rank correlation of the
 * raw maps and the SSIM of the display maps. Cost: two explanations and one model load.
 *
 * <pre>{@code
 * RandomisationSimilarity s = RandomisationSimilarity.of(gradCam, model, image, Target.predicted(), 7);
 * s.spearman();   // 0.08: the map depends on the weights
 * }</pre>
 *
 * @param spearman rank correlation of the raw maps, in [-1, 1]
 * @param ssim structural similarity of the display maps, in [-1, 1]
 */
public record RandomisationSimilarity(double spearman, double ssim) {

    /** The metric's name on the command line and in reports. */
    public static final String NAME = "randomisation-spearman";

    /**
     * @param explainer the method and layers
     * @param model the trained model
     * @param image the image
     * @param target what to explain; a predicted target is resolved on the trained model and the
     *     same class is explained on the randomised copy
     * @param seed the seed of the re-initialisation
     * @return both similarities
     */
    public static RandomisationSimilarity of(Explainer explainer, CamModel model, InputImage image, Target target,
            long seed) {
        Explanation trained = explainer.explain(model, image, target);
        Target same = trained.targetClass() >= 0 ? Target.classIndex(trained.targetClass()) : target;
        try (CamModel random = model.randomised(seed)) {
            Explanation randomised = explainer.explain(random, image, same);
            return new RandomisationSimilarity(RankCorrelation.spearman(trained.raw(), randomised.raw()),
                    Ssim.of(trained.display(), randomised.display(), 1));
        }
    }
}
