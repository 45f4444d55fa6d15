package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.Fixtures;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.util.List;

import org.junit.jupiter.api.Test;

class ExplainerTest {

    private final TorchScriptModel model = Fixtures.tinyCnn();
    private final Explainer gradCam = Explainer.of(Method.GRAD_CAM, "features.9");

    @Test
    void explanationCarriesWhatWasExplainedAndTheMapsAtEveryResolution() {
        Explanation e = gradCam.explain(model, Fixtures.scene(1), Target.predicted());
        assertThat(e.sampleId()).isEqualTo("sample1-square.png");
        assertThat(e.method()).isEqualTo(Method.GRAD_CAM);
        assertThat(e.layers()).containsExactly("features.9");
        assertThat(e.target()).isEqualTo("predicted class");
        assertThat(e.targetClass()).isEqualTo(1);
        assertThat(e.predictedClass()).isEqualTo(1);
        assertThat(e.targetLabel()).isEqualTo("square");
        assertThat(e.score()).isCloseTo(6.899005889892578, within(1e-4));
        assertThat(e.raw().width()).isEqualTo(64);
        assertThat(e.display().height()).isEqualTo(64);
        assertThat(e.layerMaps()).singleElement().satisfies(m -> assertThat(m.width()).isEqualTo(16));
        assertThat(e.display().min()).isEqualTo(0f);
        assertThat((double) e.display().max()).isCloseTo(1, within(1e-5));
        assertThat(e.isDegenerate()).isFalse();
        assertThat(e.pipeline()).isEqualTo(Explanation.Pipeline.DEFAULT);
    }

    @Test
    void aBatchGivesWhatEachImageGivesAlone() {
        List<InputImage> scenes = List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2));
        List<Target> targets = List.of(Target.predicted(), Target.classIndex(0), Target.classIndex(2));
        List<Explanation> batch = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.4").explain(model, scenes, targets);
        for (int i = 0; i < scenes.size(); i++) {
            Explanation alone = Explainer.of(Method.GRAD_CAM_PLUS_PLUS, "features.4").explain(model, scenes.get(i), targets.get(i));
            assertThat(batch.get(i).sampleId()).isEqualTo(alone.sampleId());
            assertThat(batch.get(i).display().maxAbsDifference(alone.display())).isLessThan(1e-5);
        }
    }

    @Test
    void aScoreFunctionOfTheOutputIsExplainedLikeTheClassItSelects() {
        Explanation byFunction = gradCam.explain(model, Fixtures.scene(0), Target.score("logit of square", row -> row.get(1)));
        Explanation byClass = gradCam.explain(model, Fixtures.scene(0), Target.classIndex(1));
        assertThat(byFunction.targetClass()).isEqualTo(-1);
        assertThat(byFunction.targetLabel()).isEqualTo("logit of square");
        assertThat(byFunction.score()).isCloseTo(-6.5728840827941895, within(1e-4));
        assertThat(byFunction.display().maxAbsDifference(byClass.display())).isLessThan(1e-6);
    }

    @Test
    void targetClassOutOfRangeIsAClearError() {
        assertThatThrownBy(() -> gradCam.explain(model, Fixtures.scene(0), Target.classIndex(7)))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Target class 7 is out of range: model tiny-cnn.pt has 3 classes (0 to 2): [circle, square, triangle].");
    }

    @Test
    void targetCountMustMatchImageCount() {
        assertThatThrownBy(() -> gradCam.explain(model, List.of(Fixtures.scene(0), Fixtures.scene(1)), List.of(Target.predicted())))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Explaining 2 images needs exactly one target per image; got 1 targets.");
    }

    @Test
    void scoreFunctionMustReduceToAScalar() {
        assertThatThrownBy(() -> gradCam.explain(model, Fixtures.scene(0), Target.score("all logits", row -> row)))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Target 'all logits' must reduce one sample's output to a scalar; it returned shape (3)");
    }

    @Test
    void camRefusesAScoreFunction() {
        assertThatThrownBy(() -> Explainer.of(Method.CAM, "features.9")
                        .explain(model, Fixtures.scene(0), Target.score("logit 1", row -> row.get(1))))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("CAM explains a class");
    }

    @Test
    void camAtALayerThatDoesNotFeedTheClassifierIsAClearError() {
        assertThatThrownBy(() -> Explainer.of(Method.CAM, "features.4").explain(model, Fixtures.scene(0), Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("layer 'features.4' of model tiny-cnn.pt has 16 channels, but the classifier weights have 32 inputs");
    }

    @Test
    void unknownLayerIsRefusedBeforeAnyWork() {
        assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, "features.9", "fc").explain(model, Fixtures.scene(0), Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Unknown layer 'fc' in model tiny-cnn.pt: available layers are [features.4, features.9]");
    }

    @Test
    void plainTorchScriptAskedForALayerCamSaysHowToExport() {
        try (TorchScriptModel plain = TorchScriptModel.load(Fixtures.TINY_CNN_PLAIN)) {
            assertThatThrownBy(() -> gradCam.explain(plain, Fixtures.scene(0), Target.predicted()))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("Model tiny-cnn-plain.pt cannot be cut at layer 'features.9'")
                    .hasMessageContaining("Export it CAM-ready");
        }
    }

    @Test
    void anExplainerNeedsAMethodAndALayer() {
        assertThatThrownBy(() -> Explainer.builder().addLayer("features.9").build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("setMethod");
        assertThatThrownBy(() -> Explainer.builder().setMethod(Method.LAYER_CAM).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("needs at least one layer");
    }

    @Test
    void augmentationCommutesWithAHorizontalFlipOfTheImage() {
        Explainer augmented = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.9")
                .optAugmentation(true).build();
        InputImage scene = Fixtures.scene(2);
        Explanation e = augmented.explain(model, scene, Target.classIndex(2));
        Explanation ofMirror = augmented.explain(model, mirrored(scene), Target.classIndex(2));
        // The six augmentations of the mirrored image are those of the image, mirrored.
        assertThat(ofMirror.display().maxAbsDifference(e.display().flippedHorizontally())).isLessThan(1e-5);
        assertThat(e.pipeline()).isEqualTo(Explanation.Pipeline.AUGMENTED);
        assertThat(e.raw()).isEqualTo(e.display());
    }

    @Test
    void augmentationChangesTheMapOfAnAsymmetricModel() {
        Explanation plain = gradCam.explain(model, Fixtures.scene(2), Target.classIndex(2));
        Explanation augmented = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.9")
                .optOptions(MethodOptions.DEFAULTS.with("augment=true")).build()
                .explain(model, Fixtures.scene(2), Target.classIndex(2));
        assertThat(augmented.display().maxAbsDifference(plain.display())).isGreaterThan(1e-3);
        assertThat(augmented.score()).isEqualTo(plain.score());
        assertThat(augmented.layerMaps()).isEqualTo(plain.layerMaps());
    }

    @Test
    void aMethodAtTheInputRefusesALayer() {
        assertThatThrownBy(() -> Explainer.of(Method.OCCLUSION, "features.9"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("occlusion works at the model input and takes no layer; got [features.9]");
    }

    private static InputImage mirrored(InputImage image) {
        java.awt.image.BufferedImage src = image.toBufferedImage();
        java.awt.image.BufferedImage out = new java.awt.image.BufferedImage(src.getWidth(), src.getHeight(),
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                out.setRGB(src.getWidth() - 1 - x, y, src.getRGB(x, y));
            }
        }
        return InputImage.of(image.id() + "-mirrored", out);
    }
}
