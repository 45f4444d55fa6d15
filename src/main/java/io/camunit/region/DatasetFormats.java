package io.camunit.region;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Opens labelled data sets in the formats users already have, recognised from the path. All
 * regions are in pixels of the labelled image, with pixel {@code (i, j)} covering
 * {@code [i, i+1) x [j, j+1)} (see {@link Box}). Annotations are read and checked when the data set
 * is opened; images and mask PNGs are read when a sample asks for them, and a missing one is an
 * error naming its path then. Errors are {@link CamunitException}s naming the file, the field
 * (e.g. {@code annotations[12].segmentation.counts}), what was expected and what was found.
 *
 * <pre>{@code
 * LabeledDataset coco = DatasetFormats.open(Path.of("fixtures/shapes/test/coco.json"));
 * LabeledDataset voc = DatasetFormats.open(Path.of("fixtures/shapes/test/voc"));
 * LabeledDataset boxes = DatasetFormats.open(Path.of("labels.csv"),
 *         DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).build());
 * }</pre>
 *
 * <h2>COCO instances ({@code .json} object with {@code images}, {@code annotations}, {@code categories})</h2>
 * Sample id = {@code file_name}, resolved against the JSON's directory; size from the image entry;
 * samples in the order of {@code images}, objects in the order of {@code annotations}; labels are
 * category names; classes are the categories in file order. {@code segmentation} may be polygons
 * (list of lists; several parts are a union; rasterised exactly as pycocotools, see
 * {@link Polygon}), an uncompressed RLE ({@code counts} list) or a compressed RLE ({@code counts}
 * string), see {@link Rle}; an RLE's {@code size} must equal the image's {@code [height, width]}.
 * An empty {@code segmentation} list means "no segmentation". {@code iscrowd: 1} objects are kept
 * (see {@link DatasetOptions#includeCrowd()}). An image's {@code shortcut_mark: [x, y, w, h]} is
 * the sample's distractor.
 *
 * <h2>Manifests ({@code .csv}, or {@code .json} holding an array)</h2>
 * One entry per object: {@code image} (path relative to the manifest, or absolute; it is also the
 * sample id), {@code label}, and a {@code box} (COCO convention; {@code x;y;w;h} in CSV,
 * {@code [x, y, w, h]} in JSON) or a {@code mask} (PNG path relative to the manifest, see
 * {@link MaskFile}; a palette PNG selects the label's index and needs
 * {@link DatasetOptions#classNames()}), or both. Entries of the same image form one sample, in
 * order of first appearance; an entry with an empty label and no region is an image without
 * objects. Optional {@code width} and {@code height} give the image size; without them the size is
 * read from the image's header at open (so, for manifests without sizes, a missing image is an
 * error at open). Other columns or fields are errors (a misspelt {@code bbox} must not be ignored).
 * CSV follows RFC 4180 (quote values holding commas).
 *
 * <h2>Pascal VOC (a directory with {@code Annotations/*.xml}, else with {@code *.xml}; or one {@code .xml})</h2>
 * Read with DOCTYPEs refused (no entities, no XXE). {@code bndbox} corners are 1-based and
 * inclusive ({@link Box#voc}); {@code name} is the label; {@code size} gives the image size;
 * {@code difficult} objects are kept (see {@link DatasetOptions#includeDifficult()}); camunit's
 * {@code <shortcut_mark>} (same corners) is the distractor; {@code folder}, {@code pose},
 * {@code truncated} and {@code part}s are ignored. The image {@code filename} is searched, in this
 * order, in {@code JPEGImages/} and {@code images/} beside the directory holding the XML files,
 * then in that directory itself; the first existing file wins (when none exists the sample points
 * into {@code JPEGImages/} or {@code images/}, whichever exists, and reading it fails naming that
 * path). Sample id = the image path relative to the parent of the XML directory (e.g.
 * {@code JPEGImages/2007_000027.jpg}, or {@code images/0001.png} for the shapes fixture's
 * {@code voc/}). Files are read in name order.
 *
 * <h2>YOLO (a directory with {@code labels/})</h2>
 * {@code labels/<name>.txt} (subdirectories allowed) labels {@code images/<name>.<ext>}, ext one of
 * png, jpg, jpeg, bmp, gif, tif, tiff. Lines {@code class cx cy w h} are boxes normalised to the
 * image size; lines {@code class x1 y1 ... xn yn} (n >= 3) are polygons. Class names from
 * {@link DatasetOptions#classNames()}, else {@code classes.txt}, {@code obj.names} or
 * {@code labels/classes.txt} (first found; line 1 is class 0). Image sizes are read from the image
 * headers (without decoding pixels) at open, so a missing image is an error at open. An image
 * without a label file is a sample without objects. Sample id = image path relative to the
 * directory; samples in name order.
 */
public final class DatasetFormats {

    private DatasetFormats() {}

    /**
     * @param path an annotation file or directory
     * @return the data set, with default options
     * @throws CamunitException when the path is missing, the format unknown or the annotations bad
     */
    public static LabeledDataset open(Path path) {
        return open(path, DatasetOptions.defaults());
    }

    /**
     * @param path an annotation file or directory
     * @param options how to read it
     * @return the data set
     * @throws CamunitException when the path is missing, the format unknown or the annotations bad
     */
    public static LabeledDataset open(Path path, DatasetOptions options) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (!Files.exists(path)) {
            throw new CamunitException("Data set " + path + " does not exist. Expected a COCO .json file, a manifest"
                    + " (.csv or .json), a Pascal VOC directory or .xml file, or a YOLO directory; check the path.");
        }
        if (Files.isDirectory(path)) {
            return openDirectory(path, options);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return openJson(path, options);
        }
        if (name.endsWith(".csv")) {
            return ManifestReader.readCsv(path, options);
        }
        if (name.endsWith(".xml")) {
            return VocReader.read(path, options);
        }
        throw new CamunitException("Unknown data set format: " + path + ". Expected a COCO or manifest .json, a"
                + " manifest .csv, a Pascal VOC .xml or directory (Annotations/ or *.xml), or a YOLO directory"
                + " (labels/ and images/); found a file named '" + path.getFileName() + "'. Convert it to one of"
                + " those, or pass the directory that holds it.");
    }

    private static LabeledDataset openDirectory(Path dir, DatasetOptions options) {
        if (Files.isDirectory(dir.resolve("Annotations"))) {
            return VocReader.read(dir, options);
        }
        if (Files.isDirectory(dir.resolve("labels"))) {
            return YoloReader.read(dir, options);
        }
        if (!VocReader.xmlFiles(dir).isEmpty()) {
            return VocReader.read(dir, options);
        }
        List<String> found;
        try (Stream<Path> list = Files.list(dir)) {
            found = list.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().limit(12).toList();
        } catch (IOException e) {
            throw new CamunitException("Cannot list directory " + dir + ": " + e.getMessage(), e);
        }
        throw new CamunitException("Unknown data set format: directory " + dir + " has no Annotations/ or *.xml"
                + " (Pascal VOC) and no labels/ (YOLO); found " + (found.isEmpty() ? "nothing" : found) + ". Pass"
                + " the annotation file itself for COCO or manifests (e.g. " + dir.resolve("coco.json") + ").");
    }

    private static LabeledDataset openJson(Path file, DatasetOptions options) {
        JsonElement root = JsonFields.parse(file);
        if (root.isJsonArray()) {
            return ManifestReader.readJson(file, root.getAsJsonArray(), options);
        }
        if (root.isJsonObject()) {
            JsonObject o = root.getAsJsonObject();
            if (o.has("images") && o.has("annotations") && o.has("categories")) {
                return CocoReader.read(file, o, options);
            }
            throw Where.in(file).fail("a COCO instances object (with images, annotations and categories) or a"
                    + " manifest array of {image, label, box | mask}", "an object with fields " + o.keySet(),
                    "Is this a COCO file of another kind (e.g. captions, or results without images)? camunit reads"
                            + " instances files and manifests");
        }
        throw Where.in(file).fail("a COCO instances object or a manifest array", root.isJsonNull()
                ? "an empty document" : JsonFields.describe(root), "Write one of those");
    }
}
