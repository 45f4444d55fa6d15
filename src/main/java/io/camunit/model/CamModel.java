package io.camunit.model;

import io.camunit.CamunitException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * A classifier (or any model with a per-sample output) that can be run whole and cut in two
 * halves around a named layer, which is what layer CAMs need: {@code head(features(x, l), l)}
 * equals {@code forward(x)}.
 *
 * <p>Three kinds exist: CAM-ready and plain TorchScript ({@link TorchScriptModel}) and DJL blocks
 * ({@link BlockModel}). Every NDArray a method returns belongs to the manager of its input, so a
 * caller that works inside {@link #newScope()} frees everything when the scope closes.
 *
 * <pre>{@code
 * try (CamModel model = TorchScriptModel.load(Path.of("fixtures/models/tiny-cnn.pt"));
 *      NDManager scope = model.newScope()) {
 *     NDArray x = model.toBatch(scope, List.of(InputImage.read(Path.of("cat.png"))));
 *     NDList acts = model.features(x, "features.9");
 *     NDArray logits = model.head(acts, "features.9");
 * }
 * }</pre>
 */
public interface CamModel extends AutoCloseable {

    /** The largest input batch in bytes: what one buffer can address (its capacity is an int). */
    long MAX_INPUT_BYTES = Integer.MAX_VALUE - 8;

    /** @return a short name for messages and reports, usually the file name */
    String name();

    /** @return the input size and normalisation images are prepared with */
    InputSpec input();

    /** @return the class names by output index, or an empty list when the model has none */
    List<String> classes();

    /**
     * @return what the model's output means, when the model states it (a CAM-ready file's
     *     {@code "task"}, {@link BlockModel.Builder#optTask}); empty otherwise, and then the output's
     *     rank tells: {@code N x K} class scores, {@code N x K x H x W} a segmentation
     */
    default java.util.Optional<Task> task() {
        return java.util.Optional.empty();
    }

    /**
     * @return true when the model states that it is a detector ({@link Task#DETECTION}): a labelled
     *     sample is then explained object by object
     */
    default boolean isDetector() {
        return task().filter(Task::isDetection).isPresent();
    }

    /**
     * The layers FullGrad sums over, each with the bias it adds per output channel (a BatchNorm's
     * folded with its running statistics), as a CAM-ready file exported with
     * {@code camunit_export.py --full-gradient} states them in {@code camunit.json}.
     *
     * <pre>{@code
     * model.biases().keySet();   // [features.0, features.3, features.6, features.8]
     * }</pre>
     *
     * @return the biases by layer, in the model's order; empty when the model states none, and for a
     *     {@link #randomised} copy, whose biases are no longer the ones the file states
     */
    default java.util.Map<String, List<Double>> biases() {
        return java.util.Map.of();
    }

    /**
     * @return the layers the model can be cut at, in order; empty for a model that can only be run
     *     whole (plain TorchScript)
     */
    List<String> layers();

    /**
     * Opens a manager on the model's device for one computation; closing it frees every NDArray
     * created in it, including those returned by this model's methods for inputs it holds.
     *
     * @return a new manager, to be closed by the caller
     */
    NDManager newScope();

    /**
     * Runs the whole model without recording gradients.
     *
     * @param batch images as {@code N x 3 x H x W}
     * @return the output, {@code N x K}
     */
    NDArray forward(NDArray batch);

    /**
     * Runs the whole model so that an open gradient collector records it: the input-gradient
     * methods mark the batch as requiring gradients and differentiate the output with respect to
     * it. Parameters stay frozen. The default is {@link #forward}, for models whose forward pass
     * already records; a model whose forward runs without autograd (inference mode) overrides it.
     *
     * @param batch images as {@code N x 3 x H x W}
     * @return the output, {@code N x K}
     */
    default NDArray forwardRecordingGradients(NDArray batch) {
        return forward(batch);
    }

    /**
     * Runs the model up to and including {@code layer}.
     *
     * @param batch images as {@code N x 3 x H x W}
     * @param layer one of {@link #layers()}
     * @return element 0 is the layer's activation {@code N x C x h x w}; further elements are
     *     what the rest of the network also needs
     * @throws CamunitException for an unknown layer, or a model that cannot be cut
     */
    NDList features(NDArray batch, String layer);

    /**
     * Runs the rest of the model from what {@link #features} returned, recording gradients when a
     * gradient collector is open.
     *
     * @param acts the output of {@code features(batch, layer)}, element 0 possibly replaced
     * @param layer the same layer
     * @return the output, {@code N x K}
     */
    NDArray head(NDList acts, String layer);

    /**
     * The weights of the final linear layer, for CAM: row {@code c} weighs the channels of the last
     * layer before global average pooling for class {@code c}.
     *
     * @return {@code K x C} weights
     * @throws CamunitException when the model has no such layer or it cannot be located
     */
    float[][] classifierWeights();

    /**
     * A copy of this model with every weight re-initialised at random, for the randomisation
     * sanity check (Adebayo et al.): each parameter tensor is replaced by Gaussian noise with the
     * tensor's own mean and standard deviation (seeded). Buffers such as batch-norm statistics
     * are kept. The caller closes the copy.
     *
     * @param seed the random seed
     * @return the randomised copy
     * @throws CamunitException for model kinds that cannot be copied
     */
    default CamModel randomised(long seed) {
        throw new CamunitException("Model " + name() + " (" + getClass().getSimpleName() + ") cannot make a"
                + " randomised copy of itself; load it from a TorchScript file, or build a DJL block with"
                + " BlockModel.builder().setBlockFactory(...), to use the randomisation check.");
    }

    /** Releases the model's native memory. */
    @Override
    void close();

    /**
     * Checks that {@code layer} is one of {@link #layers()}.
     *
     * @param layer a layer name
     * @return its position in {@link #layers()}
     * @throws CamunitException naming the available layers, or saying how to make the model
     *     CAM-ready when it has none
     */
    default int layerIndex(String layer) {
        List<String> layers = layers();
        if (layers.isEmpty()) {
            throw new CamunitException(
                    "Model " + name() + " cannot be cut at layer '" + layer + "': it is a plain"
                            + " TorchScript file with forward() only. Export it CAM-ready (methods"
                            + " features/head and a camunit.json: java -jar camunit.jar export-script > camunit_export.py writes the exporter)"
                            + " or use a method that needs only the input (occlusion, input gradients).");
        }
        int index = layers.indexOf(layer);
        if (index < 0) {
            throw new CamunitException(
                    "Unknown layer '" + layer + "' in model " + name() + ": available layers are "
                            + layers + ". Pass one of them (camunit layers --model " + name()
                            + " lists them).");
        }
        return index;
    }

    /**
     * Prepares images as one batch on {@code scope}: each resized and normalised by
     * {@link #input()}.
     *
     * @param scope the manager that will own the batch
     * @param images at least one image; all of one size when the model has no fixed input size
     * @return {@code N x 3 x H x W} float32
     */
    default NDArray toBatch(NDManager scope, List<InputImage> images) {
        if (images.isEmpty()) {
            throw new CamunitException("A batch needs at least one image; got none");
        }
        InputSpec spec = input();
        int w = spec.hasSize() ? spec.width() : images.get(0).width();
        int h = spec.hasSize() ? spec.height() : images.get(0).height();
        long perImage = 3L * w * h;
        long bytes = images.size() * perImage * Float.BYTES;
        if (bytes > MAX_INPUT_BYTES) {
            // The tensor's memory is filled through one direct buffer, whose capacity is an int.
            long fits = MAX_INPUT_BYTES / (perImage * Float.BYTES);
            throw new CamunitException("A batch of " + images.size() + " image" + (images.size() == 1 ? "" : "s")
                    + " at " + ImageSize.format(w, h) + " needs " + bytes + " bytes of input, more than one tensor buffer"
                    + " can hold (" + MAX_INPUT_BYTES + "). " + (fits >= 1
                            ? "Explain fewer images at a time: camunit evaluate --batch " + fits + " or less, or"
                                    + " Explainer.explainAll(model, samples, batchSize) with a smaller batch size."
                            : "Use a smaller input size (--size, InputSpec)."));
        }
        // The values are written straight into the memory of an uninitialised engine tensor: no
        // Java-side copy of the batch, and the memory is the engine's, freed when the scope closes.
        NDArray batch = scope.create(new Shape(images.size(), 3, h, w), DataType.FLOAT32);
        ByteBuffer memory = batch.toByteBuffer(true);
        if (!memory.isDirect()) {
            // PyTorch on the CPU hands out a new tensor's own memory; a copy would drop every write.
            throw new CamunitException("The engine of model " + name() + " gives a copy of a new tensor's memory"
                    + " rather than the memory itself, so camunit cannot fill the input batch in place. Run the"
                    + " model on the CPU with DJL's PyTorch engine.");
        }
        FloatBuffer data = memory.asFloatBuffer();
        float[] one = new float[(int) perImage];
        for (InputImage image : images) {
            if (!spec.hasSize() && (image.width() != w || image.height() != h)) {
                throw new CamunitException(
                        "Model " + name() + " has no fixed input size, so every image of a batch must"
                                + " have the size of the first (" + ImageSize.format(w, h) + "); image "
                                + image.id() + " is " + ImageSize.format(image.width(), image.height())
                                + ". Set the input size (--size WIDTHxHEIGHT or InputSpec) to resize them.");
            }
            image.writeTensor(spec, one, 0);
            data.put(one);
        }
        return batch;
    }
}
