package io.camunit.report;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explanation;
import io.camunit.gate.ClassCount;
import io.camunit.metric.Decimals;
import io.camunit.metric.MassInside;
import io.camunit.metric.PeakInside;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns {@link Evidence} into the files a reader opens:
 *
 * <ul>
 *   <li>one sample: {@code overlay <id>} (PNG: {@link EvidencePicture} with the region, the
 *       distractor, the peak and a caption of method, layers, target, score, model and metric),
 *       {@code heatmap <id>} (the raw map, {@link Explanation#raw()}, as float32 {@code .npy} of
 *       the model's input size) and {@code metrics <id>} (JSON);</li>
 *   <li>a data-set gate: {@code worst N of M <metric>} (PNG contact sheet of the N worst samples,
 *       worst first, {@value #COLUMNS} per row), {@code per class <metric>} (CSV: class, samples,
 *       passed, pass_rate, mean, missing, then an {@code (all)} row) and {@code metrics <metric> gate}
 *       (JSON);</li>
 *   <li>explanations a test computed: for one, the sample's three files; for several, a contact
 *       sheet of the first N and a JSON list of all.</li>
 * </ul>
 *
 * <pre>{@code
 * for (Attachment a : EvidenceAttachments.of(evidence, EvidenceAttachments.DEFAULT_WORST)) {
 *     sink.attach(a);
 * }
 * }</pre>
 *
 * <p>Pictures are magnified by an integer factor so that the longer side reaches about
 * {@value #PICTURE_TARGET} px (at most 4 times); contact-sheet cells are as large as the largest
 * image shown, within {@value #MIN_CELL} to {@value #MAX_CELL} px. A sample whose image is not known (its explanation did
 * not come from a listened-to explainer) is drawn over mid-grey, and its caption says so.
 */
public final class EvidenceAttachments {

    /** How many samples a contact sheet shows unless configured otherwise. */
    public static final int DEFAULT_WORST = 12;
    /** Cells per row of a contact sheet. */
    public static final int COLUMNS = 4;
    /** Largest cell side of a contact sheet, in pixels. */
    public static final int MAX_CELL = 160;
    /** Smallest cell side of a contact sheet, in pixels, so that captions fit under small images. */
    public static final int MIN_CELL = 96;
    /** The longer side a single-sample picture is magnified towards, in pixels. */
    public static final int PICTURE_TARGET = 384;

    private EvidenceAttachments() {}

    /**
     * @param evidence the evidence
     * @param worst how many samples a contact sheet shows, at least 1
     * @return the files, in the order listed above
     * @throws CamunitException when an image cannot be read
     */
    public static List<Attachment> of(Evidence evidence, int worst) {
        if (worst < 1) {
            throw new IllegalArgumentException("A contact sheet shows at least 1 sample; got " + worst);
        }
        if (evidence instanceof SampleEvidence s) {
            return sample(s, "");
        }
        if (evidence instanceof DatasetEvidence d) {
            return dataset(d, worst);
        }
        ExplainedEvidence x = (ExplainedEvidence) evidence;   // the interface is sealed to these three
        return x.all().size() == 1 ? sample(x.shown().get(0), "explained ") : explained(x, worst);
    }

    // --- one sample --------------------------------------------------------------------------------

    private static List<Attachment> sample(SampleEvidence e, String prefix) {
        String id = e.explanation().sampleId();
        io.camunit.heatmap.Heatmap raw = e.explanation().raw();
        return List.of(
                new Attachment(prefix + "overlay " + id, Attachment.PNG, "png", Png.bytes(picture(e))),
                new Attachment(prefix + "heatmap " + id + " (raw, " + raw.width() + "x" + raw.height() + ")",
                        Attachment.NPY, "npy", Npy.toBytes(raw)),
                new Attachment(prefix + "metrics " + id, Attachment.JSON, "json", json(sampleJson(e))));
    }

    /**
     * @param e a sample's evidence
     * @return its picture: overlay, region, distractor, peak, colour bar and caption
     */
    public static BufferedImage picture(SampleEvidence e) {
        Explanation x = e.explanation();
        Optional<InputImage> image = image(e);
        List<String> notes = new ArrayList<>();
        e.model().ifPresent(m -> notes.add("model " + m));
        e.metric().ifPresent(m -> notes.add(m.describe()));
        if (image.isEmpty()) {
            notes.add("image unknown: grey");
        }
        return EvidencePicture.builder()
                .setImage(image.orElseGet(() -> grey(x)))
                .setExplanation(x)
                .optRegion(e.region().orElse(null))
                .optDistractor(e.sample().flatMap(LabeledSample::distractor).orElse(null))
                .optMetricLine(notes.isEmpty() ? null : String.join(" | ", notes))
                .optScale(scale(x.imageWidth(), x.imageHeight()))
                .build()
                .render();
    }

    /**
     * @param width an image's width
     * @param height its height
     * @return the magnification of its picture: {@code PICTURE_TARGET / max(width, height)}, within [1, 4]
     */
    public static int scale(int width, int height) {
        return Math.max(1, Math.min(4, PICTURE_TARGET / Math.max(width, height)));
    }

    private static Optional<InputImage> image(SampleEvidence e) {
        return e.image().or(() -> e.sample().map(LabeledSample::image));
    }

    private static InputImage grey(Explanation x) {
        BufferedImage g = new BufferedImage(x.imageWidth(), x.imageHeight(), BufferedImage.TYPE_INT_RGB);
        Draw.fill(g, 0x808080);
        return InputImage.of(x.sampleId(), g);
    }

    static JsonObject sampleJson(SampleEvidence e) {
        Explanation x = e.explanation();
        JsonObject o = new JsonObject();
        o.addProperty("kind", "sample");
        o.addProperty("sample", x.sampleId());
        o.add("label", e.sample().map(s -> (JsonElement) new JsonPrimitive(String.join("+", s.labels())))
                .orElse(JsonNull.INSTANCE));
        describeExplanation(o, x, e.model());
        Optional<MetricValue> m = e.metric();
        o.add("metric", string(m.map(MetricValue::name)));
        o.add("value", number(m.map(MetricValue::value).orElse(OptionalDouble.empty())));
        o.add("condition", string(m.map(MetricValue::condition)));
        o.add("threshold", number(m.map(MetricValue::threshold).orElse(OptionalDouble.empty())));
        o.add("note", string(m.flatMap(MetricValue::note)));
        o.add("region", e.region().map(r -> region(r, x)).orElse(JsonNull.INSTANCE));
        o.add("distractor", e.sample().flatMap(LabeledSample::distractor).map(r -> region(r, x))
                .orElse(JsonNull.INSTANCE));
        if (x.isDegenerate()) {
            o.add("peak", JsonNull.INSTANCE);
        } else {
            int[] p = PeakInside.peak(x.raw(), x.imageWidth(), x.imageHeight());
            o.add("peak", array(p[0], p[1]));
        }
        o.add("mass_inside", number(e.region().map(r -> massInside(x, r)).orElse(OptionalDouble.empty())));
        JsonObject map = new JsonObject();
        map.addProperty("map", "raw");
        map.addProperty("width", x.raw().width());
        map.addProperty("height", x.raw().height());
        o.add("heatmap", map);
        o.addProperty("image_known", image(e).isPresent());
        return o;
    }

    private static void describeExplanation(JsonObject o, Explanation x, Optional<String> model) {
        o.add("model", string(model));
        o.addProperty("method", x.method().id());
        o.add("layers", strings(x.layers()));
        o.addProperty("target", x.targetLabel());
        o.addProperty("target_class", x.targetClass());
        o.addProperty("predicted_class", x.predictedClass());
        o.addProperty("score", x.score());
        x.match().ifPresent(m -> o.addProperty("match", m));
    }

    private static OptionalDouble massInside(Explanation x, Region r) {
        Mask mask = r.toMask(x.imageWidth(), x.imageHeight());
        return x.isDegenerate() || mask.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(MassInside.of(x.raw(), mask));
    }

    private static JsonElement region(Region r, Explanation x) {
        Mask mask = r.toMask(x.imageWidth(), x.imageHeight());
        JsonObject o = new JsonObject();
        o.addProperty("description", r.describe());
        o.addProperty("pixels", mask.area());
        if (mask.isEmpty()) {
            o.add("bounds", JsonNull.INSTANCE);
        } else {
            io.camunit.region.Box b = mask.boundingBox();
            o.add("bounds", array((int) b.x(), (int) b.y(), (int) b.width(), (int) b.height()));
        }
        o.addProperty("image_width", x.imageWidth());
        o.addProperty("image_height", x.imageHeight());
        return o;
    }

    // --- a data-set gate -----------------------------------------------------------------------------

    private static List<Attachment> dataset(DatasetEvidence d, int worst) {
        List<DatasetEvidence.WorstSample> shown = d.worst().subList(0, Math.min(worst, d.worst().size()));
        List<ContactSheet.Entry> cells = new ArrayList<>();
        for (DatasetEvidence.WorstSample w : shown) {
            ExplainedSample x = w.explained();
            SampleEvidence s = new SampleEvidence(x.explanation(), Optional.of(x.sample().region()), Optional.empty(),
                    w.result().model(), Optional.of(x.sample()), Optional.empty());
            OptionalDouble v = w.result().value();
            String value = v.isPresent() ? MetricValue.format(v.getAsDouble()) : "no value";
            cells.add(new ContactSheet.Entry(pictureArea(s), fileName(x.sample().id()) + " " + value));
        }
        int total = d.values().size();
        String title = d.gate() + ": " + d.outcome() + "; " + shown.size() + " worst of " + total;
        String sheetName = "worst " + shown.size() + " of " + total + " " + d.metric();
        return List.of(
                new Attachment(sheetName, Attachment.PNG, "png", Png.bytes(sheet(title, cells))),
                new Attachment("per class " + d.metric(), Attachment.CSV, "csv",
                        perClassCsv(d).getBytes(StandardCharsets.UTF_8)),
                new Attachment("metrics " + d.metric() + " gate", Attachment.JSON, "json", json(datasetJson(d, shown))));
    }

    private static BufferedImage pictureArea(SampleEvidence s) {
        Explanation x = s.explanation();
        return EvidencePicture.builder().setImage(image(s).orElseGet(() -> grey(x))).setExplanation(x)
                .optRegion(s.region().orElse(null))
                .optDistractor(s.sample().flatMap(LabeledSample::distractor).orElse(null))
                .build().renderPictureArea();
    }

    /**
     * @param title the line on top
     * @param cells the cells, in order
     * @return a sheet of {@link #COLUMNS} columns whose cells fit the largest picture, within
     *     [{@link #MIN_CELL}, {@link #MAX_CELL}] per side
     */
    static BufferedImage sheet(String title, List<ContactSheet.Entry> cells) {
        int w = cells.stream().mapToInt(c -> c.picture().getWidth()).max().orElse(1);
        int h = cells.stream().mapToInt(c -> c.picture().getHeight()).max().orElse(1);
        return ContactSheet.render(title, cells, COLUMNS, cellSide(w), cellSide(h));
    }

    /**
     * @param pictureSide the largest picture's width (or height)
     * @return the cell's width (or height): the picture's, within [{@link #MIN_CELL}, {@link #MAX_CELL}]
     */
    public static int cellSide(int pictureSide) {
        return Math.max(MIN_CELL, Math.min(MAX_CELL, pictureSide));
    }

    /**
     * @param d a gate's evidence
     * @return {@code class,samples,passed,pass_rate,mean,missing}: one row per class in data-set
     *     order, then {@code (all)}; {@code mean} over the samples with a value (empty when none),
     *     numbers with 6 decimals
     */
    static String perClassCsv(DatasetEvidence d) {
        StringBuilder csv = new StringBuilder("class,samples,passed,pass_rate,mean,missing\n");
        for (ClassCount c : d.perClass()) {
            csv.append(CsvField.of(c.label())).append(',').append(c.samples()).append(',').append(c.passing()).append(',')
                    .append(Decimals.fixed(c.passRate(), 6)).append(',')
                    .append(c.mean().isPresent() ? Decimals.fixed(c.mean().getAsDouble(), 6) : "").append(',')
                    .append(c.missing()).append('\n');
        }
        return csv.toString();
    }

    private static JsonObject datasetJson(DatasetEvidence d, List<DatasetEvidence.WorstSample> shown) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", "dataset");
        o.addProperty("metric", d.metric());
        o.addProperty("gate", d.gate());
        o.addProperty("outcome", d.outcome());
        d.figures().forEach(o::addProperty);
        o.add("models", strings(d.models()));
        o.add("methods", strings(d.methods()));
        o.add("layers", strings(d.layers()));
        ClassCount all = d.all();
        o.addProperty("samples", all.samples());
        o.addProperty("passed", all.passing());
        o.addProperty("missing", all.missing());
        JsonArray perClass = new JsonArray();
        for (ClassCount f : d.perClass()) {
            if (f.label().equals(ClassCount.ALL)) {
                continue;
            }
            JsonObject c = new JsonObject();
            c.addProperty("class", f.label());
            c.addProperty("samples", f.samples());
            c.addProperty("passed", f.passing());
            c.addProperty("pass_rate", f.passRate());
            c.add("mean", number(f.mean()));
            c.addProperty("missing", f.missing());
            perClass.add(c);
        }
        o.add("per_class", perClass);
        JsonArray worst = new JsonArray();
        shown.forEach(s -> worst.add(outcome(s.result())));
        o.add("worst", worst);
        JsonArray values = new JsonArray();
        d.values().forEach(s -> values.add(outcome(s)));
        o.add("values", values);
        return o;
    }

    private static JsonObject outcome(DatasetEvidence.SampleResult s) {
        JsonObject o = new JsonObject();
        o.addProperty("sample", s.id());
        o.addProperty("label", s.label());
        o.add("model", string(s.model()));
        o.add("value", number(s.value()));
        o.addProperty("passed", s.passed());
        o.add("note", string(s.note()));
        return o;
    }

    // --- explanations of a test ----------------------------------------------------------------------

    private static List<Attachment> explained(ExplainedEvidence x, int worst) {
        List<ExplainedEvidence.Described> all = x.all();
        List<SampleEvidence> shown = x.shown().subList(0, Math.min(worst, x.shown().size()));
        List<ContactSheet.Entry> cells = new ArrayList<>();
        for (SampleEvidence s : shown) {
            cells.add(new ContactSheet.Entry(pictureArea(s), fileName(s.explanation().sampleId()) + " "
                    + s.explanation().targetLabel()));
        }
        String title = "explained " + all.size() + ": " + String.join(", ", x.methods()) + " @ "
                + String.join(", ", x.layers()) + (shown.size() < all.size() ? "; first " + shown.size() : "");
        JsonObject o = new JsonObject();
        o.addProperty("kind", "explained");
        o.addProperty("count", all.size());
        o.addProperty("shown", shown.size());
        JsonArray list = new JsonArray();
        for (ExplainedEvidence.Described d : all) {
            JsonObject e = new JsonObject();
            e.addProperty("sample", d.sample());
            e.add("model", string(d.model()));
            e.addProperty("method", d.method());
            e.add("layers", strings(d.layers()));
            e.addProperty("target", d.target());
            e.addProperty("target_class", d.targetClass());
            e.addProperty("predicted_class", d.predictedClass());
            e.addProperty("score", d.score());
            list.add(e);
        }
        o.add("explanations", list);
        return List.of(
                new Attachment("explained " + shown.size() + " of " + all.size(), Attachment.PNG, "png",
                        Png.bytes(sheet(title, cells))),
                new Attachment("explained " + all.size(), Attachment.JSON, "json", json(o)));
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static String fileName(String id) {
        int slash = Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\'));
        return id.substring(slash + 1);
    }

    private static JsonElement string(Optional<String> s) {
        return s.map(v -> (JsonElement) new JsonPrimitive(v)).orElse(JsonNull.INSTANCE);
    }

    private static JsonElement number(OptionalDouble d) {
        return d.isPresent() ? new JsonPrimitive(d.getAsDouble()) : JsonNull.INSTANCE;
    }

    private static JsonArray array(int... values) {
        JsonArray a = new JsonArray();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static byte[] json(JsonObject o) {
        return (new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(o) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
