package io.camunit.region;

import static io.camunit.region.JsonFields.array;
import static io.camunit.region.JsonFields.describe;
import static io.camunit.region.JsonFields.integer;
import static io.camunit.region.JsonFields.nonBlankString;
import static io.camunit.region.JsonFields.number;
import static io.camunit.region.JsonFields.object;
import static io.camunit.region.JsonFields.optional;
import static io.camunit.region.JsonFields.required;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * COCO instances files: {@code categories} (id to name), {@code images} (id, file_name, width,
 * height, optional {@code shortcut_mark}) and {@code annotations} (image_id, category_id, bbox,
 * segmentation as polygons, uncompressed or compressed RLE, iscrowd). See {@link DatasetFormats}.
 */
final class CocoReader {

    private CocoReader() {}

    private static final class Image {
        final String fileName;
        final int width;
        final int height;
        final Optional<Region> distractor;
        final Where where;
        final List<LabeledObject> objects = new ArrayList<>();

        Image(String fileName, int width, int height, Optional<Region> distractor, Where where) {
            this.fileName = fileName;
            this.width = width;
            this.height = height;
            this.distractor = distractor;
            this.where = where;
        }
    }

    static LabeledDataset read(Path file, JsonObject root, DatasetOptions options) {
        Where top = Where.in(file);
        Map<Long, String> categories = categories(array(required(root, "categories", top), top.child("categories")),
                top.child("categories"));
        Checks.ClassList classes = new Checks.ClassList(options.classNames());
        Where catWhere = top.child("categories");
        int c = 0;
        for (String name : categories.values()) {
            classes.accept(name, catWhere.index(c++).child("name"));
        }

        Where imagesWhere = top.child("images");
        JsonArray images = array(required(root, "images", top), imagesWhere);
        Map<Long, Image> byId = new LinkedHashMap<>();
        Map<Long, Integer> indexOfId = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            Where w = imagesWhere.index(i);
            JsonObject o = object(images.get(i), w);
            long id = integer(required(o, "id", w), w.child("id"));
            String fileName = nonBlankString(required(o, "file_name", w), w.child("file_name"));
            int width = JsonFields.size(required(o, "width", w), w.child("width"));
            int height = JsonFields.size(required(o, "height", w), w.child("height"));
            Checks.imageSize(width, height, w);
            Optional<Region> mark = Optional.empty();
            JsonElement markJson = optional(o, "shortcut_mark");
            if (markJson != null) {
                mark = Optional.of(box(markJson, width, height, w.child("shortcut_mark")));
            }
            Integer previous = indexOfId.put(id, i);
            if (previous != null) {
                throw w.child("id").fail("a unique image id", "id " + id + ", which images[" + previous + "] has too",
                        "Give every image its own id");
            }
            byId.put(id, new Image(fileName, width, height, mark, w));
        }

        Where annWhere = top.child("annotations");
        JsonArray annotations = array(required(root, "annotations", top), annWhere);
        for (int i = 0; i < annotations.size(); i++) {
            Where w = annWhere.index(i);
            JsonObject o = object(annotations.get(i), w);
            long imageId = integer(required(o, "image_id", w), w.child("image_id"));
            Image image = byId.get(imageId);
            if (image == null) {
                throw w.child("image_id").fail("the id of an entry in images", "image_id " + imageId
                        + ", which no image has", "Fix the image_id or add the image entry");
            }
            long categoryId = integer(required(o, "category_id", w), w.child("category_id"));
            String label = categories.get(categoryId);
            if (label == null) {
                throw w.child("category_id").fail("one of the category ids " + categories.keySet(), "category_id "
                        + categoryId, "Fix the category_id or add the category to categories");
            }
            boolean crowd = false;
            JsonElement crowdJson = optional(o, "iscrowd");
            if (crowdJson != null) {
                long flag = integer(crowdJson, w.child("iscrowd"));
                if (flag != 0 && flag != 1) {
                    throw w.child("iscrowd").fail("0 or 1", String.valueOf(flag), "Fix the flag");
                }
                crowd = flag == 1;
            }
            JsonElement bboxJson = optional(o, "bbox");
            Box box = bboxJson == null ? null : box(bboxJson, image.width, image.height, w.child("bbox"));
            JsonElement segJson = optional(o, "segmentation");
            Region segmentation = segJson == null ? null : segmentation(segJson, image, w.child("segmentation"));
            if (box == null && segmentation == null) {
                throw w.fail("a bbox or a segmentation", "neither (fields are " + o.keySet() + ")",
                        "Add the object's bbox [x, y, w, h] or its segmentation");
            }
            Region region = options.prefer() == DatasetOptions.Prefer.BOX
                    ? (box != null ? box : segmentation)
                    : (segmentation != null ? segmentation : box);
            if (!crowd || options.includeCrowd()) {
                // The bbox is kept next to a segmentation: a detector's box target is matched with it.
                image.objects.add(new LabeledObject(label, region, java.util.Optional.ofNullable(box)));
            }
        }

