package io.camunit.model;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.engine.EngineThreads;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A TorchScript file run by DJL's PyTorch engine: CAM-ready (methods {@code features} and
 * {@code head} plus a {@code camunit.json}, see the TorchScript CAM contract) or plain
 * ({@code forward} only, no layers).
 *
 * <p>A CAM-ready file is checked on load: for every layer, {@code head(features(x))} must equal
 * {@code forward(x)} on a seeded random input.
 *
 * <pre>{@code
 * try (CamModel model = TorchScriptModel.builder()
 *         .setPath(Path.of("fixtures/models/tiny-cnn.pt"))
 *         .optInput(InputSpec.of(64, 64))
 *         .build()) {
 *     model.layers(); // [features.4, features.9]
 * }
 * }</pre>
 */
public final class TorchScriptModel implements CamModel {

    private static final String FEATURES = "features";
    private static final String HEAD = "head";

    /** What this model was loaded from, copied when it was built: {@link #randomised} loads the same. */
    private final Settings settings;
    private final String name;
    private final Model model;
    private final PtSymbolBlock block;
    private final List<String> layers;
    private final Map<String, LayerLayout> layouts;
    private final List<String> classes;
    private final InputSpec input;
    private final Optional<String> classifierWeightsName;
    private final Optional<Task> task;
    private final Map<String, List<Double>> biases;

    private TorchScriptModel(Settings b, Model model, CamReadyMetadata meta, boolean randomised) {
        this.settings = b;
        this.name = b.path.getFileName().toString();
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.layers = meta == null ? List.of() : meta.layers();
        this.layouts = meta == null ? Map.of() : meta.layouts();
        this.classes = b.classes != null ? b.classes : meta == null ? List.of() : meta.classes();
        InputSpec fromFile = meta == null ? null : meta.input().orElse(null);
        InputSpec spec = b.input != null ? b.input : fromFile != null ? fromFile : InputSpec.imageSize();
        if (b.size != null) {
            spec = spec.withSize(b.size.width(), b.size.height());
        }
        if (b.mean != null) {
            spec = spec.withNormalisation(b.mean, b.std);
        }
        this.input = spec;
        this.classifierWeightsName = Optional.ofNullable(b.classifierWeights);
        this.task = meta == null ? Optional.empty() : meta.task();
        // A randomised copy's biases are random too: the file's would make FullGrad silently wrong.
        this.biases = meta == null || randomised ? Map.of() : meta.biases();
    }

    /**
     * Loads a TorchScript file with default options.
     *
     * @param path the {@code .pt} file
     * @return the model
     */
    public static TorchScriptModel load(Path path) {
        return builder().setPath(path).build();
    }

