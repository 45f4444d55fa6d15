package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.Colormap;
import io.camunit.report.Npy;
import io.camunit.report.Overlay;
import io.camunit.report.Png;

import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.Locale;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code camunit explain}: one image, one method, one or more layers; writes {@code heatmap.npy},
 * {@code raw.npy}, {@code overlay.png} and {@code explanation.json}. On a detector, {@code --box}
 * and {@code --target} name the object to explain.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain one image: write heatmap.npy (display map), raw.npy, overlay.png and explanation.json.")
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image", required = true, paramLabel = "FILE",
            description = "PNG or JPEG image; repeat for several (each gets a subdirectory of --out named after it).")
    List<Path> images;

    @Option(names = "--method", defaultValue = "grad-cam", paramLabel = "NAME",
            description = ExplainerOptions.METHOD_IDS + " (default: ${DEFAULT-VALUE}).")
    String method;

    @Mixin
    ExplainerOptions explainerOptions;

    @Option(names = "--target", defaultValue = "predicted", paramLabel = "CLASS",
            description = "Class index, class name, or 'predicted' (default).")
    String target;

    @Option(names = "--box", paramLabel = "X,Y,W,H",
            description = "Detectors: explain the object in this box, in the image's pixels as COCO writes a bbox"
                    + " (left, top, width, height), of the class --target names; the candidate that matches it"
                    + " (its class predicted, IoU >= 0.5, the largest IoU) is explained. One --image.")
    String box;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the output files.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Method m = Method.fromId(method);
        Method.requireOptionsRead(List.of(m), explainerOptions.methodOptions());
        List<InputImage> inputs = images.stream().map(InputImage::read).toList();
        try (TorchScriptModel model = modelOptions.load(spec.commandLine().getErr())) {
            Explainer explainer = explainerOptions.explainer(m, model);
            if (box != null) {
                Explanation e = explainer.explain(model, boxedObject(model, images.get(0), inputs.get(0)));
                write(model, images.get(0), inputs.get(0), e, out);
                spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s at %s for %s (class %d, score %.4f): wrote %s%n",
                        e.sampleId(), e.method(), e.layers().isEmpty() ? "the input" : String.join("+", e.layers()),
                        e.target(), e.targetClass(), e.score(), out);
                return 0;
            }
            Target t = target(model.classes());
            for (int i = 0; i < inputs.size(); i++) {
                Path dir = inputs.size() == 1 ? out : out.resolve(stem(images.get(i)));
                Explanation e = explainer.explain(model, inputs.get(i), t);
                write(model, images.get(i), inputs.get(i), e, dir);
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "%s: %s at %s for %s (class %d, score %.4f, predicted %s): wrote %s%n",
                        e.sampleId(), e.method(), e.layers().isEmpty() ? "the input" : String.join("+", e.layers()),
                        e.targetLabel(), e.targetClass(),
                        e.score(), label(model.classes(), e.predictedClass()), dir);
            }
            return 0;
        }
    }

    private static String stem(Path image) {
        String name = image.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String lastLayer(CamModel model) {
        if (model.layers().isEmpty()) {
            throw new CamunitException("Model " + model.name() + " is plain TorchScript (forward only), so it has"
                    + " no layer to explain. Export it CAM-ready with camunit_export.py (camunit export-script writes it), or use a"
                    + " method that works at the input (gradient, smoothgrad, integrated-gradients, occlusion, rise).");
        }
        return model.layers().get(model.layers().size() - 1);
    }

    /**
     * The object {@code --box} and {@code --target} name, as a labelled sample of one object: the
     * detector's box target is then made, and scaled to input pixels, as for every labelled object.
     */
    private LabeledSample boxedObject(CamModel model, Path image, InputImage input) {
        if (!model.isDetector()) {
            throw new CamunitException("Option --box explains one object of a detector, but model " + model.name()
                    + " does not state that it is one (camunit.json \"task\": \"detection\", written by"
                    + " camunit_export.py --task detection). Leave --box out to explain a class of the image.");
        }
        if (images.size() != 1) {
            throw new CamunitException("Option --box names an object of one image; got " + images.size()
                    + " --image options. Explain each image's object in its own run.");
        }
        if (target.equalsIgnoreCase("predicted")) {
            throw new CamunitException("Option --box needs the object's class: give --target as a class name or"
                    + " index (the model's classes: " + model.classes() + "); 'predicted' has no meaning for one box.");
        }
        String label = target.matches("\\d+") ? ExplainCommand.label(model.classes(), Integer.parseInt(target))
                : target;
        if (!model.classes().contains(label)) {
            throw new CamunitException("Option --target must name one of the detector's classes " + model.classes()
                    + " (by name or index from 0) for --box; got '" + target + "'.");
        }
        return new LabeledSample(input.id(), image, input.width(), input.height(),
                List.of(new LabeledObject(label, parseBox(box))), java.util.Optional.empty());
    }

    /** @return the box of {@code X,Y,W,H} in image pixels */
    static Box parseBox(String text) {
        String[] parts = text.split(",", -1);
        String expected = "--box must be X,Y,W,H in the image's pixels (left, top, width, height, as a COCO bbox),"
                + " e.g. 12,30,40,25; got '" + text + "'";
        if (parts.length != 4) {
            throw new CamunitException(expected + ": " + parts.length + " numbers.");
        }
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new CamunitException(expected + ": '" + parts[i].trim() + "' is not a number.", e);
            }
        }
        try {
            return Box.coco(v[0], v[1], v[2], v[3]);
        } catch (CamunitException e) {
            throw new CamunitException(expected + ": " + e.getMessage() + ".", e);
        }
    }

    private Target target(List<String> classes) {
        if (target.equalsIgnoreCase("predicted")) {
            return Target.predicted();
        }
        if (target.matches("-?\\d+")) {
            return Target.classIndex(Integer.parseInt(target));
        }
        int index = classes.indexOf(target);
        if (index < 0) {
            throw new CamunitException("Option --target must be a class index, a class name or 'predicted'; '"
                    + target + "' is none of these" + (classes.isEmpty() ? " (the model names no classes)."
                    : ". Class names: " + classes + "."));
        }
        return Target.classIndex(index);
    }

    private void write(TorchScriptModel model, Path image, InputImage input, Explanation e, Path out)
            throws IOException {
        Files.createDirectories(out);
        // Each file appears whole or not at all.
        AtomicFile.write(out.resolve("heatmap.npy"), o -> Npy.write(e.display(), o));
        AtomicFile.write(out.resolve("raw.npy"), o -> Npy.write(e.raw(), o));
        Png.write(Overlay.render(input, e.display(), Colormap.JET, 0.5), out.resolve("overlay.png"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.name());
        json.put("image", image.toString());
        json.put("method", e.method().id());
        json.put("layers", e.layers());
        json.put("target", e.target());
        json.put("target_class", e.targetClass());
        json.put("target_label", e.targetLabel());
        json.put("score", e.score());
        json.put("predicted_class", e.predictedClass());
        json.put("predicted_label", label(model.classes(), e.predictedClass()));
        json.put("input", Map.of("width", e.display().width(), "height", e.display().height(),
                "mean", model.input().mean(), "std", model.input().std()));
        json.put("raw_max", e.raw().max());
        json.put("degenerate", e.isDegenerate());
        json.put("pipeline", Map.of("upsampling", e.pipeline().upsampling(),
                "normalisation_epsilon", e.pipeline().normalisationEpsilon(),
                "layer_fusion", e.pipeline().layerFusion()));
        json.put("engine", EngineCheck.verdict().toMap());
        json.put("files", Map.of("display_map", "heatmap.npy", "raw_map", "raw.npy", "overlay", "overlay.png"));
        AtomicFile.writeString(out.resolve("explanation.json"),
                new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json));
    }

    static String label(List<String> classes, int index) {
        if (index < 0) {
            return "n/a";
        }
        return index < classes.size() ? classes.get(index) : String.valueOf(index);
    }
}