        Path directory = options.imageDirectory().orElse(parentOf(file));
        List<LabeledSample> samples = new ArrayList<>(byId.size());
        for (Image image : byId.values()) {
            Path path = Checks.resolve(directory, directory, image.fileName, image.where.child("file_name"), options);
            samples.add(new LabeledSample(image.fileName, path, image.width, image.height, image.objects,
                    image.distractor));
        }
        return new Dataset(file, "COCO", classes.classes(), samples);
    }

    /** The directory of a file, also for a bare file name such as {@code coco.json}. */
    static Path parentOf(Path file) {
        return file.toAbsolutePath().normalize().getParent();
    }

    private static Map<Long, String> categories(JsonArray array, Where where) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            Where w = where.index(i);
            JsonObject o = object(array.get(i), w);
            long id = integer(required(o, "id", w), w.child("id"));
            String name = nonBlankString(required(o, "name", w), w.child("name"));
            if (out.put(id, name) != null) {
                throw w.child("id").fail("a unique category id", "id " + id + " a second time",
                        "Give every category its own id");
            }
        }
        return out;
    }

    private static Box box(JsonElement json, int width, int height, Where where) {
        double[] v = numbers(json, where, "[x, y, w, h]");
        if (v.length != 4) {
            throw where.fail("4 numbers [x, y, w, h]", describe(json), "Fix the box");
        }
        return Checks.box(v[0], v[1], v[2], v[3], width, height, where, json.toString());
    }

    private static double[] numbers(JsonElement json, Where where, String what) {
        JsonArray a = array(json, where);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement e = a.get(i);
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw where.index(i).fail("a number (of " + what + ")", describe(e), "Fix the value's type");
            }
            out[i] = number(e, where.index(i));
        }
        return out;
    }

    /** @return the region, or null for an empty polygon list (then the bbox is used) */
    private static Region segmentation(JsonElement json, Image image, Where where) {
        if (json.isJsonArray()) {
            JsonArray list = json.getAsJsonArray();
            if (list.isEmpty()) {
                return null;
            }
            if (!list.get(0).isJsonArray()) {
                throw where.fail("a list of polygons (a list of lists of numbers)", describe(json),
                        list.get(0).isJsonPrimitive() && list.get(0).getAsJsonPrimitive().isNumber()
                                ? "A single polygon must still be wrapped in a list: [[x1, y1, x2, y2, ...]]"
                                : "Fix the segmentation");
            }
            List<double[]> parts = new ArrayList<>();
            for (int p = 0; p < list.size(); p++) {
                Where part = where.index(p);
                double[] xy = numbers(list.get(p), part, "a polygon");
                Polygon.checkPart(xy, part);
                Checks.polygonInside(xy, image.width, image.height, part);
                parts.add(xy);
            }
            return Polygon.ofParts(parts, where);
        }
        if (json.isJsonObject()) {
            JsonObject rle = json.getAsJsonObject();
            Where sizeWhere = where.child("size");
            double[] size = numbers(required(rle, "size", where), sizeWhere, "[h, w]");
            if (size.length != 2 || size[0] != image.height || size[1] != image.width) {
                throw sizeWhere.fail("[h, w] = [" + image.height + ", " + image.width + "], the height and width of"
                        + " its image " + image.fileName, rle.get("size").toString(),
                        "An RLE must have its image's size; fix the size or the image_id");
            }
            Where countsWhere = where.child("counts");
            JsonElement counts = required(rle, "counts", where);
            if (counts.isJsonPrimitive() && counts.getAsJsonPrimitive().isString()) {
                return Rle.fromString(counts.getAsString(), image.height, image.width, countsWhere);
            }
            if (counts.isJsonArray()) {
                JsonArray a = counts.getAsJsonArray();
                int[] runs = new int[a.size()];
                for (int i = 0; i < runs.length; i++) {
                    long v = integer(a.get(i), countsWhere.index(i));
                    if (v < 0 || v > Integer.MAX_VALUE) {
                        throw countsWhere.index(i).fail("a run length >= 0", String.valueOf(v), "Fix the RLE counts");
                    }
                    runs[i] = (int) v;
                }
                return Rle.fromCounts(runs, image.height, image.width, countsWhere);
            }
            throw countsWhere.fail("a list of run lengths (uncompressed RLE) or a string (compressed RLE)",
                    describe(counts), "Fix the counts");
        }
        throw where.fail("a list of polygons or an RLE object {counts, size}", describe(json), "Fix the segmentation");
    }
}
