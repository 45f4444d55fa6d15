package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.engine.GradientLock;
import io.camunit.heatmap.Bilinear;
import io.camunit.model.BlockModel;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * Guided Backpropagation (Springenberg et al. 2015) and Guided Grad-CAM (Selvaraju et al. 2017),
 * for DJL block models ({@link BlockModel}) only.
 *
 * <p>Guided backpropagation changes the backward pass of every ReLU: where plain backpropagation
 * passes {@code g * [x > 0]}, the guided rule passes {@code relu(g) * [x > 0]}, so only positive
 * gradients flow back through positive inputs. That rule depends on the sign of the incoming
 * gradient, so no composition of differentiable operations gives it and DJL has no gradient
 * hooks; camunit therefore runs the backward pass itself, step by step: the network's steps (the
 * children of its {@link SequentialBlock}s, nested ones flattened) are run forward keeping each
 * step's input, the gradient of the target scores with respect to the output is taken, and going
 * back, each ReLU step applies the guided rule while every other step passes the gradient on by
 * its own vector-Jacobian product (one small backward pass of that step under a gradient
 * collector). ReLUs are the {@link LambdaBlock}s named {@code ReLU}, as
 * {@code Activation.reluBlock()} builds them; a ReLU hidden inside another kind of block (a
 * residual {@code ParallelBlock}, say) cannot be reached and is an error, as is a network with no
 * ReLU step or any model that is not a block (TorchScript runs as one opaque module).
 *
 * <p>Maps: guided backpropagation is reduced over channels as the vanilla gradient,
 * {@code max_c |.|}; Guided Grad-CAM is that map times the Grad-CAM map at the chosen layer,
 * after ReLU and bilinear upsampling to the input size (the paper's point-wise product; its
 * {@link Explanation#layerMaps()} entry is therefore at the input size, not the layer's). Cost:
 * one forward pass, and one forward and one backward pass per step, for the whole batch; Guided
 * Grad-CAM adds Grad-CAM's forward and backward pass.
 *
 * <pre>{@code
 * Explainer guided = Explainer.builder().setMethod(Method.GUIDED_BACKPROP).build();
 * Explanation e = guided.explain(blockModel, image, Target.predicted());
 * }</pre>
 */
final class GuidedBackprop {

    /** The name {@code Activation.reluBlock()} gives its {@link LambdaBlock}. */
    static final String RELU = "ReLU";

    private GuidedBackprop() {}

    static MapComputation guidedBackprop() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.GUIDED_BACKPROP);
            BlockModel blocks = blockModel(model, Method.GUIDED_BACKPROP, "gradient or smoothgrad, which work");
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            int pixels = height * width;
            InputPasses.Gradients g = guidedGradients(blocks, batch, targets);
            List<float[]> maps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                maps.add(InputPasses.maxAbsOverChannels(g.values(), i * 3 * pixels, pixels));
            }
            ResolvedTargets r = g.resolved();
            return new BatchMaps(BatchMaps.INPUT, width, height, maps, r.classes(), r.scores(), r.predicted(),
                    r.notes());
        };
    }

    static MapComputation guidedGradCam() {
        return (model, batch, layer, targets, options) -> {
            InputPasses.requireImages(model, batch, Method.GUIDED_GRAD_CAM);
            BlockModel blocks = blockModel(model, Method.GUIDED_GRAD_CAM,
                    "grad-cam (at a layer) or gradient and smoothgrad (at the input), which work");
            int n = (int) batch.getShape().get(0);
            int height = (int) batch.getShape().get(2);
            int width = (int) batch.getShape().get(3);
            int pixels = height * width;
            LayerCapture capture = LayerCapture.take(model, batch, layer, targets, true);
            float[] guided = guidedGradients(blocks, batch, capture.fixedTargets()).values();
            List<float[]> maps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] cam = Method.GRAD_CAM.map(capture.sample(i, null));
                for (int p = 0; p < cam.length; p++) {
                    cam[p] = Math.max(cam[p], 0);
                }
                float[] up = Bilinear.resize(cam, capture.width(), capture.height(), width, height);
                float[] map = InputPasses.maxAbsOverChannels(guided, i * 3 * pixels, pixels);
                for (int p = 0; p < pixels; p++) {
                    map[p] *= up[p];
                }
                maps.add(map);
            }
            return new BatchMaps(layer, width, height, maps, capture.targetClasses(), capture.scores(),
                    capture.predicted(), capture.notes());
        };
    }

    private static BlockModel blockModel(CamModel model, Method method, String alternatives) {
        if (model instanceof BlockModel b) {
            return b;
        }
        throw new CamunitException(method.id() + " needs a DJL block model (io.camunit.model.BlockModel) with ReLU"
                + " activations (Activation.reluBlock()), whose backward pass camunit replaces; model "
                + model.name() + " is a " + model.getClass().getSimpleName() + ", run as one opaque module. Use "
                + alternatives + " on any model.");
    }

    /**
     * The guided gradients of the target scores with respect to the input, for the whole batch
     * (under {@link GradientLock}).
     */
    static InputPasses.Gradients guidedGradients(BlockModel model, NDArray batch, List<Target> targets) {
        List<Block> steps = steps(model);
        DataType type = dataType(model.block());
        return GradientLock.run(() -> {
            try (NDManager sub = batch.getManager().newSubManager()) {
                ParameterStore store = new ParameterStore(sub, false);
                NDArray x = batch.duplicate();
                x.attach(sub);
                NDList current = new NDList(x.getDataType() == type ? x : x.toType(type, false));
                List<NDList> inputs = new ArrayList<>(steps.size());
                for (Block step : steps) {
                    inputs.add(current);
                    current = step.forward(store, current, false);
                }
                NDArray output = current.singletonOrThrow().duplicate();
                output.setRequiresGradient(true);
                ResolvedTargets resolved;
                try (GradientCollector collector = sub.getEngine().newGradientCollector()) {
                    resolved = ResolvedTargets.resolve(model, output, targets);
                    collector.backward(resolved.total());
                }
                NDList gradient = new NDList(output.getGradient());
                for (int i = steps.size() - 1; i >= 0; i--) {
                    NDList in = inputs.get(i);
                    gradient = isRelu(steps.get(i))
                            ? new NDList(guidedRelu(in.singletonOrThrow(), gradient.singletonOrThrow()))
                            : vectorJacobianProduct(steps.get(i), store, in, gradient);
                }
                return new InputPasses.Gradients(InputPasses.floats(gradient.singletonOrThrow()),
                        resolved.withoutTotal());
            }
        });
    }

    /** The guided rule: {@code relu(g) * [x > 0]}. */
    static NDArray guidedRelu(NDArray input, NDArray gradient) {
        return gradient.maximum(0).mul(input.gt(0).toType(gradient.getDataType(), false));
    }

    /** {@code g^T d step / d in}: the gradient one step passes back, by autograd on that step alone. */
    private static NDList vectorJacobianProduct(Block step, ParameterStore store, NDList in, NDList gradient) {
        NDList leaves = new NDList(in.size());
        for (NDArray a : in) {
            NDArray leaf = a.duplicate();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
        }
        try (GradientCollector collector = leaves.head().getManager().getEngine().newGradientCollector()) {
            NDList out = step.forward(store, leaves, false);
            NDArray total = null;
            for (int i = 0; i < out.size(); i++) {
                NDArray term = out.get(i).mul(gradient.get(i)).sum();
                total = total == null ? term : total.add(term);
            }
            collector.backward(total);
        }
        NDList out = new NDList(leaves.size());
        for (NDArray leaf : leaves) {
            out.add(leaf.getGradient());
        }
        return out;
    }

    /**
     * The network's steps in order: the children of its sequential blocks, nested ones flattened.
     *
     * @throws CamunitException when a ReLU is out of reach, or there is none
     */
    static List<Block> steps(BlockModel model) {
        List<Block> out = new ArrayList<>();
        collect(model, model.block(), "", out);
        if (out.stream().noneMatch(GuidedBackprop::isRelu)) {
            throw new CamunitException("Model " + model.name() + " has no ReLU step (a LambdaBlock named 'ReLU',"
                    + " as Activation.reluBlock() builds): guided backpropagation changes only ReLUs' backward"
                    + " pass. Use gradient, which it would equal.");
        }
        return out;
    }

    private static void collect(BlockModel model, Block block, String path, List<Block> out) {
        if (block instanceof SequentialBlock seq) {
            for (Pair<String, Block> child : seq.getChildren()) {
                collect(model, child.getValue(), path.isEmpty() ? child.getKey() : path + "." + child.getKey(), out);
            }
            return;
        }
        if (!isRelu(block) && containsRelu(block)) {
            String where = path.isEmpty() ? "its root block" : "block '" + path + "'";
            throw new CamunitException("Model " + model.name() + ": " + where + " ("
                    + block.getClass().getSimpleName() + ") holds a ReLU that guided backpropagation cannot"
                    + " reach: only ReLUs that are steps of SequentialBlocks get the guided backward pass."
                    + " Build the network from SequentialBlocks with Activation.reluBlock() steps, or use"
                    + " gradient or smoothgrad.");
        }
        out.add(block);
    }

    static boolean isRelu(Block block) {
        return block instanceof LambdaBlock lambda && RELU.equals(lambda.getName());
    }

    private static boolean containsRelu(Block block) {
        for (Pair<String, Block> child : block.getChildren()) {
            if (isRelu(child.getValue()) || containsRelu(child.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The type the block computes in: that of its first initialised parameter (float32 if none). */
    private static DataType dataType(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                return p.getValue().getArray().getDataType();
            }
        }
        return DataType.FLOAT32;
    }
}
