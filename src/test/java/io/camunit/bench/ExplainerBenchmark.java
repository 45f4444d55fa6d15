package io.camunit.bench;

import io.camunit.CamunitException;
import io.camunit.cli.Main;
import io.camunit.explain.Explainer;
import io.camunit.explain.ExplanationCache;
import io.camunit.explain.Explanation;
import io.camunit.engine.ConvolutionKernels;
import io.camunit.engine.EngineCheck;
import io.camunit.engine.GradientLock;
import io.camunit.engine.KernelSelection;
import io.camunit.explain.Method;
import io.camunit.explain.MethodOptions;
import io.camunit.explain.Target;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleValue;
import io.camunit.metric.DegenerateMapException;
import io.camunit.metric.EmptyRegionException;
import io.camunit.metric.NoisyLinearImputation;
import io.camunit.metric.Road;
import io.camunit.explain.SeededNoise;
import io.camunit.metric.SampleMetric;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Benchmark (not a test) of the explainers: what camunit adds on top of the engine work a method
 * needs. Every time is a median over interleaved rounds after warm-up ({@link Rounds}); ratios are
 * medians of per-round ratios. Sections (all by default, or {@code --only a,b}):
 *
 * <ul>
 *   <li>{@code gradcam}: Grad-CAM per image vs. a bare DJL forward + backward of the same cut model
 *       (features, head, backward of the predicted scores to the layer), at 1, 8 and 32 images per call;
 *   <li>{@code threads}: Grad-CAM with 1 and with 2 PyTorch intra-op threads, alternating;
 *   <li>{@code methods}: six gradient methods of one batch, one explainer each and all in one
 *       {@link Explainer#explainEach}, vs. Grad-CAM alone;
 *   <li>{@code scorecam}: Score-CAM vs. its floor (one forward, then channels / chunk forwards of
 *       chunk-size batches), with a chunk-size sweep;
 *   <li>{@code gate}: a data-set gate over 1,000 samples x 3 methods, end to end: {@code camunit
 *       evaluate} in process, and per-sample explanations (as {@code @LabeledSamples} tests make
 *       them) for three gated metrics, with and without the explanation cache;
 *   <li>{@code memory}: heap after GC and process RSS after 100 and after 10,000 explanations;
 *   <li>{@code input}: input preparation (resize, scale, normalise into the batch tensor) by
 *       camunit's Java code vs. the same steps as PyTorch operations, at 64 x 64 and 224 x 224;
 *   <li>{@code transformer}: Grad-CAM vs. the bare forward + backward on ViT-B/16 at 224 x 224
 *       (at the input of the last block's attention, tokens:1:14x14), batches of 1 and 8, and the
 *       memory a batch of 8 takes (peak RSS over the RSS before);
 *   <li>{@code road}: ROAD per image ({@code road}: 18 imputations and 19 forward passes;
 *       {@code road-morf-80}: one and two), and the imputations alone, on shapes-clean at 64 x 64 and,
 *       when exported, ResNet-18 at 224 x 224 (only this section runs without the exported models).
 * </ul>
 *
 * <p>Needs {@code target/bench/resnet18.pt} (ResNet-18 at 224 x 224, random weights, CAM-ready),
 * {@code target/bench/vit/vit_b_16.pt} (ViT-B/16 likewise) and {@code target/bench/shapes/train}
 * (1,000 generated scenes), which {@code mvn -B -Pbench test} writes before it runs this class; see
 * the README's Performance section.
 *
 * <pre>
 * mvn -B -Pbench test                                   # everything, table in target/bench/explainer.txt
 * mvn -B -Pbench test -Dbench.args="--quick --only gradcam"
 * </pre>
 */
public final class ExplainerBenchmark {

    private static final Path TEST_SET = Path.of("fixtures/shapes/test/coco.json");
    private static final Path GATE_SET = Path.of("target/bench/shapes/train/coco.json");
    private static final List<Method> SIX_GRADIENT_METHODS = List.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS,
            Method.XGRAD_CAM, Method.HIRES_CAM, Method.GRAD_CAM_ELEMENTWISE, Method.LAYER_CAM);
    private static final List<Method> GATE_METHODS = List.of(Method.GRAD_CAM, Method.GRAD_CAM_PLUS_PLUS,
            Method.LAYER_CAM);

    /** A model of the benchmark and the layer it is explained at. */
    private record Bench(String name, Path file, String layer) {}

    private static final List<Bench> ALL_MODELS = List.of(
            new Bench("tiny-cnn", Path.of("fixtures/models/tiny-cnn.pt"), "features.9"),
            new Bench("shapes-clean", Path.of("fixtures/models/shapes-clean.pt"), "features.10"),
            new Bench("shapes-resnet", Path.of("fixtures/models/shapes-resnet.pt"), "layer3"),
            new Bench("resnet18-224", Path.of("target/bench/resnet18.pt"), "layer4"));
    private static final Bench VIT = new Bench("vit_b_16-224", Path.of("target/bench/vit/vit_b_16.pt"),
            "encoder.layers.encoder_layer_11.ln_1");

    private final boolean quick;
    /** The models of the Grad-CAM section ({@code --models} narrows them). */
    private final List<Bench> models;
    private final StringBuilder report = new StringBuilder();
    private final List<InputImage> images;

    private ExplainerBenchmark(boolean quick, List<Bench> models) {
        this.quick = quick;
        this.models = models;
        this.images = LabeledDataset.open(TEST_SET).samples().subList(0, 32).stream().map(LabeledSample::image)
                .toList();
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = Path.of("target/bench/explainer.txt");
        String label = "";
        List<String> names = ALL_MODELS.stream().map(Bench::name).toList();
        Set<String> only = new LinkedHashSet<>(List.of("gradcam", "threads", "methods", "scorecam", "gate", "memory",
                "input", "kernels", "transformer", "road"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--label" -> label = args[++i];
                case "--only" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--models" -> names = Arrays.asList(args[++i].split(","));
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]
                        + "; known: --quick, --out FILE, --label TEXT, --only gradcam,threads,methods,scorecam,gate,memory,input,kernels,transformer,road,"
                        + " --models tiny-cnn,shapes-clean,shapes-resnet,resnet18-224");
            }
        }
        List<Bench> needed = new ArrayList<>(ALL_MODELS);
        if (only.contains("transformer")) {
            needed.add(VIT);
        }
        boolean roadOnly = only.equals(Set.of("road"));
        for (Bench b : needed) {
            if (!Files.isRegularFile(b.file()) && !roadOnly) {
                throw new IllegalStateException(b.file() + " is missing: run the benchmark with mvn -B -Pbench test,"
                        + " which exports it first.");
            }
        }
        List<String> chosen = names;
        // The first model load starts the engine with camunit's thread settings; the header reads them.
        TorchScriptModel.load(ALL_MODELS.get(0).file()).close();
        ExplainerBenchmark bench = new ExplainerBenchmark(quick,
                ALL_MODELS.stream().filter(b -> chosen.contains(b.name()) && Files.isRegularFile(b.file())).toList());
        bench.header(label);
        bench.warmUp();
        if (only.contains("gradcam")) {
            bench.gradCamVsBare();
        }
        if (only.contains("threads")) {
            bench.threads();
        }
        if (only.contains("methods")) {
            bench.sixMethods();
        }
        if (only.contains("scorecam")) {
            bench.scoreCam();
        }
        if (only.contains("gate")) {
            bench.gate();
        }
        if (only.contains("memory")) {
            bench.memory();
        }
        if (only.contains("input")) {
            bench.inputPreparation();
        }
        if (only.contains("kernels")) {
            bench.kernels();
        }
        if (only.contains("transformer")) {
            bench.transformer();
        }
        if (only.contains("road")) {
            bench.road();
        }
        bench.print("load average at end " + loadAverage() + "\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, bench.report);
        System.out.println("Wrote " + out);
    }

    /**
     * Runs the explainer's paths for a few seconds before anything is measured: otherwise the JIT
     * compiler's threads still work during the first section's rounds and count in its CPU times.
     */
    private void warmUp() {
        long end = System.nanoTime() + (quick ? 2_000_000_000L : 6_000_000_000L);
        for (int i = 0; System.nanoTime() < end; i = (i + 1) % 3) {
            Bench b = ALL_MODELS.get(i);
            try (CamModel model = TorchScriptModel.load(b.file())) {
                Explainer gradCam = Explainer.of(Method.GRAD_CAM, b.layer());
                for (int n = 0; n < 200; n++) {
                    int batch = n % 2 == 0 ? 1 : 8;
                    gradCam.explain(model, images.subList(0, batch), predicted(batch));
                }
            }
        }
    }

    private void print(String text) {
        System.out.print(text);
        System.out.flush();
        report.append(text);
    }

    private void header(String label) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        Engine engine = Engine.getEngine("PyTorch");
        print(String.format(Locale.ROOT, "# camunit explainer benchmark%s%n%n", label.isEmpty() ? "" : " (" + label + ")"));
        print(String.format(Locale.ROOT, "- date: %s; %d cores (availableProcessors); CPU: %s%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), cpu));
        print(String.format(Locale.ROOT, "- Java %s, DJL %s, PyTorch %s; intra-op threads %d, inter-op threads %d%n",
                System.getProperty("java.version"), Engine.getDjlVersion(), engine.getVersion(),
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads()));
        print(String.format(Locale.ROOT, "- JVM options: %s%n",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
        print(String.format(Locale.ROOT, "- %s; times are medians of interleaved rounds after warm-up;"
                + " load average at start %s%n%n", quick ? "quick mode (fewer, shorter rounds)" : "full mode",
                loadAverage()));
    }

    /** The 1-minute load average: other processes on a shared machine slow everything down. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private int rounds() {
        return quick ? 3 : 7;
    }

    private double roundMillis() {
        return quick ? 100 : 400;
    }

    // ---------------------------------------------------------------- Grad-CAM vs. bare engine work

    private void gradCamVsBare() {
        print("## Grad-CAM vs. bare DJL forward + backward\n\n");
        print("bare: the prepared input values copied into an engine tensor, then through features, head and\n"
                + "a backward pass of the predicted scores to the layer (what Grad-CAM cannot avoid); Grad-CAM:\n"
                + "Explainer.explain from images to finished Explanations (input preparation, capture, formula,\n"
                + "ReLU, upsampling, normalising).\n"
                + "Ratios are medians of per-round ratios of wall time and of the process's CPU time.\n\n");
        Table t = gradCamTable();
        for (Bench b : models) {
            gradCamRows(t, b, 1, 8, 32);
        }
        print(t.render() + "\n");
    }

    private static Table gradCamTable() {
        return new Table("model (input, layer)", "batch", "bare ms/img", "Grad-CAM ms/img", "ratio (wall)",
                "ratio (CPU)", "Grad-CAM img/s");
    }

    /** One row per batch size: the bare forward + backward and Grad-CAM, interleaved. */
    private void gradCamRows(Table t, Bench b, int... batches) {
        try (CamModel model = TorchScriptModel.load(b.file())) {
            String title = b.name() + " (" + model.input().width() + "x" + model.input().height() + ", "
                    + b.layer() + " " + layerShape(model, b.layer()) + ")";
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, b.layer());
            for (int batch : batches) {
                List<InputImage> in = images.subList(0, batch);
                List<Target> targets = predicted(batch);
                float[] prepared = prepared(model, in);
                Shape shape = new Shape(batch, 3, model.input().height(), model.input().width());
                Rounds r = Rounds.measure(List.of(
                        () -> bareForwardBackward(model, b.layer(), prepared, shape),
                        () -> gradCam.explain(model, in, targets)), 2, rounds(), roundMillis());
                double bare = r.median(0) / batch;
                double ours = r.median(1) / batch;
                t.row(batch == batches[0] ? title : "", String.valueOf(batch), Table.num(bare, 2), Table.num(ours, 2),
                        Table.num(r.medianRatio(1, 0), 3), Table.num(r.medianCpuRatio(1, 0), 3),
                        Table.num(1000 / ours, ours > 100 ? 2 : 0));
            }
        }
    }

    // ---------------------------------------------------------------- a transformer

    /**
     * ViT-B/16 at 224 x 224: Grad-CAM against the bare forward + backward, as for the CNNs, and
     * what a batch of 8 costs in memory: the peak RSS while the first batch of 8 is explained
     * (VmHWM, reset first through /proc/self/clear_refs) over the RSS before it, with the model
     * loaded and one image explained (so the weights and the engine's start are in "before"). Only
     * the first model measured in a JVM gives a true figure: a second one reuses the memory the
     * first freed.
     */
    private void transformer() throws IOException {
        print("## A transformer: ViT-B/16 at 224 x 224\n\n");
        print("At the input of the last block's attention (encoder.layers.encoder_layer_11.ln_1, layout\n"
                + "tokens:1:14x14: the class token crosses the cut, the 196 patch tokens are the map). Bare and\n"
                + "Grad-CAM as in the Grad-CAM section.\n\n");
        Table t = gradCamTable();
        gradCamRows(t, VIT, 1, 8);
        print(t.render() + "\n");
        Table m = new Table("model", "file MB", "RSS before MB", "peak RSS during the first batch of 8 MB",
                "peak - before MB");
        try (CamModel model = TorchScriptModel.load(VIT.file())) {
            Explainer gradCam = Explainer.of(Method.GRAD_CAM, VIT.layer());
            List<InputImage> in = images.subList(0, 8);
            gradCam.explain(model, in.subList(0, 1), predicted(1));
            double before = rssMb();
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            gradCam.explain(model, in, predicted(8));
            double peak = procStatusMb("VmHWM:");
            m.row(VIT.name(), Table.num(Files.size(VIT.file()) / 1048576.0, 0), Table.num(before, 0), Table.num(peak, 0),
                    Table.num(peak - before, 0));
        }
        print(m.render() + "\n");
    }

    // ---------------------------------------------------------------- ROAD

    /**
     * ROAD's cost per image: the combined {@code road} (9 percentiles x 2 modes: 18 imputations and 19
     * forward passes in batches of 16), one {@code road-morf-80}, and the 18 imputations alone
     * (sparse Cholesky, three channels), with the Grad-CAM display map of the predicted class.
     */
    private void road() {
        print("## ROAD (remove and debias) per image\n\n");
        print("road: 18 noisy linear imputations (P = 10..90, MoRF and LeRF) and 19 forward passes;\n"
                + "road-morf-80: one imputation and 2 passes; imputations: the 18 sparse solves alone. Grad-CAM\n"
                + "display map of the predicted class; ms per image, median of rounds.\n\n");
        Table t = new Table("model (input)", "road ms/img", "road CPU ms/img", "road-morf-80 ms/img",
                "18 imputations ms/img", "18 imputations CPU ms/img", "removed (P = 10, MoRF)");
        for (Bench b : models) {
            if (!b.name().equals("shapes-clean") && !b.name().equals("resnet18-224")) {
                continue;
            }
            try (CamModel model = TorchScriptModel.load(b.file())) {
                InputImage image = images.get(0);
                Explanation e = Explainer.of(Method.GRAD_CAM, b.layer()).explain(model, image, Target.predicted());
                int w = model.input().width();
                int h = model.input().height();
                float[] input;
                try (NDManager scope = model.newScope()) {
                    input = model.toBatch(scope, List.of(image)).toFloatArray();
                }
                float[] map = e.display().resize(w, h).toArray();
                Runnable imputations = () -> {
                    for (double p : Road.PERCENTILES) {
                        for (boolean morf : new boolean[] {true, false}) {
                            NoisyLinearImputation.impute(input, w, h, Road.removed(map, p, morf),
                                    NoisyLinearImputation.DEFAULT_NOISE, new SeededNoise(0));
                        }
                    }
                };
                Rounds r = Rounds.measure(List.of(
                        () -> Road.of(model, image, e.display(), e.targetClass(), Road.PERCENTILES,
                                NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED),
                        () -> Road.single(model, image, e.display(), e.targetClass(), 80, true,
                                NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED),
                        imputations), 1, quick ? 2 : 3, 0);
                int removed = 0;
                for (boolean f : Road.removed(map, 10, true)) {
                    removed += f ? 1 : 0;
                }
                t.row(b.name() + " (" + w + "x" + h + ")", Table.num(r.median(0), 1), Table.num(r.medianCpu(0), 1),
                        Table.num(r.median(1), 1), Table.num(r.median(2), 1), Table.num(r.medianCpu(2), 1),
                        removed + " of " + w * h);
            }
        }
        print(t.render() + "\n");
    }

    // ---------------------------------------------------------------- the engine check's switch

    /**
     * What the engine check's switch to PyTorch's own convolution kernels costs: a forward pass
     * (what Score-CAM, occlusion and RISE repeat) and Grad-CAM, with oneDNN's kernels and with
     * PyTorch's, interleaved in one JVM. Only models whose convolutions oneDNN computes correctly on
     * every machine seen (16 to 512 channels) are measured; the kernels of the JVM's verdict are put
     * back after.
     */
    private void kernels() {
        print("## Convolution kernels: oneDNN's vs. PyTorch's own (the engine check's switch)\n\n");
        print("The engine check of this JVM: " + EngineCheck.verdict().summary() + "\n");
        print("forward: model.forward of a prepared batch; Grad-CAM: Explainer.explain. Ratio: PyTorch's own\n"
                + "kernels / oneDNN's, median of per-round ratios of the process's CPU time.\n\n");
        Table t = new Table("model", "work", "batch", "oneDNN ms/img", "PyTorch ms/img", "ratio (wall)", "ratio (CPU)");
        for (Bench b : models) {
            if (b.name().equals("tiny-cnn")) {
                continue;   // 8 channels: oneDNN's kernels are wrong for it on some CPUs
            }
            try (CamModel model = TorchScriptModel.load(b.file())) {
                Explainer gradCam = Explainer.of(Method.GRAD_CAM, b.layer());
                for (int batch : new int[] {1, 8}) {
                    List<InputImage> in = images.subList(0, batch);
                    List<Target> targets = predicted(batch);
                    float[] prepared = prepared(model, in);
                    Shape shape = new Shape(batch, 3, model.input().height(), model.input().width());
                    Runnable forward = () -> {
                        try (NDManager scope = model.newScope()) {
                            model.forward(scope.create(prepared, shape)).toFloatArray();
                        }
                    };
                    Runnable explain = () -> gradCam.explain(model, in, targets);
                    for (String work : List.of("forward", "Grad-CAM")) {
                        Runnable task = work.equals("forward") ? forward : explain;
                        Rounds r = Rounds.measure(List.of(
                                () -> {
                                    KernelSelection.use(ConvolutionKernels.ONEDNN);
                                    task.run();
                                },
                                () -> {
                                    KernelSelection.use(ConvolutionKernels.PYTORCH);
                                    task.run();
                                }), 2, rounds(), roundMillis());
                        t.row(batch == 1 && work.equals("forward") ? b.name() : "", work, String.valueOf(batch),
                                Table.num(r.median(0) / batch, 2), Table.num(r.median(1) / batch, 2),
                                Table.num(r.medianRatio(1, 0), 2), Table.num(r.medianCpuRatio(1, 0), 2));
                    }
                }
            } finally {
                KernelSelection.restore();
            }
        }
        print(t.render() + "\n");
    }

    // ---------------------------------------------------------------- input preparation: Java vs. engine

    /**
     * Whether the engine should prepare the input: the batch tensor from decoded images, by
     * {@code CamModel.toBatch} (Java: one pass per image, written into the tensor's memory) and by
     * PyTorch operations (a uint8 HWC tensor per image, to float, DJL's bilinear resize, stacked,
     * transposed to NCHW, scaled and normalised).
     */
    private void inputPreparation() {
        print("## Input preparation: camunit's Java vs. PyTorch operations\n\n");
        print("From decoded images (the 32 test scenes, 80 to 128 px) to the normalised N x 3 x H x W batch\n"
                + "tensor. Java: CamModel.toBatch. Engine: per image a uint8 H x W x 3 tensor of the pixels, to\n"
                + "float32, NDImageUtils.resize (bilinear), then stack, transpose to NCHW, / 255, - mean, / std.\n\n");
        Table t = new Table("size", "batch", "Java ms/img", "engine ms/img", "engine / Java (wall)",
                "engine / Java (CPU)");
        List<byte[]> hwc = images.stream().map(ExplainerBenchmark::interleavedRgb).toList();
        for (int size : new int[] {64, 224}) {
            try (CamModel model = TorchScriptModel.builder().setPath(ALL_MODELS.get(0).file()).optInputSize(size, size)
                    .build()) {
                for (int batch : new int[] {1, 8}) {
                    List<InputImage> in = images.subList(0, batch);
                    Rounds r = Rounds.measure(List.of(
                            () -> {
                                try (NDManager scope = model.newScope()) {
                                    model.toBatch(scope, in);
                                }
                            },
                            () -> enginePrepared(model, in, hwc.subList(0, batch), size)), 2, rounds(), roundMillis());
                    t.row(batch == 1 ? size + " x " + size : "", String.valueOf(batch),
                            Table.num(r.median(0) / batch, 3), Table.num(r.median(1) / batch, 3),
                            Table.num(r.medianRatio(1, 0), 2), Table.num(r.medianCpuRatio(1, 0), 2));
                }
            }
        }
        print(t.render() + "\n");
    }

    private static byte[] interleavedRgb(InputImage image) {
        java.awt.image.BufferedImage rgb = image.toBufferedImage();
        byte[] out = new byte[image.width() * image.height() * 3];
        int i = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int p = rgb.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }

    private static void enginePrepared(CamModel model, List<InputImage> in, List<byte[]> hwc, int size) {
        try (NDManager scope = model.newScope()) {
            NDList resized = new NDList();
            for (int i = 0; i < in.size(); i++) {
                NDArray pixels = scope.create(java.nio.ByteBuffer.wrap(hwc.get(i)),
                        new Shape(in.get(i).height(), in.get(i).width(), 3), DataType.UINT8);
                resized.add(NDImageUtils.resize(pixels.toType(DataType.FLOAT32, false), size, size,
                        Image.Interpolation.BILINEAR));
            }
            NDArray mean = scope.create(model.input().mean().stream().mapToDouble(Double::doubleValue).toArray(),
                    new Shape(1, 3, 1, 1)).toType(DataType.FLOAT32, false);
            NDArray std = scope.create(model.input().std().stream().mapToDouble(Double::doubleValue).toArray(),
                    new Shape(1, 3, 1, 1)).toType(DataType.FLOAT32, false);
            NDArrays.stack(resized).transpose(0, 3, 1, 2).div(255f).sub(mean).div(std);
        }
    }

    /** The engine work of Grad-CAM and nothing else. */
    private static void bareForwardBackward(CamModel model, String layer, float[] prepared, Shape shape) {
        GradientLock.run(() -> {
            try (NDManager scope = model.newScope()) {
                NDArray x = engineTensor(scope, prepared, shape);
                NDList acts = model.features(x, layer);
                NDArray a = acts.get(0);
                a.setRequiresGradient(true);
                try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                    NDArray out = model.head(acts, layer);
                    collector.backward(out.max(new int[] {1}).sum());
                }
                a.getGradient();
            }
            return null;
        });
    }

    /**
     * The prepared values in a new engine tensor, copied into its memory once: the cheapest way in,
     * and the way {@code CamModel.toBatch} fills its batch (DJL's {@code create(float[])} copies twice).
     */
    private static NDArray engineTensor(NDManager scope, float[] values, Shape shape) {
        NDArray x = scope.create(shape, DataType.FLOAT32);
        x.toByteBuffer(true).asFloatBuffer().put(values);
        return x;
    }

    private static float[] prepared(CamModel model, List<InputImage> in) {
        try (NDManager scope = model.newScope()) {
            return model.toBatch(scope, in).toFloatArray();
        }
    }

    private static String layerShape(CamModel model, String layer) {
        try (NDManager scope = model.newScope()) {
            NDArray x = scope.zeros(new Shape(1, 3, model.input().height(), model.input().width()));
            Shape s = model.features(x, layer).get(0).getShape();
            return s.get(1) + "x" + s.get(2) + "x" + s.get(3);
        }
    }

    private static List<Target> predicted(int n) {
        List<Target> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Target.predicted());
        }
        return out;
    }

    // ---------------------------------------------------------------- intra-op threads

    private void threads() {
        print("## PyTorch intra-op threads: Grad-CAM with 1 and with 2\n\n");
        print("The same Explainer.explain calls, alternating torch.set_num_threads(1) and (2) between rounds.\n\n");
        Table t = new Table("model", "batch", "1 thread ms/img", "2 threads ms/img", "2 / 1 (wall)", "2 / 1 (CPU)");
        int before = JniUtils.getNumThreads();
        for (Bench b : models) {
            try (CamModel model = TorchScriptModel.load(b.file())) {
                Explainer gradCam = Explainer.of(Method.GRAD_CAM, b.layer());
                for (int batch : new int[] {1, 8}) {
                    List<InputImage> in = images.subList(0, batch);
                    List<Target> targets = predicted(batch);
                    Rounds r = Rounds.measure(List.of(
                            () -> {
                                JniUtils.setNumThreads(1);
                                gradCam.explain(model, in, targets);
                            },
                            () -> {
                                JniUtils.setNumThreads(2);
                                gradCam.explain(model, in, targets);
                            }), 2, rounds(), roundMillis());
                    t.row(batch == 1 ? b.name() : "", String.valueOf(batch), Table.num(r.median(0) / batch, 2),
                            Table.num(r.median(1) / batch, 2), Table.num(r.medianRatio(1, 0), 2),
                            Table.num(r.medianCpuRatio(1, 0), 2));
                }
            }
        }
        JniUtils.setNumThreads(before);
        print(t.render() + "\n");
    }

    // ---------------------------------------------------------------- six gradient methods

    private void sixMethods() {
        print("## Six gradient methods of one batch of 8\n\n");
        print("grad-cam, grad-cam++, xgrad-cam, hires-cam, grad-cam-elementwise, layer-cam on the same images:\n"
                + "one Explainer.explain per method (a forward + backward each), and all six in one\n"
                + "Explainer.explainEach (one shared forward + backward); ratios to Grad-CAM alone (wall / CPU).\n\n");
        Table t = new Table("model", "Grad-CAM ms/img", "6 separately ms/img", "ratio (wall)", "ratio (CPU)",
                "6 shared ms/img", "ratio (wall)", "ratio (CPU)");
        for (Bench b : List.of(ALL_MODELS.get(1), ALL_MODELS.get(3))) {
            try (CamModel model = TorchScriptModel.load(b.file())) {
                List<InputImage> in = images.subList(0, 8);
                List<Target> targets = predicted(8);
                Explainer gradCam = Explainer.of(Method.GRAD_CAM, b.layer());
                List<Explainer> each = SIX_GRADIENT_METHODS.stream().map(m -> Explainer.of(m, b.layer())).toList();
                boolean shared = hasExplainEach(model, in, targets, each);
                List<Runnable> ops = new ArrayList<>(List.of(
                        () -> gradCam.explain(model, in, targets),
                        () -> each.forEach(e -> e.explain(model, in, targets))));
                if (shared) {
                    ops.add(() -> Explainer.explainEach(model, in, targets, each));
                }
                Rounds r = Rounds.measure(ops, 2, rounds(), roundMillis());
                t.row(b.name(), Table.num(r.median(0) / 8, 2), Table.num(r.median(1) / 8, 2),
                        Table.num(r.medianRatio(1, 0), 2), Table.num(r.medianCpuRatio(1, 0), 2),
                        shared ? Table.num(r.median(2) / 8, 2) : "-", shared ? Table.num(r.medianRatio(2, 0), 2) : "-",
                        shared ? Table.num(r.medianCpuRatio(2, 0), 2) : "not in this build");
            }
        }
        print(t.render() + "\n");
    }

    /** @return false when this build has no {@code Explainer.explainEach} (the benchmark runs on older code too) */
    private static boolean hasExplainEach(CamModel model, List<InputImage> in, List<Target> targets,
            List<Explainer> explainers) {
        try {
            Explainer.explainEach(model, in, targets, explainers);
            return true;
        } catch (NoSuchMethodError e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- Score-CAM

    private void scoreCam() {
        print("## Score-CAM vs. its floor\n\n");
        try (CamModel model = TorchScriptModel.load(ALL_MODELS.get(1).file())) {
            try {
                Explainer.of(Method.SCORE_CAM, ALL_MODELS.get(1).layer()).explain(model, images.get(0), Target.predicted());
            } catch (CamunitException e) {
                print("not available: " + e.getMessage() + "\n\n");
                return;
            }
        }
        print("floor: one forward pass of the image, then forward passes of one masked input per channel\n"
                + "(the image times a random mask) in chunks, ceil(channels / chunk) passes, on tensors already\n"
                + "in the engine; Score-CAM: Explainer.explain of one image.\n\n");
        Table t = new Table("model, layer", "chunk", "floor ms/img", "Score-CAM ms/img", "ratio (wall)", "ratio (CPU)");
        scoreCamRows(t, ALL_MODELS.get(1), quick ? new int[] {32} : new int[] {8, 16, 32, 64, 128});
        scoreCamRows(t, ALL_MODELS.get(3), new int[] {32});
        print(t.render() + "\n");
    }

    private void scoreCamRows(Table t, Bench b, int[] chunks) {
        try (CamModel model = TorchScriptModel.load(b.file())) {
            int channels = Integer.parseInt(layerShape(model, b.layer()).split("x")[0]);
            boolean big = model.input().width() > 128;
            for (int chunk : chunks) {
                Explainer scoreCam = Explainer.builder().setMethod(Method.SCORE_CAM).addLayer(b.layer())
                        .optOptions(MethodOptions.DEFAULTS.with("chunk-size=" + chunk)).build();
                try (NDManager held = model.newScope()) {
                    int h = model.input().height();
                    int w = model.input().width();
                    NDArray one = held.create(prepared(model, images.subList(0, 1)), new Shape(1, 3, h, w));
                    // Full chunks, then the rest: as many masked inputs as there are channels, each
                    // the image times a random mask in [0, 1), like Score-CAM's.
                    NDArray masked = held.randomUniform(0, 1, new Shape(Math.min(chunk, channels), 1, h, w)).mul(one);
                    NDArray rest = channels % chunk == 0 || channels < chunk ? null
                            : held.randomUniform(0, 1, new Shape(channels % chunk, 1, h, w)).mul(one);
                    int fullPasses = Math.max(1, channels / chunk);
                    Runnable floor = () -> {
                        try (NDManager scope = model.newScope()) {
                            scope.tempAttachAll(rest == null ? new NDArray[] {one, masked}
                                    : new NDArray[] {one, masked, rest});
                            model.head(model.features(one, b.layer()), b.layer());
                            for (int p = 0; p < fullPasses; p++) {
                                model.forward(masked);
                            }
                            if (rest != null) {
                                model.forward(rest);
                            }
                        }
                    };
                    Rounds r = Rounds.measure(List.of(floor,
                            () -> scoreCam.explain(model, images.get(0), Target.predicted())),
                            1, big ? (quick ? 1 : 3) : rounds(), big ? 0 : roundMillis());
                    t.row(b.name() + ", " + b.layer() + " (" + channels + " channels)", String.valueOf(chunk),
                            Table.num(r.median(0), 1), Table.num(r.median(1), 1), Table.num(r.medianRatio(1, 0), 3),
                            Table.num(r.medianCpuRatio(1, 0), 3));
                }
            }
        }
    }

    // ---------------------------------------------------------------- data-set gate

    private void gate() throws IOException {
        print("## Data-set gate: 1,000 samples x 3 methods (grad-cam, grad-cam++, layer-cam), end to end\n\n");
        List<LabeledSample> samples = LabeledDataset.open(GATE_SET).samples();
        Table t = new Table("route", "explanations computed", "seconds", "samples x methods / s");
        // camunit evaluate in process: read, explain in batches of 16, three metrics, CSV + JSON, gate.
        String[] cli = {"evaluate", "--model", ALL_MODELS.get(1).file().toString(), "--data", GATE_SET.toString(),
            "--method", "grad-cam,grad-cam++,layer-cam", "--metrics", "peak-inside,mass-inside,rank-accuracy",
            "--gate", "peak-inside >= 1 for 50%", "--out", "target/bench/evaluate"};
        String[] warm = cli.clone();
        warm[4] = TEST_SET.toString();
        runCli(warm);
        List<Double> seconds = new ArrayList<>();
        for (int run = 0; run < (quick ? 1 : 3); run++) {
            long start = System.nanoTime();
            runCli(cli);
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        double cliSeconds = Rounds.median(seconds);
        t.row("camunit evaluate (batch 16)", String.format(Locale.ROOT, "%,d", samples.size() * 3),
                Table.num(cliSeconds, 2), Table.num(samples.size() * 3 / cliSeconds, 0));
        // Per sample, as @LabeledSamples tests do: three gated metrics, each explains every sample.
        List<SampleMetric> metrics = SampleMetric.parseList("peak-inside,mass-inside,rank-accuracy");
        try (CamModel model = TorchScriptModel.load(ALL_MODELS.get(1).file())) {
            perSampleGates(model, samples.subList(0, 60), metrics, null);
            for (boolean cached : new boolean[] {false, true}) {
                ExplanationCache cache = cached ? new ExplanationCache(samples.size() * GATE_METHODS.size()) : null;
                long start = System.nanoTime();
                int computed = perSampleGates(model, samples, metrics, cache);
                double s = (System.nanoTime() - start) / 1e9;
                t.row("per sample, 3 gated metrics, " + (cached ? "with" : "without") + " cache",
                        String.format(Locale.ROOT, "%,d", computed), Table.num(s, 2),
                        Table.num(samples.size() * 3 / s, 0));
            }
        }
        print(t.render() + "\n");
    }

    private static void runCli(String[] args) {
        Writer sink = Writer.nullWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(sink), new PrintWriter(err), args);
        if (code != 0) {
            throw new IllegalStateException("camunit " + String.join(" ", args) + " exited " + code + ": " + err);
        }
    }

    /** @return how many explanations were computed (cache misses, or all without a cache) */
    private static int perSampleGates(CamModel model, List<LabeledSample> samples, List<SampleMetric> metrics,
            ExplanationCache cache) {
        int computed = 0;
        for (Method method : GATE_METHODS) {
            Explainer.Builder builder = Explainer.builder().setMethod(method).addLayer(ALL_MODELS.get(1).layer());
            if (cache != null) {
                builder.optCache(cache);
            }
            Explainer explainer = builder.build();
            for (SampleMetric metric : metrics) {
                Gate gate = Gate.parse(metric.name() + " >= 0 for 50%");
                List<SampleValue> values = new ArrayList<>();
                for (LabeledSample s : samples) {
                    Explanation e = explainer.explain(model, s);
                    Double value;
                    String reason = null;
                    try {
                        value = metric.measure(e, s, model).value();
                    } catch (DegenerateMapException | EmptyRegionException ex) {
                        value = null;
                        reason = ex.getMessage();
                    }
                    values.add(new SampleValue(s.id(), s.label(), value, reason));
                }
                if (gate.judge(values).total() != samples.size()) {
                    throw new IllegalStateException("gate saw the wrong number of samples");
                }
                computed += samples.size();
            }
        }
        return cache == null ? computed : cache.misses();
    }

    // ---------------------------------------------------------------- memory

    private void memory() throws IOException, InterruptedException {
        print("## Memory over 10,000 explanations\n\n");
        print("shapes-clean at features.10, over the 60 test images, one image per call, cycling grad-cam,\n"
                + "grad-cam++, eigen-cam, score-cam (when in the build) and grad-cam + layer-cam + xgrad-cam in one\n"
                + "explainEach; heap used after System.gc(), VmRSS of the process (the heap is fixed and\n"
                + "pre-touched, so RSS growth is native growth), NDArrays still attached to the model's manager.\n\n");
        List<InputImage> in = LabeledDataset.open(TEST_SET).samples().stream().map(LabeledSample::image).toList();
        String layer = ALL_MODELS.get(1).layer();
        List<Explainer> single = new ArrayList<>(List.of(Explainer.of(Method.GRAD_CAM, layer),
                Explainer.of(Method.GRAD_CAM_PLUS_PLUS, layer), Explainer.of(Method.EIGEN_CAM, layer)));
        List<Explainer> together = List.of(Explainer.of(Method.GRAD_CAM, layer), Explainer.of(Method.LAYER_CAM, layer),
                Explainer.of(Method.XGRAD_CAM, layer));
        Table t = new Table("after explanations", "heap MB", "RSS MB", "managed NDArrays");
        double[] heap = new double[2];
        double[] rss = new double[2];
        try (CamModel model = TorchScriptModel.load(ALL_MODELS.get(1).file())) {
            Explainer scoreCam = Explainer.of(Method.SCORE_CAM, layer);
            try {
                scoreCam.explain(model, in.get(0), Target.predicted());
                single.add(scoreCam);
            } catch (CamunitException e) {
                // Not in this build: the cycle goes without it.
            }
            boolean shared = hasExplainEach(model, in.subList(0, 1), predicted(1), together);
            int done = 0;
            int step = 0;
            for (int checkpoint : new int[] {100, 1_000, 10_000}) {
                while (done < checkpoint) {
                    InputImage image = in.get(step % in.size());
                    int k = step % (single.size() + 1);
                    if (k < single.size()) {
                        single.get(k).explain(model, image, Target.predicted());
                        done++;
                    } else if (shared) {
                        done += Explainer.explainEach(model, List.of(image), predicted(1), together).size();
                    } else {
                        together.forEach(e -> e.explain(model, image, Target.predicted()));
                        done += together.size();
                    }
                    step++;
                }
                double h = heapAfterGcMb();
                double r = rssMb();
                if (checkpoint == 100) {
                    heap[0] = h;
                    rss[0] = r;
                } else if (checkpoint == 10_000) {
                    heap[1] = h;
                    rss[1] = r;
                }
                t.row(String.format(Locale.ROOT, "%,d", done), Table.num(h, 1), Table.num(r, 1),
                        String.valueOf(managedArrays(model)));
            }
        }
        t.row("growth 100 -> 10,000", Table.num(heap[1] - heap[0], 1), Table.num(rss[1] - rss[0], 1), "-");
        print(t.render() + "\n");
    }

    private static double heapAfterGcMb() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
    }

    private static double rssMb() throws IOException {
        return procStatusMb("VmRSS:");
    }

    /** A size in /proc/self/status, e.g. {@code VmRSS:} or {@code VmHWM:} (the peak RSS), in MB. */
    private static double procStatusMb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    private static int managedArrays(CamModel model) {
        try (NDManager scope = model.newScope()) {
            return ((BaseNDManager) scope.getParentManager()).getManagedArrays().size();
        }
    }
}
