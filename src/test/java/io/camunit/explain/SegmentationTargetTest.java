package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.region.Mask;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.EnumSet;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Segmentation targets on {@link HandBuiltModels#segmenter}, whose logits at a pixel depend on that
 * pixel alone: {@code z_c(p) = V[c] . relu(U x(p) + a) + b[c]}. So the gradient of class c's logits
 * summed over a set of pixels M is, at a pixel of M, that pixel's own gradient, and 0 elsewhere;
 * Grad-CAM's weight of hidden channel k is {@code V[c,k] |M| / (h w)}.
 */
class SegmentationTargetTest {

    private static final int W = 8;
    private static final int H = 6;
    private static final int CLASSES = 3;
    private static final String LAYER = "01SequentialBlock";

    /** The model's input tensor of {@code image}, {@code 3 x H x W}, channel-major. */
    private static float[] input(BlockModel model, InputImage image) {
        return image.toTensor(model.input());
    }

    /** The hidden activations {@code relu(U x(p) + a)}, {@code 4 x H x W}, in double precision. */
    private static double[] hidden(BlockModel model, float[] x) {
        float[][] u = HandBuiltModels.convWeights(model, 0);
        int plane = W * H;
        double[] a = new double[4 * plane];
        for (int k = 0; k < 4; k++) {
            for (int p = 0; p < plane; p++) {
                double v = u[1][k];
                for (int ch = 0; ch < 3; ch++) {
                    v += (double) u[0][k * 3 + ch] * x[ch * plane + p];
                }
                a[k * plane + p] = Math.max(v, 0);
            }
        }
        return a;
    }

    /** The logits {@code CLASSES x H x W} in double precision. */
    private static double[] logits(BlockModel model, double[] a) {
        float[][] v = HandBuiltModels.convWeights(model, 1);
        int plane = W * H;
        double[] z = new double[CLASSES * plane];
        for (int c = 0; c < CLASSES; c++) {
            for (int p = 0; p < plane; p++) {
                double s = v[1][c];
                for (int k = 0; k < 4; k++) {
                    s += v[0][c * 4 + k] * a[k * plane + p];
                }
                z[c * plane + p] = s;
            }
        }
        return z;
    }

    /** The pixels whose highest logit is class c's. */
    private static boolean[] assigned(double[] z, int c) {
        int plane = W * H;
        boolean[] inside = new boolean[plane];
        for (int p = 0; p < plane; p++) {
            int best = 0;
            for (int j = 1; j < CLASSES; j++) {
                if (z[j * plane + p] > z[best * plane + p]) {
                    best = j;
                }
            }
            inside[p] = best == c;
        }
        return inside;
    }

    @Test
    void theScoreIsTheClassLogitsSummedOverThePixelsTheModelAssignsToTheClass() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.noise(W, H, 4);
            double[] z = logits(model, hidden(model, input(model, image)));
            for (int c = 0; c < CLASSES; c++) {
                boolean[] mine = assigned(z, c);
                double expected = 0;
                for (int p = 0; p < mine.length; p++) {
                    expected += mine[p] ? z[c * W * H + p] : 0;
                }
                Explanation e = Explainer.of(Method.GRAD_CAM, LAYER).explain(model, image, Target.segmentation(c));

                assertThat(e.targetClass()).isEqualTo(c);
                assertThat(e.score()).as("class %d", c).isCloseTo(expected, within(1e-5 * (1 + Math.abs(expected))));
            }
        }
    }

    @Test
    void gradCamWeighsEachChannelByItsLogitWeightTimesTheShareOfAssignedPixels() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            assertThat(model.layers()).contains(LAYER);
            InputImage image = HandBuiltModels.noise(W, H, 4);
            double[] a = hidden(model, input(model, image));
            double[] z = logits(model, a);
            float[] v = HandBuiltModels.convWeights(model, 1)[0];
            int c = 1;
            boolean[] mine = assigned(z, c);
            int area = 0;
            for (boolean b : mine) {
                area += b ? 1 : 0;
            }
            assertThat(area).as("pixels of class 1 in this image").isBetween(1, W * H - 1);
            double[] expected = new double[W * H];
            double largest = 0;
            for (int p = 0; p < W * H; p++) {
                double m = 0;
                for (int k = 0; k < 4; k++) {
                    m += v[c * 4 + k] * (double) area / (W * H) * a[k * W * H + p];
                }
                expected[p] = Math.max(m, 0);
                largest = Math.max(largest, expected[p]);
            }

            float[] raw = Explainer.of(Method.GRAD_CAM, LAYER).explain(model, image, Target.segmentation(c)).raw().toArray();

            for (int p = 0; p < W * H; p++) {
                assertThat((double) raw[p]).as("pixel %d", p).isCloseTo(expected[p], within(1e-5 * largest));
            }
        }
    }

    @Test
    void aClassIndexOnASegmentationModelMeansItsSegmentationTarget() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.noise(W, H, 4);
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, LAYER);

            Explanation byIndex = gradCam.explain(model, image, Target.classIndex(2));
            Explanation bySegmentation = gradCam.explain(model, image, Target.segmentation(2));

            assertThat(byIndex.raw()).isEqualTo(bySegmentation.raw());
            assertThat(byIndex.score()).isEqualTo(bySegmentation.score());
        }
    }

    @Test
    void theInputGradientIsZeroOutsideTheGivenPixels() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.noise(W, H, 4);
            boolean[] leftHalf = new boolean[W * H];
            for (int p = 0; p < W * H; p++) {
                leftHalf[p] = p % W < W / 2;
            }
            Explanation e = Explainer.builder().setMethod(Method.GRADIENT).build()
                    .explain(model, image, Target.segmentation(0, Mask.of(W, H, leftHalf)));

            float[] raw = e.raw().toArray();
            for (int p = 0; p < W * H; p++) {
                if (!leftHalf[p]) {
                    assertThat(raw[p]).as("pixel %d, outside the given pixels", p).isZero();
                }
            }
            assertThat(e.raw().max()).isPositive();
        }
    }

    @Test
    void aClassTheModelAssignsNoPixelScoresZeroAndGetsAnEmptyMap() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.uniform(W, H, 0x808080);
            double[] z = logits(model, hidden(model, input(model, image)));
            int absent = -1;
            for (int c = 0; c < CLASSES && absent < 0; c++) {
                boolean any = false;
                for (boolean b : assigned(z, c)) {
                    any |= b;
                }
                absent = any ? -1 : c;
            }
            assertThat(absent).as("a uniform image gives every pixel one class, so two are absent").isNotNegative();

            Explanation e = Explainer.of(Method.GRAD_CAM, LAYER).explain(model, image, Target.segmentation(absent));

            assertThat(e.score()).isZero();
            assertThat(e.raw().max()).isZero();
        }
    }

    @Test
    void perturbedCopiesAreScoredOverThePixelsAssignedOnTheCleanImage() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // Two copies, 2 classes, 1 x 3 pixels. Clean pixels of class 1: the first and the last.
            Mask clean = Mask.of(3, 1, new boolean[] {true, false, true});
            NDArray output = manager.create(new float[] {
                    0, 0, 0, /* class 1 */ 1, 2, 3,
                    9, 9, 9, /* class 1 */ 4, 5, 6}, new Shape(2, 2, 1, 3));
            PerturbedScores scores = new PerturbedScores(null, new Target.Segmentation(1, Optional.of(clean)));

            // The second copy's arg-max is class 0 everywhere; its class-1 logits still count over the clean pixels.
            assertThat(scores.of(output, "copy", -1)).containsExactly(1 + 3, 4 + 6);
        }
    }

    @Test
    void everyLayerMethodThatNeedsNoClassifierWeightsRunsOnASegmentationModel() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.noise(W, H, 4);
            for (Method method : EnumSet.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS, Method.XGRAD_CAM,
                    Method.HIRES_CAM, Method.GRAD_CAM_ELEMENTWISE, Method.LAYER_CAM, Method.EIGEN_CAM,
                    Method.EIGEN_GRAD_CAM, Method.SCORE_CAM, Method.ABLATION_CAM, Method.SMOOTH_GRAD_CAM_PLUS_PLUS)) {
                Explanation e = Explainer.of(method, LAYER).explain(model, image, Target.segmentation(1));

                assertThat(e.targetClass()).as(method.id()).isEqualTo(1);
                assertThat(e.raw().max()).as(method.id()).isPositive();
            }
        }
    }

    @Test
    void everyInputMethodRunsOnASegmentationModel() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            InputImage image = HandBuiltModels.noise(W, H, 4);
            for (Method method : EnumSet.of(Method.GRADIENT, Method.SMOOTH_GRAD, Method.INTEGRATED_GRADIENTS,
                    Method.GUIDED_BACKPROP, Method.OCCLUSION, Method.RISE)) {
                Explanation e = Explainer.builder().setMethod(method)
                        .optOptions(MethodOptions.DEFAULTS.with("samples=4", "steps=8", "masks=200")).build()
                        .explain(model, image, Target.segmentation(1));

                assertThat(e.targetClass()).as(method.id()).isEqualTo(1);
                assertThat(e.raw().max()).as(method.id()).isPositive();
            }
            Explanation guided = Explainer.of(Method.GUIDED_GRAD_CAM, LAYER).explain(model, image, Target.segmentation(1));
            assertThat(guided.raw().max()).isPositive();
        }
    }

    @Test
    void predictedIsRefusedOnASegmentationModelSayingToNameTheClass() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, LAYER)
                    .explain(model, HandBuiltModels.noise(W, H, 4), Target.predicted()))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Model segmenter is a segmentation model (output (1, 3, 6, 8), N x K x H x W): an image"
                            + " has no one predicted class, so 'predicted class' cannot be explained. Name the class:"
                            + " Target.segmentation(c) (on the command line, --target labelled or a class index).");
        }
    }

    @Test
    void givenPixelsOfAnotherSizeAreRefusedNamingBothSizes() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3)) {
            Target wrong = Target.segmentation(0, Mask.empty(6, 8));
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, LAYER)
                    .explain(model, HandBuiltModels.noise(W, H, 4), wrong))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Target 'class 0 over given pixels (0)' gives pixels of 6x8, but model segmenter"
                            + " segments its input into 8x6 (output (1, 3, 6, 8)). Give a mask of the output's size"
                            + " (WIDTHxHEIGHT).");
        }
    }

    @Test
    void classNamesThatDoNotMatchTheOutputsChannelsAreRefused() {
        try (BlockModel model = HandBuiltModels.segmenter(W, H, CLASSES, 3, java.util.List.of("ring", "cross"))) {
            assertThatThrownBy(() -> Explainer.of(Method.GRAD_CAM, LAYER)
                    .explain(model, HandBuiltModels.noise(W, H, 4), Target.segmentation(1)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessage("Model segmenter names 2 classes [ring, cross], but its output (1, 3, 6, 8) has 3 class"
                            + " channels (N x K x H x W), so a class name would point at the wrong channel. Give the"
                            + " model its classes in output order, one per channel, background included (\"classes\""
                            + " in camunit.json, optClasses).");
        }
    }

    @Test
    void aClassifierExplainsTheLabelledClassLogitWhateverTheArgMaxIsAsAMultiLabelModelNeeds() {
        try (BlockModel model = HandBuiltModels.linear(4, 4, 3, 11)) {
            float[] w = HandBuiltModels.weights(model);
            InputImage image = HandBuiltModels.noise(4, 4, 1);
            Explanation predicted = Explainer.builder().setMethod(Method.GRADIENT).build()
                    .explain(model, image, Target.predicted());
            int other = (predicted.predictedClass() + 1) % 3;

            Explanation e = Explainer.builder().setMethod(Method.GRADIENT).build()
                    .explain(model, image, Target.classIndex(other));

            assertThat(e.targetClass()).isEqualTo(other);
            assertThat(e.predictedClass()).isNotEqualTo(other);
            // d S_c / dx = W[c]: the gradient of the named class's logit, not of the arg-max's.
            float[] expected = new float[16];
            for (int p = 0; p < 16; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    expected[p] = Math.max(expected[p], Math.abs(w[other * 48 + ch * 16 + p]));
                }
            }
            assertThat(e.raw().toArray()).containsExactly(expected);
        }
    }

    @Test
    void aSegmentationTargetOnAClassifierIsRefused() {
        try (BlockModel model = HandBuiltModels.linear(4, 4, 3, 11)) {
            assertThatThrownBy(() -> Explainer.builder().setMethod(Method.GRADIENT).build()
                    .explain(model, HandBuiltModels.noise(4, 4, 1), Target.segmentation(0)))
                    .isInstanceOf(CamunitException.class)
                    .hasMessageContaining("needs a segmentation output (N x K x H x W), but model linear returns shape"
                            + " (1, 3)");
        }
    }
}
