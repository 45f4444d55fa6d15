package io.camunit.model;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.engine.EngineThreads;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A DJL {@link Block} as a {@link CamModel}. Layers are the dotted paths of the block's children
 * as DJL names them (e.g. {@code 01SequentialBlock.03Conv2d}); the model can be cut after any
 * child reached through {@link SequentialBlock}s. The block's parameters are frozen: a model under
 * test is not trained, and backward passes then stop at the activations.
 *
 * <pre>{@code
 * SequentialBlock net = new SequentialBlock()
 *         .add(Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
 *         .add(Activation.reluBlock())
 *         .add(Pool.globalAvgPool2dBlock())
 *         .add(Linear.builder().setUnits(3).build());
 * try (CamModel model = BlockModel.builder().setBlock(net).setInput(InputSpec.of(64, 64)).build()) {
 *     model.layers();   // [01Conv2d, 02LambdaBlock, 03LambdaBlock, 04Linear]
 * }
 * }</pre>
 */
public final class BlockModel implements CamModel {

    private final String name;
    private final Model model;
    private final Block block;
    private final InputSpec input;
    private final List<String> classes;
    private final List<String> layers;
    private final String classifier;
    private final DataType dataType;
    private final java.util.Optional<Task> task;
    /** What built this model, with the block factory if there is one: for {@link #randomised}. */
    private final Builder settings;

    private BlockModel(Builder b, Block block, Model model, DataType dataType) {
        this.settings = b.copy();
        this.name = b.name;
        this.model = model;
        this.block = block;
        this.input = b.input;
        this.classes = b.classes;
        this.classifier = b.classifier;
        this.dataType = dataType;
        this.task = java.util.Optional.ofNullable(b.task);
        List<String> paths = new ArrayList<>();
        if (block instanceof SequentialBlock seq) {
            collectLayers(seq, "", paths);
        }
        this.layers = List.copyOf(paths);
    }

    /** @return a builder; {@link Builder#setBlock} and {@link Builder#setInput} are required */
    public static Builder builder() {
        return new Builder();
    }

    private static void collectLayers(SequentialBlock seq, String prefix, List<String> out) {
        for (Pair<String, Block> child : seq.getChildren()) {
            String path = prefix + child.getKey();
            out.add(path);
            if (child.getValue() instanceof SequentialBlock inner) {
                collectLayers(inner, path + ".", out);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InputSpec input() {
        return input;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public java.util.Optional<Task> task() {
        return task;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    /** @return the wrapped block */
    public Block block() {
        return block;
    }

    @Override
    public NDManager newScope() {
        return model.getNDManager().newSubManager();
    }

    @Override
    public NDArray forward(NDArray batch) {
        return block.forward(store(batch), new NDList(typed(batch)), false).singletonOrThrow();
    }

    @Override
    public NDList features(NDArray batch, String layer) {
        layerIndex(layer);
        return runUntil((SequentialBlock) block, layer.split("\\."), 0, new NDList(typed(batch)), store(batch));
    }

    @Override
    public NDArray head(NDList acts, String layer) {
        layerIndex(layer);
        return runAfter((SequentialBlock) block, layer.split("\\."), 0, acts, store(acts.get(0))).singletonOrThrow();
    }

    @Override
    public float[][] classifierWeights() {
        Block linear = classifier != null ? find(classifier) : lastLinear(block);
        if (linear == null) {
            throw new CamunitException("Model " + name + " has no Linear block, so the final linear layer"
                    + " CAM needs cannot be found. CAM needs global average pooling followed by one"
                    + " Linear block; name it with optClassifier, or use grad-cam.");
        }
        Parameter weight = linear.getParameters().get("weight");
        if (weight == null || weight.getArray().getShape().dimension() != 2) {
            throw new CamunitException("Model " + name + ": block '" + classifier + "' has no 2-D"
                    + " parameter 'weight'; CAM needs a Linear block.");
        }
        return TorchScriptModel.toMatrix(weight.getArray());
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "BlockModel[" + name + ", " + layers.size() + " layers]";
    }

    private NDArray typed(NDArray batch) {
        return batch.getDataType() == dataType ? batch : batch.toType(dataType, false);
    }

    private ParameterStore store(NDArray onManager) {
        return new ParameterStore(onManager.getManager(), false);
    }

    private static NDList runUntil(SequentialBlock seq, String[] path, int depth, NDList x, ParameterStore ps) {
        for (Pair<String, Block> child : seq.getChildren()) {
            if (child.getKey().equals(path[depth])) {
                if (depth == path.length - 1) {
                    return child.getValue().forward(ps, x, false);
                }
                return runUntil((SequentialBlock) child.getValue(), path, depth + 1, x, ps);
            }
            x = child.getValue().forward(ps, x, false);
        }
        throw new IllegalStateException("Layer path " + String.join(".", path) + " vanished");
    }

    private static NDList runAfter(SequentialBlock seq, String[] path, int depth, NDList x, ParameterStore ps) {
        boolean after = false;
        for (Pair<String, Block> child : seq.getChildren()) {
            if (after) {
                x = child.getValue().forward(ps, x, false);
            } else if (child.getKey().equals(path[depth])) {
                after = true;
                if (depth < path.length - 1) {
                    x = runAfter((SequentialBlock) child.getValue(), path, depth + 1, x, ps);
                }
            }
        }
        return x;
    }

    /**
     * {@inheritDoc} Builds a second instance of the network with the factory given to
     * {@link Builder#setBlockFactory} and fills each of its parameters with noise of the
     * trained parameter's mean and standard deviation; batch-norm running statistics are copied.
     *
     * @throws CamunitException when the model was built with {@link Builder#setBlock} (no second
     *     instance can be made), or the factory builds another architecture
     */
    @Override
    public BlockModel randomised(long seed) {
        if (settings.factory == null) {
            throw new CamunitException("Model " + name + " (a DJL block) cannot make a randomised copy of itself:"
                    + " that needs a second instance of its network. Build it with"
                    + " BlockModel.builder().setBlockFactory(() -> <new network>) instead of setBlock(...).");
        }
        Builder copy = settings.copy();
        copy.block = null;
        copy.parameters = null;
        BlockModel random = copy.build();
        try {
            List<Pair<String, Parameter>> trained = block.getParameters().stream().toList();
            List<Pair<String, Parameter>> fresh = random.block.getParameters().stream().toList();
            Random generator = new Random(seed);
            for (int i = 0; i < trained.size(); i++) {
                NDArray from = trained.get(i).getValue().getArray();
                NDArray into = i < fresh.size() ? fresh.get(i).getValue().getArray() : null;
                if (into == null || !trained.get(i).getKey().equals(fresh.get(i).getKey())
                        || !from.getShape().equals(into.getShape()) || from.getDataType() != into.getDataType()) {
                    throw new CamunitException("The block factory of model " + name + " builds another architecture:"
                            + " parameter " + i + " is " + trained.get(i).getKey() + " " + from.getShape() + " "
                            + from.getDataType() + " in the model but " + (into == null ? "missing"
                                    : fresh.get(i).getKey() + " " + into.getShape() + " " + into.getDataType())
                            + " in the new instance. The factory must build the same network every time.");
                }
                Parameter.Type kind = trained.get(i).getValue().getType();
                if (kind == Parameter.Type.RUNNING_MEAN || kind == Parameter.Type.RUNNING_VAR) {
                    // Batch-norm statistics are buffers, kept as trained (as for TorchScript models).
                    from.copyTo(into);
                } else {
                    Randomisation.refill(from, into, generator);
                }
            }
            return random;
        } catch (RuntimeException e) {
            random.close();
            throw e;
        }
    }

    private Block find(String path) {
        Block current = block;
        for (String part : path.split("\\.")) {
            Block next = null;
            for (Pair<String, Block> child : current.getChildren()) {
                if (child.getKey().equals(part)) {
                    next = child.getValue();
                }
            }
            if (next == null) {
                throw new CamunitException("Model " + name + " has no child block '" + path
                        + "' (the classifier given with optClassifier); its layers are " + layers + ".");
            }
            current = next;
        }
        return current;
    }

    private static Block lastLinear(Block b) {
        Block found = b instanceof Linear ? b : null;
        for (Pair<String, Block> child : b.getChildren()) {
            Block inner = lastLinear(child.getValue());
            if (inner != null) {
                found = inner;
            }
        }
        return found;
    }

    /** Builds a {@link BlockModel}. */
    public static final class Builder {
        private Block block;
        private Supplier<Block> factory;
        private InputSpec input;
        private String name = "djl-block";
        private List<String> classes = List.of();
        private String classifier;
        private DataType dataType = DataType.FLOAT32;
        private Path parameters;
        private Task task;

        private Builder() {}

        /**
         * @param block the network; initialised here with the input size if it is not yet
         * @return this builder
         */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /**
         * The network as a factory of new instances, instead of {@link #setBlock}: the model is
         * built from one instance, and {@link BlockModel#randomised} builds another for the
         * randomisation sanity check.
         *
         * <pre>{@code
         * BlockModel.builder().setBlockFactory(() -> ShapesNet.build()).setInput(InputSpec.of(64, 64))
         *         .optParameters(Path.of("shapes.params")).build();
         * }</pre>
         *
         * @param factory builds a new, uninitialised instance of the same architecture on every call
         * @return this builder
         */
        public Builder setBlockFactory(Supplier<Block> factory) {
            this.factory = factory;
            return this;
        }

        /** A copy of these settings, so that a model does not see later changes of its builder. */
        private Builder copy() {
            Builder b = new Builder();
            b.block = block;
            b.factory = factory;
            b.input = input;
            b.name = name;
            b.classes = classes;
            b.classifier = classifier;
            b.dataType = dataType;
            b.parameters = parameters;
            b.task = task;
            return b;
        }

        /**
         * @param input the input size and normalisation; a size is required
         * @return this builder
         */
        public Builder setInput(InputSpec input) {
            this.input = input;
            return this;
        }

        /**
         * @param name a name for messages and reports
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param classes class names by output index
         * @return this builder
         */
        public Builder optClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /**
         * @param layerPath the path of the final {@code Linear} block for CAM; by default the last
         *     Linear block in the network
         * @return this builder
         */
        public Builder optClassifier(String layerPath) {
            this.classifier = layerPath;
            return this;
        }

        /**
         * @param task what the block's output means, e.g. {@link Task#DETECTION} for a detector whose
         *     output is {@code N x M x (4 + 1 + K)} candidate boxes: labelled samples are then explained
         *     object by object; by default none is stated and the output's rank tells
         * @return this builder
         */
        public Builder optTask(Task task) {
            this.task = task;
            return this;
        }

        /**
         * @param dataType the type parameters are initialised with when the block is not yet
         *     initialised (float32 by default; float64 for numerical checks)
         * @return this builder
         */
        public Builder optDataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /**
         * @param file parameters written by {@code Block.saveParameters} for this block's
         *     architecture, loaded after initialisation
         * @return this builder
         */
        public Builder optParameters(Path file) {
            this.parameters = file;
            return this;
        }

        /**
         * @return the model, which keeps a copy of this builder's values (the builder itself is not
         *     changed: building again from a factory makes another instance)
         */
        public BlockModel build() {
            Block block = this.block != null ? this.block : factory != null ? factory.get() : null;
            if (block == null) {
                throw new CamunitException("BlockModel.builder() needs setBlock(a DJL Block) or setBlockFactory(a"
                        + " supplier of new instances)");
            }
            if (input == null || !input.hasSize()) {
                throw new CamunitException("BlockModel " + name + " needs an input size: setInput(InputSpec.of(width, height))");
            }
            EngineThreads.configure();
            EngineCheck.requireForward();
            Model model = Model.newInstance(name, Device.cpu(), "PyTorch");
            try {
                if (!block.isInitialized()) {
                    block.initialize(model.getNDManager(), dataType,
                            new Shape(1, 3, input.height(), input.width()));
                }
                if (parameters != null) {
                    loadParameters(block, model);
                }
                block.freezeParameters(true);
                // An initialised block brings its own type; inputs are converted to it.
                DataType actual = dataType;
                for (Pair<String, Parameter> p : block.getParameters()) {
                    if (p.getValue().isInitialized()) {
                        actual = p.getValue().getArray().getDataType();
                        break;
                    }
                }
                return new BlockModel(this, block, model, actual);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }

        private void loadParameters(Block block, Model model) {
            if (!Files.isRegularFile(parameters)) {
                throw new CamunitException("Parameter file " + parameters.toAbsolutePath() + " of model " + name
                        + " does not exist or is not a file.");
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
                block.loadParameters(model.getNDManager(), in);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new CamunitException("Cannot load parameters " + parameters + " into model " + name + ": "
                        + e.getMessage() + ". The file must be written by Block.saveParameters for the same"
                        + " architecture.", e);
            }
        }
    }
}
