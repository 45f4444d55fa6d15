package io.camunit.region;

import static io.camunit.region.JsonFields.describe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.camunit.CamunitException;
import io.camunit.model.ImageSize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Manifests: one entry per object, {@code image, label, box | mask}, as CSV (header
 * {@code image,label,box,mask}, box {@code x;y;w;h}) or as a JSON array of
 * {@code {"image", "label", "box": [x, y, w, h], "mask"}}. See {@link DatasetFormats}.
 */
final class ManifestReader {

    static final Set<String> COLUMNS = Set.of("image", "label", "box", "mask", "width", "height");

    private ManifestReader() {}

    /** One object (or, without a label, an image without objects), as written. */
    private record Row(Where where, boolean csv, String image, String label, double[] box, String boxShown,
            String mask, Integer width, Integer height) {

        /** CSV fields are named "line 7, column box", JSON ones "[6].box". */
        Where field(String name) {
            return csv ? where.at(where.field() + ", column " + name) : where.child(name);
        }
    }

    static LabeledDataset readCsv(Path file, DatasetOptions options) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CamunitException("Annotation file " + file + " does not exist. Check the path.", e);
        } catch (IOException e) {
            throw new CamunitException("Cannot read manifest " + file + ": " + e.getMessage()
                    + ". Expected a UTF-8 CSV file.", e);
        }
        List<Csv.Record> records = Csv.parse(text, Where.in(file));
        Where top = Where.in(file);
        if (records.isEmpty()) {
            throw top.at("line 1").fail("a header line image,label,box,mask", "an empty file",
                    "Write the header, then one line per object");
        }
        Csv.Record header = records.get(0);
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int c = 0; c < header.fields().size(); c++) {
            String name = header.fields().get(c).trim().toLowerCase(Locale.ROOT);
            Where w = top.at("line " + header.line() + ", column " + (c + 1));
            if (!COLUMNS.contains(name)) {
                throw w.fail("one of the columns image, label, box, mask, width, height", "'" + name + "'",
                        "Rename or remove the column");
            }
            if (columns.put(name, c) != null) {
                throw w.fail("each column once", "'" + name + "' twice", "Remove the duplicate column");
            }
        }
        Where headerWhere = top.at("line " + header.line());
        if (!columns.containsKey("image") || !columns.containsKey("label")
                || !columns.containsKey("box") && !columns.containsKey("mask")) {
            throw headerWhere.fail("a header with image, label and box or mask (e.g. image,label,box,mask)",
                    String.join(",", header.fields()), "Fix the header line");
        }
        if (columns.containsKey("width") != columns.containsKey("height")) {
            throw headerWhere.fail("both width and height columns, or neither", String.join(",", header.fields()),
                    "Add the missing column");
        }
        List<Row> rows = new ArrayList<>();
        for (Csv.Record r : records.subList(1, records.size())) {
            if (r.fields().size() != header.fields().size()) {
                throw top.at("line " + r.line()).fail(header.fields().size() + " fields like the header",
                        r.fields().size() + " fields", "Quote values that contain commas, and fill every column");
            }
            Function<String, String> get = name -> columns.containsKey(name)
                    ? r.fields().get(columns.get(name)).trim() : "";
            Function<String, Where> at = name -> top.at("line " + r.line() + ", column " + name);
            String image = get.apply("image");
            if (image.isEmpty()) {
                throw at.apply("image").fail("an image path", "an empty value", "Fill in the image path");
            }
            double[] box = null;
            String boxText = get.apply("box");
            if (!boxText.isEmpty()) {
                box = parseBox(boxText, at.apply("box"));
            }
            Integer width = null;
            Integer height = null;
            // Both empty: this row's image size is read from the image header.
            if (!get.apply("width").isEmpty() || !get.apply("height").isEmpty()) {
                width = parseSize(get.apply("width"), at.apply("width"));
                height = parseSize(get.apply("height"), at.apply("height"));
                Checks.imageSize(width, height, top.at("line " + r.line()));
            }
            String mask = get.apply("mask");
            rows.add(new Row(top.at("line " + r.line()), true, image, get.apply("label"), box, "'" + boxText + "'",
                    mask.isEmpty() ? null : mask, width, height));
        }
        return build(file, "CSV manifest", rows, options);
    }

    static LabeledDataset readJson(Path file, JsonArray array, DatasetOptions options) {
        Where top = Where.in(file);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            Where w = top.index(i);
            JsonObject o = JsonFields.object(array.get(i), w);
            for (String key : o.keySet()) {
                if (!COLUMNS.contains(key)) {
                    throw w.child(key).fail("only the fields image, label, box, mask, width, height", "a field \""
                            + key + "\"", "Rename or remove the field");
                }
            }
            String image = JsonFields.nonBlankString(JsonFields.required(o, "image", w), w.child("image"));
            JsonElement labelJson = JsonFields.optional(o, "label");
            String label = labelJson == null ? "" : JsonFields.string(labelJson, w.child("label")).trim();
            double[] box = null;
            String boxShown = "";
            JsonElement boxJson = JsonFields.optional(o, "box");
            if (boxJson != null) {
                JsonArray a = JsonFields.array(boxJson, w.child("box"));
                if (a.size() != 4) {
                    throw w.child("box").fail("4 numbers [x, y, w, h]", describe(boxJson), "Fix the box");
                }
                box = new double[4];
                for (int k = 0; k < 4; k++) {
                    box[k] = JsonFields.number(a.get(k), w.child("box").index(k));
                }
                boxShown = boxJson.toString();
            }
            JsonElement maskJson = JsonFields.optional(o, "mask");
            String mask = maskJson == null ? null : JsonFields.nonBlankString(maskJson, w.child("mask"));
            JsonElement widthJson = JsonFields.optional(o, "width");
            JsonElement heightJson = JsonFields.optional(o, "height");
            if ((widthJson == null) != (heightJson == null)) {
                throw w.fail("both width and height, or neither", "only " + (widthJson == null ? "height" : "width"),
                        "Add the missing field");
            }
            Integer width = widthJson == null ? null : JsonFields.size(widthJson, w.child("width"));
            Integer height = heightJson == null ? null : JsonFields.size(heightJson, w.child("height"));
            if (width != null) {
                Checks.imageSize(width, height, w);
            }
            rows.add(new Row(w, false, image, label, box, boxShown, mask, width, height));
        }
        return build(file, "JSON manifest", rows, options);
    }

    private static double[] parseBox(String text, Where where) {
        String[] parts = text.split(";", -1);
        String shown = "'" + text + "'";
        if (parts.length != 4) {
            throw where.fail("4 numbers x;y;w;h (COCO convention: left, top, width, height)", shown, "Fix the box");
        }
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw where.fail("4 numbers x;y;w;h (COCO convention: left, top, width, height)", shown,
                        "Fix the box", e);
            }
        }
        return out;
    }

    private static Integer parseSize(String text, Where where) {
        try {
            double v = Double.parseDouble(text);
            if (v == Math.rint(v) && v >= 1 && v <= JsonFields.ABSURD) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            throw where.fail("a whole number of pixels", "'" + text + "'", "Fix the size, or leave both width and"
                    + " height out to read the size from the image", e);
        }
        throw where.fail("a whole number of pixels from 1 to " + (long) JsonFields.ABSURD, "'" + text + "'",
                "Fix the size");
    }

    private static final class Group {
        final String id;
        final Path image;
        final Row first;
        final List<Row> rows = new ArrayList<>();

        Group(String id, Path image, Row first) {
            this.id = id;
            this.image = image;
            this.first = first;
        }
    }

    private static LabeledDataset build(Path file, String format, List<Row> rows, DatasetOptions options) {
        Path manifestDir = CocoReader.parentOf(file);
        Path imageDir = options.imageDirectory().orElse(manifestDir);
        Map<Path, Group> groups = new LinkedHashMap<>();
        for (Row row : rows) {
            Path image = Checks.resolve(imageDir, imageDir, row.image(), row.field("image"), options);
            groups.computeIfAbsent(image, p -> new Group(row.image(), p, row)).rows.add(row);
        }
        Checks.ClassList classes = new Checks.ClassList(options.classNames());
        List<LabeledSample> samples = new ArrayList<>(groups.size());
        for (Group g : groups.values()) {
            int[] size = size(g, file);
            List<LabeledObject> objects = new ArrayList<>();
            for (Row row : g.rows) {
                Optional<Region> region = region(row, size, manifestDir, file, options);
                if (row.label().isEmpty()) {
                    if (region.isPresent()) {
                        throw row.field("label").fail("a label for the box or mask", "an empty label",
                                "Fill in the class name (leave box and mask empty for an image without objects)");
                    }
                    continue;
                }
                String label = classes.accept(row.label(), row.field("label"));
                if (region.isEmpty()) {
                    throw row.where().fail("a box or a mask for the object '" + label + "'", "neither",
                            "Add the box x;y;w;h or the mask path");
                }
                objects.add(new LabeledObject(label, region.get()));
            }
            samples.add(new LabeledSample(g.id, g.image, size[0], size[1], objects, Optional.empty()));
        }
        return new Dataset(file, format, classes.classes(), samples);
    }

    private static int[] size(Group g, Path file) {
        Row sized = null;
        for (Row r : g.rows) {
            if (r.width() == null) {
                continue;
            }
            if (sized == null) {
                sized = r;
            } else if (!r.width().equals(sized.width()) || !r.height().equals(sized.height())) {
                throw r.where().fail("the size " + ImageSize.format(sized.width(), sized.height()) + " given for " + g.id
                        + " at " + sized.where().field(), ImageSize.format(r.width(), r.height()),
                        "Give every row of an image the same width and height");
            }
        }
        if (sized != null) {
            return new int[] {sized.width(), sized.height()};
        }
        // The manifest records no size: only the image header has it (read without decoding pixels).
        return ImageHeader.size(g.image, file.getFileName() + " " + g.first.where().field() + " (the manifest has"
                + " no width/height)");
    }

    private static Optional<Region> region(Row row, int[] size, Path manifestDir, Path file,
            DatasetOptions options) {
        Region box = null;
        if (row.box() != null) {
            double[] b = row.box();
            box = Checks.box(b[0], b[1], b[2], b[3], size[0], size[1], row.field("box"), row.boxShown());
        }
        Region mask = null;
        if (row.mask() != null) {
            Path path = Checks.resolve(manifestDir, manifestDir, row.mask(), row.field("mask"), options);
            mask = MaskFile.forObject(path, row.label(), options.classNames(), options.maskThreshold(),
                    file.getFileName() + " " + row.where().field());
        }
        Region chosen = options.prefer() == DatasetOptions.Prefer.BOX
                ? (box != null ? box : mask)
                : (mask != null ? mask : box);
        return Optional.ofNullable(chosen);
    }

    /** A small RFC 4180 reader: quoted fields may hold commas, quotes ("") and line breaks. */
    static final class Csv {
        record Record(int line, List<String> fields) {}

        private Csv() {}

        static List<Record> parse(String text, Where where) {
            List<Record> out = new ArrayList<>();
            int i = text.startsWith("\uFEFF") ? 1 : 0;
            int line = 1;
            while (i < text.length()) {
                int start = line;
                List<String> fields = new ArrayList<>();
                StringBuilder field = new StringBuilder();
                boolean end = false;
                while (!end) {
                    if (i < text.length() && text.charAt(i) == '"') {
                        i++;
                        int quoteLine = line;
                        while (true) {
                            if (i >= text.length()) {
                                throw where.at("line " + quoteLine).fail("a closing quote", "the end of the file",
                                        "Close the quoted value with \"");
                            }
                            char c = text.charAt(i++);
                            if (c == '"') {
                                if (i < text.length() && text.charAt(i) == '"') {
                                    field.append('"');
                                    i++;
                                } else {
                                    break;
                                }
                            } else {
                                if (c == '\n') {
                                    line++;
                                }
                                field.append(c);
                            }
                        }
                    }
                    while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\n'
                            && text.charAt(i) != '\r') {
                        field.append(text.charAt(i++));
                    }
                    fields.add(field.toString());
                    field.setLength(0);
                    if (i >= text.length()) {
                        end = true;
                    } else if (text.charAt(i) == ',') {
                        i++;
                    } else {
                        if (text.charAt(i) == '\r') {
                            i++;
                        }
                        if (i < text.length() && text.charAt(i) == '\n') {
                            i++;
                        }
                        line++;
                        end = true;
                    }
                }
                boolean blank = fields.size() == 1 && fields.get(0).isBlank();
                if (!blank) {
                    out.add(new Record(start, fields));
                }
            }
            return out;
        }
    }
}
