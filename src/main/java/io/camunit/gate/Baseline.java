package io.camunit.gate;

import io.camunit.CamunitException;
import io.camunit.metric.SampleMetric;
import io.camunit.report.AtomicFile;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One metric's per-sample values for one model version, stored so that a later model can be
 * compared with it sample by sample ({@link Regression}): by the AssertJ assertion
 * {@code doesNotRegressFrom} or by {@code camunit evaluate --baseline}. Either surface records the
 * same file ({@code assertThat(...).massInside(...).sampleValues()} or {@code evaluate --save-baselines}),
 * and either reads what the other recorded.
 *
 * <p>The file is small JSON, one per model version and metric:
 *
 * <pre>
 * {
 *   "format": 1,
 *   "model": "shapes-clean@1",
 *   "metric": "mass-inside",
 *   "method": "grad-cam",
 *   "layers": ["features.10"],
 *   "samples": {"images/0001.png": 0.2295, "images/0002.png": 0.3117}
 * }
 * </pre>
 *
 * {@code format} is 1; {@code model} is free text naming the model version; {@code metric} is the
 * metric's name from camunit's one vocabulary ({@link SampleMetric#parse}: {@code mass-inside},
 * {@code peak-inside}, {@code top-10-inside}, ...; an unknown name is refused when loading); {@code method} is a
 * {@link io.camunit.explain.Method} id; {@code layers} the explained layers; {@code samples} maps
 * sample ids to values. Samples whose value could not be computed when recording are left out (a
 * later comparison lists them as missing from the baseline).
 *
 * <pre>{@code
 * // once, for the accepted model
 * Baseline.record("shapes-clean@1", assertThat(explained).massInside(LabeledSample::region).sampleValues())
 *         .save(Path.of("src/test/resources/baselines/mass-inside.json"));
 * // in the test of every later model
 * assertThat(candidate).massInside(LabeledSample::region)
 *         .doesNotRegressFrom(Baseline.load(Path.of("src/test/resources/baselines/mass-inside.json")), 0.05);
 * }</pre>
 */
public final class Baseline {

    /** The file format version written and read. */
    public static final int FORMAT = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private final String model;
    private final String metric;
    private final String method;
    private final List<String> layers;
    private final Map<String, Double> samples;
    private final Path source;

    private Baseline(String model, String metric, String method, List<String> layers, Map<String, Double> samples,
            Path source) {
        this.model = Objects.requireNonNull(model, "model");
        this.metric = Objects.requireNonNull(metric, "metric");
        this.method = Objects.requireNonNull(method, "method");
        this.layers = List.copyOf(layers);
        this.samples = Collections.unmodifiableMap(new LinkedHashMap<>(samples));
        this.source = source;
    }

    /**
     * @param modelVersion the model version, e.g. {@code shapes-clean@1}
     * @param metric the metric's name
     * @param method the CAM method's id
     * @param layers the explained layers
     * @param samples value per sample id, in order
     * @return the baseline, not yet saved
     */
    public static Baseline record(String modelVersion, String metric, String method, List<String> layers,
            Map<String, Double> samples) {
        return new Baseline(modelVersion, SampleMetric.parse(metric).name(), method, layers, samples, null);
    }

    /**
     * The values of one metric over a data set, e.g.
     * {@code assertThat(explained).massInside(LabeledSample::region).sampleValues()} or one method's
     * column of {@code camunit evaluate}. Samples without a value are left out.
     *
     * @param modelVersion the model version
     * @param values the per-sample values, with the method and layers that explained them
     * @return the baseline
     * @throws CamunitException when there are no samples
     */
    public static Baseline record(String modelVersion, SampleValues values) {
        if (values.values().isEmpty()) {
            throw new CamunitException("Cannot record a " + values.metric() + " baseline of " + modelVersion
                    + " from no samples.");
        }
        Map<String, Double> byId = new LinkedHashMap<>();
        for (SampleValue v : values.values()) {
            if (v.hasValue()) {
                byId.put(v.id(), v.value());
            }
        }
        return record(modelVersion, values.metric(), values.method(), values.layers(), byId);
    }

    /** @return the model version */
    public String model() {
        return model;
    }

    /** @return the metric's name */
    public String metric() {
        return metric;
    }

    /** @return the CAM method's id */
    public String method() {
        return method;
    }

    /** @return the explained layers */
    public List<String> layers() {
        return layers;
    }

    /** @return value per sample id, in recorded order */
    public Map<String, Double> samples() {
        return samples;
    }

    /** @return where it was loaded from or saved to, or {@code (not saved)}, for messages */
    public String origin() {
        return source == null ? "(not saved)" : source.toString();
    }

    /**
     * Writes the file atomically ({@link AtomicFile}: a temporary file in the same directory, then a
     * rename), so a crashed or concurrent run never leaves half a baseline behind.
     *
     * @param path the file to write; its parent directories are created
     * @return this baseline, remembering the path for messages
     */
    public Baseline save(Path path) {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("model", model);
        json.addProperty("metric", metric);
        json.addProperty("method", method);
        JsonArray layerArray = new JsonArray();
        layers.forEach(layerArray::add);
        json.add("layers", layerArray);
        JsonObject values = new JsonObject();
        samples.forEach(values::addProperty);
        json.add("samples", values);
        AtomicFile.writeString(path, GSON.toJson(json) + "\n");
        return new Baseline(model, metric, method, layers, samples, path);
    }

    /**
     * @param path a baseline file
     * @return the baseline
     * @throws CamunitException naming the file and the field when it is unreadable or malformed
     */
    public static Baseline load(Path path) {
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(path, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw malformed(path, "(top level)", "a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (IOException e) {
            throw new CamunitException("Cannot read baseline " + path + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new CamunitException("Baseline " + path + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonElement format = json.get("format");
        if (format == null || !format.isJsonPrimitive() || !format.getAsJsonPrimitive().isNumber()
                || format.getAsDouble() != FORMAT) {
            throw malformed(path, "format", FORMAT + " (this version of camunit reads format " + FORMAT + ")");
        }
        List<String> layers = new ArrayList<>();
        JsonElement layerArray = json.get("layers");
        if (layerArray == null || !layerArray.isJsonArray()) {
            throw malformed(path, "layers", "an array of layer names");
        }
        for (JsonElement l : layerArray.getAsJsonArray()) {
            if (!l.isJsonPrimitive() || !l.getAsJsonPrimitive().isString()) {
                throw malformed(path, "layers", "an array of layer names");
            }
            layers.add(l.getAsString());
        }
        JsonElement sampleObject = json.get("samples");
        if (sampleObject == null || !sampleObject.isJsonObject()) {
            throw malformed(path, "samples", "an object of sample id to number");
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : sampleObject.getAsJsonObject().entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw malformed(path, "samples." + e.getKey(), "a number");
            }
            samples.put(e.getKey(), v.getAsDouble());
        }
        return new Baseline(text(json, "model", path), metricName(text(json, "metric", path), path),
                text(json, "method", path), layers, samples, path);
    }

    /**
     * Checks that this baseline was recorded for what is being compared with it.
     *
     * @param metric the candidate's metric
     * @param method the candidate's method id
     * @param layers the candidate's layers
     * @throws CamunitException naming the file and the field that differs
     */
    public void requireMatches(String metric, String method, List<String> layers) {
        mismatch("metric", this.metric, metric);
        mismatch("method", this.method, method);
        mismatch("layers", this.layers.toString(), layers.toString());
    }

    private void mismatch(String field, String recorded, String candidate) {
        if (!recorded.equals(candidate)) {
            throw new CamunitException("Baseline " + origin() + " of " + model + " does not match: field \"" + field
                    + "\" is " + recorded + " but the candidate's is " + candidate + ". Compare like with like, or"
                    + " record a baseline for " + candidate + ".");
        }
    }

    private static String text(JsonObject json, String field, Path path) {
        JsonElement v = json.get(field);
        if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString() || v.getAsString().isBlank()) {
            throw malformed(path, field, "a non-empty string");
        }
        return v.getAsString();
    }

    /** The metric's canonical name; a name outside camunit's vocabulary is refused, naming the file. */
    private static String metricName(String written, Path path) {
        try {
            return SampleMetric.parse(written).name();
        } catch (CamunitException e) {
            throw new CamunitException("Baseline " + path + " is malformed: field \"metric\" must be a metric name"
                    + " camunit knows; " + e.getMessage(), e);
        }
    }

    private static CamunitException malformed(Path path, String field, String expected) {
        return new CamunitException("Baseline " + path + " is malformed: field \"" + field + "\" must be " + expected
                + ". See the Baseline Javadoc for the format.");
    }

    @Override
    public String toString() {
        return "Baseline[" + model + ", " + metric + ", " + method + " at " + String.join("+", layers) + ", "
                + samples.size() + " samples]";
    }
}
