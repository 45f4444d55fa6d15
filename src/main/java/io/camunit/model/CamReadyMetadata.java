package io.camunit.model;

import io.camunit.CamunitException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code camunit.json} a CAM-ready TorchScript file carries (format 1 of the TorchScript CAM
 * contract): the cut points, and optionally class names, input preparation, the layouts of
 * layers that are not convolutional feature maps (transformer tokens, channels-last stages) and
 * the camunit version of the exporter that wrote it ({@code exporter}, checked by {@link ExporterCheck}).
 *
 * <pre>{@code
 * CamReadyMetadata meta = CamReadyMetadata.parse(json, "vit.pt");
 * meta.layers();                                        // [encoder.layers.encoder_layer_11.ln_1]
 * meta.layout("encoder.layers.encoder_layer_11.ln_1");  // tokens:1:14x14
 * }</pre>
 *
 * @param layers the layer names in cut order; the index passed to features/head is the position here
 * @param classes class names by output index, possibly empty
 * @param input the input preparation, when the file states it
 * @param layouts the layouts the file states, by layer; a layer not in it is {@link LayerLayout#NCHW}
 * @param task what the output means ({@code "task"}: classification, segmentation or detection), when
 *     the file states it
 * @param biases the bias each layer FullGrad sums adds per output channel ({@code "biases"}, written by
 *     {@code camunit_export.py --full-gradient}), by layer in file order; empty when the file states none
 */
public record CamReadyMetadata(List<String> layers, List<String> classes, Optional<InputSpec> input,
        Map<String, LayerLayout> layouts, Optional<Task> task, Map<String, List<Double>> biases) {

    /** The file name of the metadata inside the TorchScript archive. */
    public static final String FILE_NAME = "camunit.json";

    /** Makes the lists and the map unmodifiable. */
    public CamReadyMetadata {
        layers = List.copyOf(layers);
        classes = List.copyOf(classes);
        layouts = Map.copyOf(layouts);
        java.util.Objects.requireNonNull(task, "task");
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        biases.forEach((layer, values) -> copy.put(layer, List.copyOf(values)));
        biases = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Metadata that states no biases.
     *
     * @param layers the layer names in cut order
     * @param classes class names by output index, possibly empty
     * @param input the input preparation, when the file states it
     * @param layouts the layouts the file states, by layer
     * @param task what the output means, when the file states it
     */
    public CamReadyMetadata(List<String> layers, List<String> classes, Optional<InputSpec> input,
            Map<String, LayerLayout> layouts, Optional<Task> task) {
        this(layers, classes, input, layouts, task, Map.of());
    }

    /**
     * Metadata that states no task.
     *
     * @param layers the layer names in cut order
     * @param classes class names by output index, possibly empty
     * @param input the input preparation, when the file states it
     * @param layouts the layouts the file states, by layer
     */
    public CamReadyMetadata(List<String> layers, List<String> classes, Optional<InputSpec> input,
            Map<String, LayerLayout> layouts) {
        this(layers, classes, input, layouts, Optional.empty());
    }

    /**
     * Metadata whose layers are all convolutional feature maps ({@link LayerLayout#NCHW}).
     *
     * @param layers the layer names in cut order
     * @param classes class names by output index, possibly empty
     * @param input the input preparation, when the file states it
     */
    public CamReadyMetadata(List<String> layers, List<String> classes, Optional<InputSpec> input) {
        this(layers, classes, input, Map.of());
    }

    /**
     * @param layer one of {@link #layers()}
     * @return how the model lays out that layer's output; {@link LayerLayout#NCHW} unless the file says otherwise
     */
    public LayerLayout layout(String layer) {
        return layouts.getOrDefault(layer, LayerLayout.NCHW);
    }

    /**
     * Parses and validates the metadata.
     *
     * @param json the content of {@code camunit.json}
     * @param source the model file, for messages
     * @return the metadata
     * @throws CamunitException naming the field that is missing or wrong
     */
    public static CamReadyMetadata parse(String json, String source) {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw bad(source, "the top level", "a JSON object", element.toString());
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CamunitException(
                    "Model " + source + ": " + FILE_NAME + " is not valid JSON (" + e.getMessage()
                            + "). Re-export the model with camunit_export.py.", e);
        }
        // The exporter first: a newer exporter's file may differ in any field, and its version says why.
        ExporterCheck.check(root.get(ExporterCheck.FIELD), source);
        JsonElement format = root.get("format");
        if (format == null || !format.isJsonPrimitive() || !format.getAsJsonPrimitive().isNumber()
                || format.getAsDouble() != 1) {
            throw bad(source, "format", "1", String.valueOf(format));
        }
        List<String> layers = strings(root, "layers", source);
        if (layers.isEmpty()) {
            throw bad(source, "layers", "a non-empty list of layer names", "[]");
        }
        List<String> classes = root.has("classes") ? strings(root, "classes", source) : List.of();
        Optional<InputSpec> input = Optional.empty();
        if (root.has("input")) {
            input = Optional.of(input(root.get("input"), source));
        }
        Map<String, LayerLayout> layouts = root.has("layouts") ? layouts(root.get("layouts"), layers, source) : Map.of();
        Optional<Task> task = root.has(Task.FIELD) ? Optional.of(task(root.get(Task.FIELD), source)) : Optional.empty();
        Map<String, List<Double>> biases = root.has(BIASES) ? biases(root.get(BIASES), layers, layouts, source)
                : Map.of();
        return new CamReadyMetadata(layers, classes, input, layouts, task, biases);
    }

    /** The field naming the layers FullGrad sums and the bias each adds per channel. */
    public static final String BIASES = "biases";

    private static Map<String, List<Double>> biases(JsonElement element, List<String> layers,
            Map<String, LayerLayout> layouts, String source) {
        String expected = "an object from layer name to the bias it adds per output channel, e.g."
                + " {\"features.0\": [0.1, -0.2]}";
        if (!element.isJsonObject() || element.getAsJsonObject().size() == 0) {
            throw bad(source, BIASES, expected, element.toString());
        }
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
            String layer = e.getKey();
            String field = BIASES + "." + layer;
            if (!layers.contains(layer)) {
                throw bad(source, BIASES, "about the file's layers " + layers + " (FullGrad needs a cut after every"
                        + " layer with a bias)", "layer '" + layer + "'");
            }
            if (layouts.containsKey(layer) && layouts.get(layer) != LayerLayout.NCHW) {
                throw bad(source, field, "about a convolutional feature map (layout nchw)",
                        "layout " + layouts.get(layer));
            }
            JsonElement value = e.getValue();
            if (!value.isJsonArray() || value.getAsJsonArray().isEmpty()) {
                throw bad(source, field, "a non-empty list of numbers, one per output channel", value.toString());
            }
            List<Double> values = new ArrayList<>();
            for (JsonElement v : value.getAsJsonArray()) {
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !Double.isFinite(v.getAsDouble())) {
                    throw bad(source, field, "a list of finite numbers, one per output channel", "element " + v);
                }
                values.add(v.getAsDouble());
            }
            out.put(layer, values);
        }
        return out;
    }

    private static Task task(JsonElement element, String source) {
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw bad(source, Task.FIELD, "one of " + Task.known(), element.toString());
        }
        try {
            return Task.parse(element.getAsString());
        } catch (CamunitException e) {
            throw bad(source, Task.FIELD, "one of " + Task.known(), element.toString());
        }
    }

    private static Map<String, LayerLayout> layouts(JsonElement element, List<String> layers, String source) {
        String expected = "an object from layer name to layout, e.g. {\"blocks.11.norm1\": \"tokens:1:14x14\"}";
        if (!element.isJsonObject()) {
            throw bad(source, "layouts", expected, element.toString());
        }
        Map<String, LayerLayout> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
            if (!layers.contains(e.getKey())) {
                throw bad(source, "layouts", "about the file's layers " + layers, "layer '" + e.getKey() + "'");
            }
            JsonElement value = e.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw bad(source, "layouts", expected, element.toString());
            }
            out.put(e.getKey(), LayerLayout.parse(value.getAsString(), source, e.getKey()));
        }
        return out;
    }

    private static InputSpec input(JsonElement element, String source) {
        if (!element.isJsonObject()) {
            throw bad(source, "input", "an object with height, width, mean and std", element.toString());
        }
        JsonObject o = element.getAsJsonObject();
        int height = positiveInt(o, "height", source);
        int width = positiveInt(o, "width", source);
        List<Double> mean = o.has("mean") ? numbers(o, "mean", source) : List.of(0.0, 0.0, 0.0);
        List<Double> std = o.has("std") ? numbers(o, "std", source) : List.of(1.0, 1.0, 1.0);
        try {
            return new InputSpec(width, height, mean, std);
        } catch (CamunitException e) {
            throw new CamunitException("Model " + source + ": " + FILE_NAME + " field 'input': "
                    + e.getMessage(), e);
        }
    }

    private static int positiveInt(JsonObject o, String field, String source) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()
                || e.getAsDouble() < 1 || e.getAsDouble() != Math.rint(e.getAsDouble())
                || e.getAsDouble() > 1 << 16) {
            throw bad(source, "input." + field, "a positive whole number of pixels", String.valueOf(e));
        }
        return e.getAsInt();
    }

    private static List<String> strings(JsonObject o, String field, String source) {
        JsonArray array = array(o, field, source, "a list of strings");
        List<String> out = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw bad(source, field, "a list of strings", array.toString());
            }
            out.add(e.getAsString());
        }
        return out;
    }

    private static List<Double> numbers(JsonObject o, String field, String source) {
        JsonArray array = array(o, "input." + field, source, "a list of 3 numbers");
        List<Double> out = new ArrayList<>();
        for (JsonElement e : array) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw bad(source, "input." + field, "a list of 3 numbers", array.toString());
            }
            out.add(e.getAsDouble());
        }
        return out;
    }

    private static JsonArray array(JsonObject o, String field, String source, String expected) {
        String key = field.substring(field.lastIndexOf('.') + 1);
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw bad(source, field, expected, String.valueOf(e));
        }
        return e.getAsJsonArray();
    }

    private static CamunitException bad(String source, String field, String expected, String found) {
        return new CamunitException(
                "Model " + source + ": " + FILE_NAME + " field '" + field + "' must be " + expected
                        + "; found " + found + ". Re-export the model with camunit_export.py or fix"
                        + " the metadata.");
    }
}
