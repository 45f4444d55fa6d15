package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020), as pytorch-grad-cam's {@code AblationCAM}: with
 * {@code y} the target score and {@code y_k} the score when channel {@code k} of the layer's
 * activations is replaced by the ablation value {@code v} (only the head after the layer is run
 * again), {@code w[k] = (y - y_k) / y} and the map is {@code sum_k w[k] A[k]}.
 *
 * <p>The ablation value, per image: {@code v = 0} when the smallest activation of the image at the
 * layer (over all channels and positions) is exactly 0, as after a ReLU; otherwise
 * {@code v = min A - 1e7}, a value far below every activation. pytorch-grad-cam states the same
 * rule, but evaluates {@code min A} on its batch of copies while it overwrites them, so after the
 * first ablated channel its minimum already includes {@code -1e7} and the value drifts
 * ({@code min A - 2e7}, ...) through the batch; camunit takes {@code min A} once, from the
 * unablated activations. The two agree whenever {@code min A == 0}.
 *
 * <p>The target is resolved on the unablated activations and that class's logit (or the
 * {@link Target.Score} function) is read for every ablated copy. A target score {@code y} of
 * exactly 0 is an error: the weights divide by it. A negative {@code y} is used as is, so the
 * weights change sign (as in pytorch-grad-cam); explain a class with a positive logit.
 *
 * <p>Option {@code chunk-size}: ablated copies per head pass (default {@value #DEFAULT_CHUNK}, as
 * pytorch-grad-cam's batch size). Cost per image: the batch's one forward pass to the layer and
 * head, then {@code ceil(K / chunk-size)} passes through the head only, {@code K} the number of
 * channels. No gradients.
 */
final class AblationCam implements MapComputation {

    /** Ablated copies per head pass unless {@code chunk-size} says otherwise. */
    static final int DEFAULT_CHUNK = 32;
    /** How far below the smallest activation an ablated channel is set when that minimum is not 0. */
    static final double ABLATION_OFFSET = 1e7;

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        int chunk = options.chunkSize().orElse(DEFAULT_CHUNK);
        NDList acts = model.features(batch, layer);
        NDArray a = acts.get(0);
        Shape shape = a.getShape();
        int n = (int) batch.getShape().get(0);
        LayerCapture.requireMaps(model, layer, shape, n, "Ablation-CAM needs");
        int channels = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        NDArray output = model.head(acts, layer);
        ResolvedTargets resolved = ResolvedTargets.resolve(model, output, targets);
        float[] activations = a.toType(DataType.FLOAT32, false).toFloatArray();
        int size = channels * h * w;
        List<float[]> maps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PerturbedScores scorer = new PerturbedScores(model, resolved.fixed().get(i));
            float[] sample = Arrays.copyOfRange(activations, i * size, (i + 1) * size);
            double[] weights = weights(model, layer, acts, output, i, scorer, targets.get(i), chunk);
            float[] row = new float[channels];
            for (int k = 0; k < channels; k++) {
                row[k] = (float) weights[k];
            }
            maps.add(Method.CAM.map(new LayerActivations(sample, null, row, channels, h, w)));
        }
        return new BatchMaps(layer, w, h, maps, resolved.classes(), resolved.scores(), resolved.predicted(),
                resolved.notes());
    }

    /** {@code (y - y_k) / y} for every channel of sample {@code i}. */
    private static double[] weights(CamModel model, String layer, NDList acts, NDArray output, int i,
            PerturbedScores scorer, Target target, int chunk) {
        NDArray a = acts.get(0);
        int channels = (int) a.getShape().get(1);
        int batchSize = (int) a.getShape().get(0);
        double[] scores = new double[channels];
        double y;
        try (NDManager imageScope = a.getManager().newSubManager()) {
            String own = i + ":" + (i + 1);
            NDArray unablated = output.get(own);
            unablated.attach(imageScope);
            y = scorer.of(unablated, "unablated input", -1)[0];
            if (y == 0) {
                throw new CamunitException("Ablation-CAM divides by the target score, but the score of "
                        + target.description() + " is exactly 0 for the image at batch index " + i
                        + " (layer '" + layer + "' of model " + model.name() + "). Explain a class with a"
                        + " non-zero score, or use grad-cam or score-cam.");
            }
            NDArray sample = a.get(own);
            sample.attach(imageScope);
            double value = ablationValue(sample.min().toType(DataType.FLOAT64, false).getDouble());
            // What else crosses the cut (skip connections): this sample's slice, repeated per copy.
            List<NDArray> extras = new ArrayList<>();
            boolean[] perSample = new boolean[acts.size()];
            for (int e = 1; e < acts.size(); e++) {
                NDArray extra = acts.get(e);
                perSample[e] = extra.getShape().dimension() > 0 && extra.getShape().get(0) == batchSize;
                NDArray mine = perSample[e] ? extra.get(own) : extra;
                if (perSample[e]) {
                    mine.attach(imageScope);
                }
                extras.add(mine);
            }
            for (int start = 0; start < channels; start += chunk) {
                int m = Math.min(chunk, channels - start);
                try (NDManager chunkScope = imageScope.newSubManager()) {
                    float[] oneHot = new float[m * channels];
                    for (int j = 0; j < m; j++) {
                        oneHot[j * channels + start + j] = 1;
                    }
                    NDArray ablatedChannel = chunkScope.create(oneHot, new Shape(m, channels, 1, 1))
                            .toType(a.getDataType(), false);
                    // A * (1 - e_k) + v * e_k: the kept values stay bit-exact.
                    NDArray ablated = ablatedChannel.neg().add(1).mul(sample).add(ablatedChannel.mul(value));
                    NDList in = new NDList(ablated);
                    for (int e = 1; e < acts.size(); e++) {
                        NDArray extra = extras.get(e - 1);
                        if (perSample[e]) {
                            extra = repeated(extra, m);
                            extra.attach(chunkScope);
                        }
                        in.add(extra);
                    }
                    double[] s = scorer.of(model.head(in, layer), "copy with ablated channel", start);
                    System.arraycopy(s, 0, scores, start, m);
                }
            }
        }
        double[] weights = new double[channels];
        for (int k = 0; k < channels; k++) {
            weights[k] = (y - scores[k]) / y;
        }
        return weights;
    }

    /** {@code 0} when the smallest activation is 0, else {@code min - 1e7}. */
    static double ablationValue(double min) {
        return min == 0 ? 0 : min - ABLATION_OFFSET;
    }

    private static NDArray repeated(NDArray one, int m) {
        long[] reps = new long[one.getShape().dimension()];
        Arrays.fill(reps, 1);
        reps[0] = m;
        return one.tile(reps);
    }
}
