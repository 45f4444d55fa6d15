package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.Fixtures;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Smooth Grad-CAM++ at tiny-cnn's features.4, where the gradient depends on the input (at
 * features.9 it is the constant {@code W_fc / (h*w)}, which noise cannot change).
 */
class SmoothGradCamPlusPlusTest {

    private final TorchScriptModel model = Fixtures.tinyCnn();

    private Explanation explain(InputImage image, Target target, String... options) {
        return Explainer.builder().setMethod(Method.SMOOTH_GRAD_CAM_PLUS_PLUS).addLayer("features.4")
                .optOptions(MethodOptions.DEFAULTS.with(options)).build().explain(model, image, target);
    }

    @Test
    void withVanishingNoiseItIsGradCamPlusPlus() {
        for (int scene = 0; scene < 2; scene++) {
            Explanation plusPlus = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.4")
                    .explain(model, Fixtures.scene(scene), Target.classIndex(2));
            Explanation smooth = explain(Fixtures.scene(scene), Target.classIndex(2), "noise-std=1e-6", "samples=3");
            assertThat(smooth.raw().maxAbsDifference(plusPlus.raw())).as("scene " + scene)
                    .isLessThan(1e-5 * plusPlus.raw().max());
            assertThat(smooth.display().maxAbsDifference(plusPlus.display())).as("scene " + scene).isLessThan(1e-5);
        }
    }

    @Test
    void theDefaultNoiseChangesTheMap() {
        Explanation plusPlus = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.4")
                .explain(model, Fixtures.scene(1), Target.predicted());
        assertThat(explain(Fixtures.scene(1), Target.predicted()).display().maxAbsDifference(plusPlus.display()))
                .isGreaterThan(1e-2);
    }

    @Test
    void theSameSeedGivesTheSameMap() {
        Explanation first = explain(Fixtures.scene(0), Target.predicted(), "seed=11", "samples=2");
        Explanation second = explain(Fixtures.scene(0), Target.predicted(), "seed=11", "samples=2");
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(second.display()).isEqualTo(first.display());
    }

    @Test
    void aDifferentSeedGivesADifferentMap() {
        Explanation first = explain(Fixtures.scene(0), Target.predicted(), "seed=11", "samples=2");
        Explanation other = explain(Fixtures.scene(0), Target.predicted(), "seed=12", "samples=2");
        assertThat(other.display().maxAbsDifference(first.display())).isGreaterThan(1e-3);
    }

    @Test
    void anImagesMapDoesNotDependOnTheBatchItIsIn() {
        List<InputImage> scenes = List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2));
        List<Target> targets = List.of(Target.predicted(), Target.classIndex(0), Target.predicted());
        List<Explanation> batch = Explainer.builder().setMethod(Method.SMOOTH_GRAD_CAM_PLUS_PLUS).addLayer("features.4")
                .optOptions(MethodOptions.DEFAULTS.with("samples=3")).build().explain(model, scenes, targets);
        for (int i = 0; i < scenes.size(); i++) {
            Explanation alone = explain(scenes.get(i), targets.get(i), "samples=3");
            assertThat(batch.get(i).display().maxAbsDifference(alone.display())).as("scene " + i).isLessThan(1e-5);
        }
    }

    @Test
    void thePredictedClassIsResolvedOnTheCleanImage() {
        Explanation predicted = explain(Fixtures.scene(2), Target.predicted(), "samples=2");
        Explanation byClass = explain(Fixtures.scene(2), Target.classIndex(predicted.predictedClass()), "samples=2");
        assertThat(predicted.targetClass()).isEqualTo(predicted.predictedClass());
        assertThat(predicted.display()).isEqualTo(byClass.display());
    }
}
