package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.engine.GradientLock;
import io.camunit.model.CamModel;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;

/**
 * ShapleyCAM (Cai 2025), as pytorch-grad-cam's {@code ShapleyCAM}: the weights are
 * {@code w[k] = mean_ij (G - H A / 2)[k, i, j]}, with {@code G = dS/dA} and {@code H A} the
 * Hessian-vector product of the score with respect to the activations, taken along the activations
 * themselves; the map is {@code sum_k w[k] A[k]}.
 *
 * <p>The second-order term needs a backward pass that records its own graph ({@code create_graph}).
 * DJL's engine-neutral {@link GradientCollector} does not offer it; the PyTorch engine's
 * {@link JniUtils#backward} does, and camunit calls it inside an open collector: one backward pass
 * with the graph kept and recorded, then one backward pass of {@code sum(G * A)} with {@code A} held
 * constant, whose accumulated gradient minus {@code G} is {@code H A}.
 *
 * <p>With a logit target and a head that is piecewise linear in the activations (ReLU, max-pooling,
 * average pooling, linear layers) the Hessian vanishes almost everywhere and ShapleyCAM equals
 * Grad-CAM exactly; the second-order term matters for curved scores, such as a log-probability
 * ({@code Target.score("log p", row -> row.logSoftmax(0).get(c))}), or heads with smooth
 * activations (GELU, SiLU, attention). Cost per image: one forward pass to the layer and two
 * backward passes through the head, under {@link GradientLock}. PyTorch engine only.
 */
final class ShapleyCam implements MapComputation {

    /**
     * The gradient after a second backward pass of {@code sum(G * A')}, {@code A'} the activations held
     * constant: {@code G + H A}. A gradient that recorded no graph does not depend on the activations
     * (the score is linear in them), so {@code H A = 0} and the gradient is returned unchanged.
     */
    private static float[] hessianAlongActivations(NDArray a, NDArray gradient, float[] g) {
        NDArray along = gradient.mul(a.stopGradient()).sum();
        try {
            JniUtils.backward((PtNDArray) along, (PtNDArray) along.onesLike(), false, false);
        } catch (EngineException e) {
            if (String.valueOf(e.getMessage()).contains("does not require grad")) {
                return g;
            }
            throw e;
        }
        return InputPasses.floats(a.getGradient());
    }

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        return GradientLock.run(() -> {
            try (NDManager scope = batch.getManager().newSubManager()) {
                NDArray x = batch.duplicate();
                x.attach(scope);
                NDList acts = model.features(x, layer);
                NDArray a = acts.get(0);
                Shape shape = a.getShape();
                int n = targets.size();
                LayerCapture.requireMaps(model, layer, shape, n, "ShapleyCAM needs");
                if (!(a instanceof PtNDArray pa)) {
                    throw new CamunitException("shapley-cam needs second-order gradients, which camunit takes"
                            + " from the PyTorch engine; model " + model.name() + " runs on "
                            + a.getManager().getEngine().getEngineName() + ". Use grad-cam.");
                }
                a.setRequiresGradient(true);
                ResolvedTargets resolved;
                float[] g;
                float[] withHessian;
                try (GradientCollector collector = a.getManager().getEngine().newGradientCollector()) {
                    resolved = ResolvedTargets.resolve(model, model.head(acts, layer), targets);
                    NDArray total = resolved.total();
                    JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), true, true);
                    NDArray gradient = a.getGradient();
                    g = InputPasses.floats(gradient);
                    withHessian = hessianAlongActivations(a, gradient, g);
                } catch (EngineException e) {
                    throw new CamunitException("Model " + model.name() + " cannot give second-order gradients at"
                            + " layer '" + layer + "' (" + e.getMessage().lines().findFirst().orElse("") + ")."
                            + " Use grad-cam.", e);
                }
                float[] activations = InputPasses.floats(a);
                int k = (int) shape.get(1);
                int h = (int) shape.get(2);
                int w = (int) shape.get(3);
                int size = k * h * w;
                List<float[]> maps = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    float[] ai = new float[size];
                    System.arraycopy(activations, i * size, ai, 0, size);
                    float[] weights = new float[k];
                    for (int c = 0; c < k; c++) {
                        double sum = 0;
                        for (int p = i * size + c * h * w; p < i * size + (c + 1) * h * w; p++) {
                            double hessianTimesA = (double) withHessian[p] - g[p];
                            sum += g[p] - 0.5 * hessianTimesA;
                        }
                        weights[c] = (float) (sum / (h * w));
                    }
                    maps.add(Method.CAM.map(new LayerActivations(ai, null, weights, k, h, w)));
                }
                return new BatchMaps(layer, w, h, maps, resolved.classes(), resolved.scores(), resolved.predicted());
            }
        });
    }
}
