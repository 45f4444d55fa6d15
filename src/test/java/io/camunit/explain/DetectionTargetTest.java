package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.engine.GradientLock;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.region.Box;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The box target on hand-written candidates (matching, IoU, probability, gradient) and on
 * {@link HandBuiltDetector}, whose candidate m is quadrant m predicted as a known class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DetectionTargetTest {

    private final BlockModel detector = HandBuiltDetector.small();
    private final InputImage image = HandBuiltModels.noise(16, 16, 3);

    @AfterAll
    void close() {
        detector.close();
    }

    /** One candidate: box, objectness, class logits. */
    private static float[] candidate(float x1, float y1, float x2, float y2, float objectness, float... classes) {
        float[] c = new float[5 + classes.length];
        c[0] = x1;
        c[1] = y1;
        c[2] = x2;
        c[3] = y2;
        c[4] = objectness;
        System.arraycopy(classes, 0, c, 5, classes.length);
        return c;
    }

    private static float[] concat(float[]... candidates) {
        int d = candidates[0].length;
        float[] out = new float[candidates.length * d];
        for (int i = 0; i < candidates.length; i++) {
            System.arraycopy(candidates[i], 0, out, i * d, d);
        }
        return out;
    }

    private static final Target.Detection TEN_BY_TEN_CLASS_1 = Target.box(Box.coco(0, 0, 10, 10), 1);
    private static final float LN3 = (float) Math.log(3);

    @Test
    void theMatchIsTheCandidateOfTheClassWithTheLargestIouAndScoresIouPlusObjectnessTimesClassProbability() {
        float[] values = concat(
                candidate(0, 0, 10, 5, 0, 0, LN3),      // class 1, IoU 0.5
                candidate(0, 0, 10, 10, 0, LN3, 0),     // class 0: IoU 1 but another class
                candidate(0, 0, 10, 9, 0, 0, LN3));     // class 1, IoU 0.9

        DetectionScore.Match m = DetectionScore.match(values, new Shape(1, 3, 7), 0, TEN_BY_TEN_CLASS_1);

        assertThat(m.candidate()).isEqualTo(2);
        assertThat(m.iou()).isCloseTo(0.9, within(1e-12));
        // sigmoid(0) = 1/2, softmax([0, ln 3])[1] = 3/4
        assertThat(m.probability()).isCloseTo(0.375, within(1e-7));
        assertThat(m.score()).isCloseTo(1.275, within(1e-7));
        assertThat(m.note(TEN_BY_TEN_CLASS_1)).isEqualTo("candidate 2 of 3 matched: IoU 0.9000, probability 0.3750");
    }

    @Test
    void iouHasNoPlusOneAndClampsTheIntersectionAtZero() {
        Target.Detection t = Target.box(Box.coco(1, 1, 2, 2), 0);

        assertThat(DetectionScore.iou(0, 0, 2, 2, t)).isCloseTo(1.0 / 7, within(1e-15));
        assertThat(DetectionScore.iou(5, 5, 9, 9, t)).isZero();
        assertThat(DetectionScore.iou(3, 3, 1, 1, t)).as("a box with x2 < x1").isZero();
    }

    @Test
    void equalIousGoToTheLowerCandidateAndEqualClassLogitsToTheLowerClass() {
        float[] values = concat(
                candidate(0, 0, 10, 8, 0, 0, 0),      // logits tie: class 0, not 1
                candidate(0, 0, 10, 8, 0, 0, 1),      // class 1, IoU 0.8
                candidate(0, 0, 8, 10, 2, 0, 1));     // class 1, IoU 0.8 too

        DetectionScore.Match m = DetectionScore.match(values, new Shape(1, 3, 7), 0, TEN_BY_TEN_CLASS_1);

        assertThat(m.candidate()).isEqualTo(1);
        assertThat(DetectionScore.predictedClass(values, 0, 7)).isZero();
    }

    @Test
    void noCandidateAboveTheThresholdScoresZeroAndSaysWhy() {
        float[] values = concat(candidate(0, 0, 10, 4, 0, 0, 1), candidate(0, 0, 10, 10, 0, 1, 0));

        DetectionScore.Match m = DetectionScore.match(values, new Shape(1, 2, 7), 0, TEN_BY_TEN_CLASS_1);

        assertThat(m.matched()).isFalse();
        assertThat(m.score()).isZero();
        assertThat(m.note(TEN_BY_TEN_CLASS_1)).isEqualTo("no candidate matched: none of the 2 candidates is predicted"
                + " as class 1 with IoU >= 0.5 (best IoU of a class-1 candidate: 0.4000), score 0");
        assertThat(DetectionScore.match(values, new Shape(1, 2, 7), 0, TEN_BY_TEN_CLASS_1.withIouThreshold(0.4))
                .candidate()).isZero();
    }

    @Test
    void theScoreIsDifferentiableThroughThePredictedBoxAndTheObjectness() {
        // Candidate (0, 0, 9, 10) against (0, 0, 10, 10): IoU = 90 / 100 and the union does not change
        // with x2, so dIoU/dx2 = 10 / 100; d/d objectness = sigmoid'(0) * softmax = 1/4 * 3/4.
        GradientLock.run(() -> {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                NDArray output = manager.create(candidate(0, 0, 9, 10, 0, 0, LN3), new Shape(1, 1, 7));
                output.setRequiresGradient(true);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray score = DetectionScore.differentiable(output, 0, 0, TEN_BY_TEN_CLASS_1);
                    assertThat(score.getFloat()).isCloseTo(1.275f, within(1e-6f));
                    collector.backward(score);
                }
                float[] g = output.getGradient().toFloatArray();
                assertThat(g[2]).as("d/dx2").isCloseTo(0.1f, within(1e-6f));
                assertThat(g[4]).as("d/d objectness").isCloseTo(0.1875f, within(1e-6f));
            }
            return null;
        });
    }

    @Test
    void theExplainedScoreIsThatOfTheMatchedCandidateOfTheModelsOutput() {
        // Quadrant 3 (bottom right) predicts class 1; quadrant 1 does too, but does not overlap.
        Target.Detection t = Target.box(Box.coco(8, 8, 8, 8), 1);
        float[] out;
        try (NDManager scope = detector.newScope()) {
            out = detector.forward(detector.toBatch(scope, List.of(image))).toFloatArray();
        }
        int d = 8;
        int base = 3 * d;
        double iou = DetectionScore.iou(out[base], out[base + 1], out[base + 2], out[base + 3], t);
        double e0 = Math.exp(out[base + 5]);
        double e1 = Math.exp(out[base + 6]);
        double e2 = Math.exp(out[base + 7]);
        double expected = iou + e1 / (e0 + e1 + e2) / (1 + Math.exp(-out[base + 4]));

        Explanation e = Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER).explain(detector, image, t);

        assertThat(iou).as("the quadrant's box, moved a little").isBetween(0.9, 1.0);
        assertThat(e.score()).isCloseTo(expected, within(1e-6 * expected));
        assertThat(e.targetClass()).isEqualTo(1);
        assertThat(e.target()).startsWith("class 1 in box [x1=8, y1=8, x2=16, y2=16]; candidate 3 of 4 matched: IoU 0.9");
        assertThat(e.match()).hasValueSatisfying(m -> assertThat(m).startsWith("candidate 3 of 4 matched: IoU 0.9"));
    }

    @Test
    void theGradientReachesTheLayerOnlyWhereTheMatchedCandidateLooks() {
        // Candidate 3 pools the bottom-right quadrant alone, so Layer-CAM (ReLU of gradient times activation,
        // pixel by pixel) is zero elsewhere.
        Explanation e = Explainer.of(Method.LAYER_CAM, HandBuiltDetector.LAYER)
                .explain(detector, image, Target.box(Box.coco(8, 8, 8, 8), 1));

        var map = e.layerMaps().get(0);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                if (x < 8 || y < 8) {
                    assertThat(map.get(x, y)).as("(%d, %d)", x, y).isZero();
                }
            }
        }
        assertThat(map.max()).isPositive();
    }

    @Test
    void withoutAMatchTheMapIsEmptyTheScoreZeroAndTheTargetSaysSoWithoutNaN() {
        // Class 2 is predicted only in the bottom-left quadrant.
        Explanation e = Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER)
                .explain(detector, image, Target.box(Box.coco(8, 0, 8, 8), 2));

        assertThat(e.score()).isZero();
        assertThat(e.isDegenerate()).isTrue();
        assertThat(e.display().isFinite()).isTrue();
        assertThat(e.target()).contains("; no candidate matched: none of the 4 candidates is predicted as class 2"
                + " with IoU >= 0.5 (best IoU of a class-2 candidate: 0.0000), score 0");
    }

    @Test
    void eigenCamExplainsADetectorForABoxTargetWithTheSameScoreAsGradCam() {
        Target.Detection t = Target.box(Box.coco(0, 0, 8, 8), 0);

        Explanation eigen = Explainer.of(Method.EIGEN_CAM, HandBuiltDetector.LAYER).explain(detector, image, t);
        Explanation grad = Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER).explain(detector, image, t);

        assertThat(eigen.isDegenerate()).isFalse();
        assertThat(eigen.score()).isEqualTo(grad.score());
        assertThat(eigen.target()).contains("candidate 0 of 4 matched");
    }

    @Test
    void perturbedCopiesAreMatchedAgainSoScoreCamRunsOnADetector() {
        Explanation e = Explainer.of(Method.SCORE_CAM, HandBuiltDetector.LAYER)
                .explain(detector, image, Target.box(Box.coco(0, 0, 8, 8), 0));

        assertThat(e.raw().isFinite()).isTrue();
        assertThat(e.target()).contains("candidate 0 of 4 matched");
    }

    @Test
    void aDetectorWithoutCandidatesScoresZeroAndSaysItReturnedNone() {
        try (BlockModel none = HandBuiltDetector.of(16, 16, 3, new int[] {0, 1, 2, 1}, 0.05, 1, 0, List.of())) {
            Explanation e = Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER)
                    .explain(none, image, Target.box(Box.coco(0, 0, 8, 8), 0));

            assertThat(e.score()).isZero();
            assertThat(e.isDegenerate()).isTrue();
            assertThat(e.target()).endsWith("no candidate matched: the model returned no candidate boxes (M = 0), score 0");
        }
    }

    @Test
    void boxesWithinZeroAndOneAreRefusedWithTheConventionOfInputPixels() {
        try (BlockModel normalised = HandBuiltDetector.of(16, 16, 3, new int[] {0, 1, 2, 1}, 0, 1.0 / 16, 4,
                List.of())) {
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER)
                    .explain(normalised, image, Target.box(Box.coco(0, 0, 8, 8), 0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("all 4 candidate boxes of image 0 lie within [0, 1], but the detector"
                            + " convention is x1, y1, x2, y2 in pixels of the model's input")
                    .hasMessageContaining("multiply them by the input width and height");
        }
    }

    @Test
    void aBoxTargetOnAClassifierIsRefusedNamingTheDetectorConvention() {
        try (BlockModel classifier = HandBuiltModels.linear(4, 4, 3, 1)) {
            assertThatThrownBy(() -> Explainer.of(Method.GRADIENT).explain(classifier,
                    HandBuiltModels.noise(4, 4, 1), Target.box(Box.coco(0, 0, 2, 2), 0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("A box target (Target.box) needs a detector's output N x M x (4 + 1 + K)")
                    .hasMessageContaining("model linear returns shape (1, 3)");
        }
    }

    @Test
    void aClassTargetOnADetectorIsRefusedNamingTheBoxTarget() {
        assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER)
                .explain(detector, image, Target.predicted()))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Model quadrant-detector is a detector (output (1, 4, 8)")
                .hasMessageContaining("Target.box(box, class)");
    }

    @Test
    void aClassOutsideTheDetectorsClassesIsRefused() {
        assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, HandBuiltDetector.LAYER)
                .explain(detector, image, Target.box(Box.coco(0, 0, 8, 8), 3)))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Target class 3 is out of range: model quadrant-detector has 3 classes");
    }

    @Test
    void augmentationIsRefusedForBoxTargetsSinceFlippingMovesTheObjects() {
        Explainer augmented = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer(HandBuiltDetector.LAYER)
                .optAugmentation(true).build();

        assertThatThrownBy(() -> augmented.explain(detector, image, Target.box(Box.coco(0, 0, 8, 8), 0)))
                .isInstanceOf(CamunitException.class)
                .hasMessage("grad-cam with test-time augmentation (augment=true) flips the image, which moves its"
                        + " objects away from the labelled boxes a box target (Target.box) is matched with. Explain"
                        + " detectors without augmentation.");
    }

    @Test
    void theIouThresholdIsInZeroToOne() {
        assertThatThrownBy(() -> TEN_BY_TEN_CLASS_1.withIouThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("An IoU threshold is in (0, 1]; got 0.0");
        assertThat(TEN_BY_TEN_CLASS_1.withIouThreshold(0.7).description())
                .isEqualTo("class 1 in box [x1=0, y1=0, x2=10, y2=10] at IoU >= 0.7000");
    }
}
