package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.engine.GradientLock;
import io.camunit.model.CamModel;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.List;

/**
 * What the input-space and black-box methods share: the targets resolved once on the unperturbed
 * batch (so that perturbed copies are scored for the same class), gradients of the target scores
 * with respect to model inputs, and forward-only scores of perturbed inputs in chunks. Every
 * NDArray lives in a sub-manager closed before a method returns.
 */
final class InputPasses {

    /** Perturbed inputs per forward pass when {@link MethodOptions#chunkSize()} is 0. */
    static final int DEFAULT_CHUNK = 16;

    private InputPasses() {}

    /** @return the perturbed inputs per pass the options ask for */
    static int chunk(MethodOptions options) {
        return options.chunkSize().orElse(DEFAULT_CHUNK);
    }

    /**
     * One forward pass without gradients over the unperturbed batch: the classes the perturbed
     * copies are scored for, and the scores and predictions of the explanation.
     */
    static ResolvedTargets clean(CamModel model, NDArray batch, List<Target> targets) {
        try (NDManager sub = batch.getManager().newSubManager()) {
            NDArray x = batch.duplicate();
            x.attach(sub);
            return ResolvedTargets.resolve(model, model.forward(x), targets).withoutTotal();
        }
    }

    /**
     * The gradient of each image's target score with respect to the input, in one forward and
     * one backward pass (under {@link GradientLock}).
     *
     * @param model the model
     * @param inputs {@code count} inputs of {@code 3 x height x width} values, concatenated
     * @param shape the batch shape {@code count x 3 x H x W}
     * @param targets one target per input
     * @param manager the manager the temporary arrays are created under (a sub-manager is closed)
     * @return the gradients (same layout as the inputs) and the targets resolved on these inputs
     */
    static Gradients gradients(CamModel model, float[] inputs, Shape shape, List<Target> targets,
            NDManager manager) {
        return GradientLock.run(() -> {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(inputs, shape);
                x.setRequiresGradient(true);
                ResolvedTargets resolved;
                try (GradientCollector collector = sub.getEngine().newGradientCollector()) {
                    NDArray output = model.forwardRecordingGradients(x);
                    resolved = ResolvedTargets.resolve(model, output, targets);
                    collector.backward(resolved.total());
                } catch (EngineException e) {
                    throw new CamunitException("Model " + model.name() + " cannot be differentiated with respect"
                            + " to its input (" + firstLine(e.getMessage()) + "). Input-gradient methods need"
                            + " a model whose forward pass records gradients; use occlusion or rise, which"
                            + " need forward passes only.", e);
                }
                float[] g = floats(x.getGradient());
                return new Gradients(g, resolved.withoutTotal());
            }
        });
    }

    /** Gradients at the input with the targets resolved on the same pass. */
    record Gradients(float[] values, ResolvedTargets resolved) {}

    /**
     * Scores perturbed copies of one image, forward only, in one pass.
     *
     * @param model the model
     * @param inputs {@code count} inputs of {@code 3 x H x W} values, concatenated
     * @param count how many inputs
     * @param height H
     * @param width W
     * @param scores reads the image's target score (its class fixed on the clean image) from the output
     * @param what what the copies are, for messages, e.g. "occlusion window"
     * @param first the index of the first copy, for messages
     * @param manager the manager the temporary arrays are created under
     * @return one score per input
     * @throws CamunitException when a score is not finite
     */
    static double[] scores(CamModel model, float[] inputs, int count, int height, int width, PerturbedScores scores,
            String what, int first, NDManager manager) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(inputs, new Shape(count, 3, height, width));
            return scores.of(model.forward(x), what, first);
        }
    }

    /** @return how image n's perturbed copies are scored: for its target as fixed on the clean image */
    static PerturbedScores perturbedScores(CamModel model, ResolvedTargets clean, int n) {
        return new PerturbedScores(model, clean.fixed().get(n));
    }

    /** @return the image {@code n} of a batch as {@code 3 x H x W} floats */
    static List<float[]> images(NDArray batch) {
        int n = (int) batch.getShape().get(0);
        float[] all = floats(batch);
        int size = all.length / n;
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] one = new float[size];
            System.arraycopy(all, i * size, one, 0, size);
            out.add(one);
        }
        return out;
    }

    /**
     * The spec's channel reduction of input-space maps: {@code max_c |v[c, p]|} per pixel.
     *
     * @param values {@code 3 x H x W} values of one image, at {@code offset}
     * @param offset where the image starts
     * @param pixels {@code H * W}
     * @return {@code H * W} values
     */
    static float[] maxAbsOverChannels(float[] values, int offset, int pixels) {
        float[] out = new float[pixels];
        for (int p = 0; p < pixels; p++) {
            float m = 0;
            for (int c = 0; c < 3; c++) {
                m = Math.max(m, Math.abs(values[offset + c * pixels + p]));
            }
            out[p] = m;
        }
        return out;
    }

    static float[] floats(NDArray array) {
        return array.getDataType() == DataType.FLOAT32
                ? array.toFloatArray()
                : array.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Checks the batch is {@code N x 3 x H x W}, as every input method assumes. */
    static void requireImages(CamModel model, NDArray batch, Method method) {
        Shape s = batch.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new CamunitException(method.id() + " needs a batch of N x 3 x H x W images; model " + model.name()
                    + " prepared " + s + ". Check the model's input spec (" + model.input() + ").");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
