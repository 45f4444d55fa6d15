package io.camunit.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import ai.djl.ndarray.NDManager;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Deletion, insertion and confidence change against probabilities computed independently. */
class ModelMetricsTest {

    private final TorchScriptModel model = Fixtures.tinyCnn();
    private final InputImage square = Fixtures.scene(1);

    private double probability(InputImage image, int cls) {
        try (NDManager scope = model.newScope()) {
            return model.forward(model.toBatch(scope, List.of(image))).softmax(1).getFloat(0, cls);
        }
    }

    private static Heatmap ones() {
        float[] v = new float[64 * 64];
        Arrays.fill(v, 1);
        return Heatmap.of(64, 64, v);
    }

    @Test
    void aucIsTheTrapezoidalAreaOverEqualSteps() {
        assertThat(DeletionInsertion.auc(new double[] {1, 0.5, 0})).isCloseTo(0.5, within(1e-12));
        assertThat(DeletionInsertion.auc(new double[] {1, 1})).isCloseTo(1, within(1e-12));
    }

    @Test
    void deletionInOneStepAveragesTheImageAndTheBlackImage() {
        BufferedImage black = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        double expected = (probability(square, 1) + probability(InputImage.of("black", black), 1)) / 2;
        Explanation e = Explainer.of(Method.GRAD_CAM, "features.9").explain(model, square, Target.classIndex(1));
        assertThat(DeletionInsertion.deletion(model, square, e.raw(), 1, 1)).isCloseTo(expected, within(1e-5));
    }

    @Test
    void deletingAlongTheMapHurtsMoreThanDeletingAgainstIt() {
        Explanation e = Explainer.of(Method.GRAD_CAM, "features.9").explain(model, square, Target.classIndex(1));
        float[] inverted = e.raw().toArray();
        float max = e.raw().max();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = max - inverted[i] + 1e-3f;
        }
        double along = DeletionInsertion.deletion(model, square, e.raw(), 1, 16);
        double against = DeletionInsertion.deletion(model, square, Heatmap.of(64, 64, inverted), 1, 16);
        assertThat(along).isLessThan(against);
        double insertion = DeletionInsertion.insertion(model, square, e.raw(), 1, 16);
        assertThat(insertion).isBetween(0.0, 1.0);
    }

    @Test
    void aMapOfOnesChangesNoConfidence() {
        ConfidenceChange c = ConfidenceChange.of(model, square, ones(), 1);
        assertThat(c.original()).isCloseTo(probability(square, 1), within(1e-6));
        assertThat(c.explained()).isCloseTo(c.original(), within(1e-6));
        assertThat(c.drop()).isCloseTo(0, within(1e-5));
        assertThat(c.increase()).isZero();
    }

    @Test
    void dropIsTheRelativeLossAndIncreaseAnIndicator() {
        assertThat(new ConfidenceChange(0.8, 0.6).drop()).isCloseTo(0.25, within(1e-12));
        assertThat(new ConfidenceChange(0.8, 0.6).increase()).isZero();
        assertThat(new ConfidenceChange(0.5, 0.7).drop()).isZero();
        assertThat(new ConfidenceChange(0.5, 0.7).increase()).isEqualTo(1);
    }

    @Test
    void aMapOfTheModelDiffersFromTheMapOfItsRandomisedCopy() {
        RandomisationSimilarity s = RandomisationSimilarity.of(Explainer.of(Method.GRAD_CAM, "features.9"), model, square,
                Target.predicted(), 7);
        assertThat(s.spearman()).isLessThan(0.9);
        assertThat(s.ssim()).isLessThan(0.9);
    }

    @Test
    void theRandomisedCopyHasOtherWeightsAndTheOriginalIsUntouched() {
        float[] before = model.classifierWeights()[0].clone();
        try (TorchScriptModel random = model.randomised(7); TorchScriptModel again = model.randomised(7)) {
            assertThat(random.classifierWeights()[0]).isNotEqualTo(before);
            assertThat(again.classifierWeights()[0]).as("seeded").isEqualTo(random.classifierWeights()[0]);
        }
        assertThat(model.classifierWeights()[0]).isEqualTo(before);
    }

    @Test
    void theSameModelIsPerfectlySimilarToItself() {
        Explanation e = Explainer.of(Method.GRAD_CAM, "features.9").explain(model, square, Target.predicted());
        assertThat(RankCorrelation.spearman(e.raw(), e.raw())).isCloseTo(1, within(1e-12));
        assertThat(Ssim.of(e.display(), e.display(), 1)).isCloseTo(1, within(1e-9));
    }
}