    /** @return a builder; {@link Builder#setPath} is required */
    public static Builder builder() {
        return new Builder();
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
    public Optional<Task> task() {
        return task;
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    /**
     * How the model lays out a layer's output before the file presents it as {@code N x C x h x w}
     * (from {@code camunit.json}; {@link LayerLayout#NCHW} for convolutional layers and for every
     * layer of a file that states no layouts).
     *
     * @param layer one of {@link #layers()}
     * @return the layer's layout
     * @throws CamunitException for an unknown layer
     */
    public LayerLayout layout(String layer) {
        layerIndex(layer);
        return layouts.getOrDefault(layer, LayerLayout.NCHW);
    }

    /** @return the DJL block that runs the TorchScript module, e.g. to read its parameters */
    public PtSymbolBlock block() {
        return block;
    }

    /** @return true when the file is CAM-ready (has layers to cut at) */
    public boolean isCamReady() {
        return !layers.isEmpty();
    }

    @Override
    public NDManager newScope() {
        return model.getNDManager().newSubManager();
    }

    @Override
    public NDArray forward(NDArray batch) {
        NDList out = run("forward", new NDList(batch), false);
        return out.get(0);
    }

    /** {@inheritDoc} Runs {@code forward} outside inference mode (as {@link #head} does). */
    @Override
    public NDArray forwardRecordingGradients(NDArray batch) {
        return run("forward", new NDList(batch), true).get(0);
    }

    @Override
    public NDList features(NDArray batch, String layer) {
        int index = layerIndex(layer);
        NDArray layerIndex = batch.getManager().create((long) index);
        NDList in = new NDList(batch, layerIndex, marker(batch.getManager(), FEATURES));
        // Outside inference mode, so the activations can be marked to require gradients; with
        // frozen parameters nothing is recorded here.
        NDList out = run(FEATURES, in, true);
        layerIndex.close();
        return out;
    }

    @Override
    public NDArray head(NDList acts, String layer) {
        int index = layerIndex(layer);
        NDManager manager = acts.get(0).getManager();
        NDList in = new NDList(acts.size() + 2);
        for (NDArray a : acts) {
            a.setName("acts[]");
            in.add(a);
        }
        NDArray layerIndex = manager.create((long) index);
        in.add(layerIndex);
        in.add(marker(manager, HEAD));
        // isTrain=true leaves autograd on, so a gradient collector records the head.
        NDList out = run(HEAD, in, true);
        layerIndex.close();
        return out.get(0);
    }

    @Override
    public float[][] classifierWeights() {
        Parameter chosen = null;
        for (var pair : block.getDirectParameters()) {
            Parameter p = pair.getValue();
            boolean named = classifierWeightsName.map(p.getName()::equals)
                    .orElse(p.getName().endsWith("weight") && p.getArray().getShape().dimension() == 2);
            if (named) {
                chosen = p;
            }
        }
        if (chosen == null) {
            throw new CamunitException(classifierWeightsName
                    .map(n -> "Model " + name + " has no parameter named '" + n + "'.")
                    .orElse("Model " + name + " has no 2-D weight parameter, so the final linear layer"
                            + " CAM needs cannot be found.")
                    + " CAM needs global average pooling followed by one linear layer; name its weight"
                    + " with optClassifierWeights (CLI: --classifier-weights), or use grad-cam, which"
                    + " gives the same map on such models.");
        }
        NDArray w = chosen.getArray();
        if (w.getShape().dimension() != 2) {
            throw new CamunitException("Model " + name + ": parameter '" + chosen.getName()
                    + "' has shape " + w.getShape() + "; CAM needs the 2-D weight of a linear layer.");
        }
        return toMatrix(w);
    }

    static float[][] toMatrix(NDArray w) {
        int rows = (int) w.getShape().get(0);
        int cols = (int) w.getShape().get(1);
        float[] flat = w.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        return out;
    }

    /**
     * {@inheritDoc} The copy is loaded with this model's own settings (a builder changed after
     * {@code build()} changes nothing here), from the same file, which must still hold the bytes this
     * model was loaded from.
     *
     * @throws CamunitException when the file changed since this model was loaded
     */
    @Override
    public TorchScriptModel randomised(long seed) {
        Digest now = Digest.of(settings.path);
        if (!now.equals(settings.digest)) {
            throw new CamunitException("Model file " + settings.path.toAbsolutePath() + " changed since model " + name
                    + " was loaded from it (" + settings.digest + ", now " + now + "), so a randomised copy would not"
                    + " be a copy of this model. Load the model again, or keep its file unchanged while it is in use.");
        }
        TorchScriptModel copy = load(settings, true);
        Random random = new Random(seed);
        for (var pair : copy.block.getDirectParameters()) {
            NDArray array = pair.getValue().getArray();
            if (array.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
                Randomisation.refill(array, array, random);
            }
        }
        return copy;
    }

    @Override
    public Map<String, List<Double>> biases() {
        return biases;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "TorchScriptModel[" + name + ", layers=" + layers + "]";
    }

    private NDList run(String method, NDList in, boolean recordGradients) {
        try {
            return IValueUtils.forward(block, in, recordGradients);
        } catch (EngineException e) {
            throw new CamunitException("Model " + name + ": running " + method + " failed: "
                    + firstLine(e.getMessage()) + ". Check that the input has the shape the model"
                    + " expects (input spec " + input + ").", e);
        }
    }

    private static NDArray marker(NDManager manager, String method) {
        NDArray m = manager.create(0L);
        m.setName("module_method:" + method);
        return m;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Checks {@code head(features(x, l), l) == forward(x)} for every layer on a seeded input. */
    private void verifyCuts() {
        if (!input.hasSize()) {
            return;
        }
        try (NDManager scope = newScope()) {
            Random random = new Random(20240607L);
            float[] data = new float[2 * 3 * input.height() * input.width()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            NDArray x = scope.create(data, new Shape(2, 3, input.height(), input.width()));
            NDArray output = forward(x);
            task.ifPresent(t -> requireTaskOutput(t, output.getShape(), 2));
            float[] expected = output.toFloatArray();
            for (String layer : layers) {
                NDList acts = features(x, layer);
                String wrongShape = layoutMismatch(layout(layer), acts, 2);
                if (wrongShape != null) {
                    throw new CamunitException("Model " + name + " is not a valid CAM-ready file: at layer '" + layer
                            + "', " + wrongShape + ". Its features and its " + CamReadyMetadata.FILE_NAME
                            + " disagree; re-export it with camunit_export.py.");
                }
                String wrongBias = biases.containsKey(layer) ? biasMismatch(biases.get(layer), acts.get(0).getShape())
                        : null;
                if (wrongBias != null) {
                    throw new CamunitException("Model " + name + ": " + CamReadyMetadata.FILE_NAME + " field '"
                            + CamReadyMetadata.BIASES + "." + layer + "' " + wrongBias + ". Re-export it with"
                            + " camunit_export.py --full-gradient.");
                }
                float[] actual = head(acts, layer).toFloatArray();
                String mismatch = cutMismatch(expected, actual);
                if (mismatch != null) {
                    throw new CamunitException("Model " + name + " is not a valid CAM-ready file: at layer '"
                            + layer + "', " + mismatch + ". Its features/head do not split the model at that"
                            + " layer; re-export it with camunit_export.py.");
                }
            }
        }
    }

    /** @return how a layer's stated bias contradicts its output's shape on the trial input, or null */
    static String biasMismatch(List<Double> bias, Shape shape) {
        if (shape.dimension() != 4) {
            return "is about an output of shape " + shape + "; FullGrad's layers give N x C x h x w feature maps";
        }
        return bias.size() == shape.get(1) ? null
                : "gives " + bias.size() + " values, but the layer's output has " + shape.get(1) + " channels (shape "
                        + shape + "); expected one per channel";
    }

    /**
     * Refuses a file whose output contradicts the task its {@code camunit.json} states, on the
     * seeded trial input of {@code n} images: a detector that returned, say, boxes after
     * non-maximum suppression would be explained for the wrong numbers.
     */
    private void requireTaskOutput(Task t, Shape shape, int n) {
        String problem = taskMismatch(t, shape, n);
        if (problem != null) {
            throw new CamunitException("Model " + name + ": " + CamReadyMetadata.FILE_NAME + " field '" + Task.FIELD
                    + "' says " + t.id() + ", so forward must return " + t.output() + "; on a trial batch of " + n
                    + " images it returned shape " + shape + " (" + problem + "). Re-export it so that forward returns"
                    + " that (camunit_export.py --task " + t.id() + " checks it), or fix the task.");
        }
    }

    /**
     * @return how an output of {@code shape} for {@code n} images contradicts task {@code t}, or null
     *     when it does not
     */
    static String taskMismatch(Task t, Shape shape, int n) {
        if (shape.dimension() == 0 || shape.get(0) != n) {
            return "expected " + n + " rows, one per image";
        }
        return switch (t) {
            case CLASSIFICATION -> shape.dimension() == 2 ? null : "expected rank 2, found rank " + shape.dimension();
            case SEGMENTATION -> shape.dimension() == 4 ? null : "expected rank 4, found rank " + shape.dimension();
            case DETECTION -> shape.dimension() != 3 ? "expected rank 3, found rank " + shape.dimension()
                    : shape.get(2) < 6 ? "the last dimension is " + shape.get(2) + ", expected at least 6 = 4 box"
                            + " coordinates + 1 objectness + at least 1 class logit"
                    : null;
        };
    }

    /**
     * How what {@code features} returns for a batch of {@code n} contradicts a token layout (the
     * grid of element 0, the prefix tokens of element 1), or null when it does not. Other layouts
     * are not checked here: element 0 is checked when a layer method runs.
     */
    static String layoutMismatch(LayerLayout layout, NDList acts, int n) {
        if (layout.kind() != LayerLayout.Kind.TOKENS) {
            return null;
        }
        Shape grid = acts.get(0).getShape();
        if (grid.dimension() != 4 || grid.get(0) != n || grid.get(2) != layout.gridHeight()
                || grid.get(3) != layout.gridWidth()) {
            return "features gives element 0 of shape " + grid + " for " + n + " images where layout " + layout
                    + " says N x C x " + layout.gridHeight() + " x " + layout.gridWidth() + " (tensor order: rows, then columns)";
        }
        if (layout.prefixTokens() == 0) {
            return null;
        }
        Shape expected = new Shape(n, layout.prefixTokens(), grid.get(1));
        if (acts.size() < 2 || !acts.get(1).getShape().equals(expected)) {
            return "features gives " + (acts.size() < 2 ? "no element 1" : "element 1 of shape " + acts.get(1).getShape())
                    + " where layout " + layout + " says the prefix tokens " + expected;
        }
        return null;
    }

    /**
     * How {@code head(features(x))} differs from {@code forward(x)}, or null when it does not beyond
     * {@code 1e-4 * (1 + max |forward|)}. A non-finite output must be the same on both sides: a
     * model that gives NaN for this random input is not refused for its cut (its explanations
     * report the non-finite score).
     */
    static String cutMismatch(float[] expected, float[] actual) {
        if (actual.length != expected.length) {
            return "head(features(x)) gives " + actual.length + " outputs where forward(x) gives " + expected.length;
        }
        double scale = 0;
        for (float v : expected) {
            if (Float.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double tolerance = 1e-4 * (1 + scale);
        double diff = 0;
        for (int i = 0; i < actual.length; i++) {
            float a = actual[i];
            float e = expected[i];
            if (a == e || Float.isNaN(a) && Float.isNaN(e)) {
                continue;
            }
            if (!Float.isFinite(a) || !Float.isFinite(e)) {
                return "head(features(x)) gives " + a + " at output " + i + " where forward(x) gives " + e;
            }
            diff = Math.max(diff, Math.abs(a - e));
        }
        return diff <= tolerance ? null
                : "head(features(x)) differs from forward(x) by up to " + diff + " (tolerance " + tolerance + ", "
                        + actual.length + " outputs)";
    }

    /**
     * A builder's values, copied when the model is built.
     *
     * @param path the file
     * @param digest the file's content when the model was built
     * @param input the input spec replacing the file's, or null
     * @param size the size replacing the file's, or null
     * @param mean the means replacing the file's, or null
     * @param std the deviations replacing the file's, or null
     * @param classes the class names replacing the file's, or null
     * @param classifierWeights the classifier weight's name, or null
     */
    private record Settings(Path path, Digest digest, InputSpec input, ImageSize size, List<Double> mean,
            List<Double> std, List<String> classes, String classifierWeights) {}

    /** A file's SHA-256, to tell that it is still the file a model was loaded from. */
    private record Digest(String hex) {

        static Digest of(Path file) {
            try (java.io.InputStream in = Files.newInputStream(file)) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
                return new Digest(java.util.HexFormat.of().formatHex(sha.digest()));
            } catch (IOException e) {
                throw new CamunitException("Cannot read model file " + file.toAbsolutePath() + ": " + e.getMessage()
                        + ". Check that it exists and is readable.", e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java platform has SHA-256", e);
            }
        }

        @Override
        public String toString() {
            return "SHA-256 " + hex.substring(0, 12) + "...";
        }
    }

    /** Builds a {@link TorchScriptModel}, DJL style: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private Path path;
        private InputSpec input;
        private ImageSize size;
        private List<Double> mean;
        private List<Double> std;
        private List<String> classes;
        private String classifierWeights;

        private Builder() {}

        /**
         * @param path the TorchScript file
         * @return this builder
         */
        public Builder setPath(Path path) {
            this.path = path;
            return this;
        }

        /**
         * @param input the input size and normalisation, replacing what the file states;
         *     {@link #optInputSize} and {@link #optNormalisation} then change single fields of it
         * @return this builder
         */
        public Builder optInput(InputSpec input) {
            this.input = input;
            return this;
        }

        /**
         * @param width the input width, replacing what the file states
         * @param height the input height
         * @return this builder
         */
        public Builder optInputSize(int width, int height) {
            this.size = new ImageSize(width, height);
            return this;
        }

        /**
         * @param mean channel means on the [0, 1] scale, replacing what the file states
         * @param std channel standard deviations
         * @return this builder
         */
        public Builder optNormalisation(List<Double> mean, List<Double> std) {
            this.mean = List.copyOf(mean);
            this.std = List.copyOf(std);
            return this;
        }

        /**
         * @param classes class names by output index, replacing what the file states
         * @return this builder
         */
        public Builder optClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /**
         * @param parameterName the name of the final linear layer's weight for CAM, e.g.
         *     {@code fc.weight}; by default the last 2-D parameter named {@code *weight}
         * @return this builder
         */
        public Builder optClassifierWeights(String parameterName) {
            this.classifierWeights = parameterName;
            return this;
        }

        /**
         * Loads the file; nothing is downloaded. The model keeps a copy of this builder's values:
         * changing the builder afterwards changes nothing already built.
         *
         * @return the model
         * @throws CamunitException when the file is missing, not TorchScript, or an invalid
         *     CAM-ready file
         */
        public TorchScriptModel build() {
            if (path == null) {
                throw new CamunitException("TorchScriptModel.builder() needs setPath(path to a .pt file)");
            }
            if (!Files.isRegularFile(path)) {
                throw new CamunitException("Model file " + path.toAbsolutePath()
                        + " does not exist or is not a file. Check the path (relative paths are"
                        + " resolved against " + Path.of("").toAbsolutePath() + ").");
            }
            return load(new Settings(path, Digest.of(path), input, size, mean, std, classes, classifierWeights), false);
        }
    }

    /** Loads a model from a builder's copied values; a copy to be randomised states no biases. */
    private static TorchScriptModel load(Settings settings, boolean randomised) {
        Path path = settings.path();
        EngineThreads.configure();
        EngineCheck.requireForward();
        Model model = Model.newInstance(path.getFileName().toString(), Device.cpu(), "PyTorch");
        try {
            // trainParam keeps parameters out of inference mode, so the head can be
            // differentiated; they are frozen below so backward stops at the activations.
            model.load(path, null, Map.of("trainParam", "true", "extraFiles", CamReadyMetadata.FILE_NAME));
            PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
            block.freezeParameters(true);
            JniUtils.enableInferenceMode(block);
            CamReadyMetadata meta = metadata(path, model, block);
            TorchScriptModel result = new TorchScriptModel(settings, model, meta, randomised);
            result.verifyCuts();
            return result;
        } catch (IOException | MalformedModelException | EngineException e) {
            model.close();
            throw new CamunitException("Cannot load model " + path + " as TorchScript: "
                    + firstLine(e.getMessage()) + ". Expected a file written by torch.jit.save"
                    + " (torch.jit.script or torch.jit.trace); re-export it, or check that it was"
                    + " copied whole.", e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static CamReadyMetadata metadata(Path path, Model model, PtSymbolBlock block) {
        String json = model.getProperty(CamReadyMetadata.FILE_NAME);
        List<String> methods = Arrays.asList(JniUtils.getMethodNames(block));
        boolean hasMethods = methods.contains(FEATURES) && methods.contains(HEAD);
        boolean hasJson = json != null && !json.isBlank();
        if (!hasJson && !hasMethods) {
            return null;
        }
        String file = path.getFileName().toString();
        if (!hasJson) {
            throw new CamunitException("Model " + file + " has methods features/head but no "
                    + CamReadyMetadata.FILE_NAME + " extra file naming its layers. Save it with"
                    + " torch.jit.save(m, path, _extra_files={'camunit.json': ...}) or use"
                    + " camunit_export.py.");
        }
        if (!hasMethods) {
            throw new CamunitException("Model " + file + " has a " + CamReadyMetadata.FILE_NAME
                    + " but lacks the methods features(x, layer) and head(acts, layer) (found "
                    + methods + "). Export them with @torch.jit.export, or use camunit_export.py.");
        }
        return CamReadyMetadata.parse(json, file);
    }
}
