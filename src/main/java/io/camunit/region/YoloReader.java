package io.camunit.region;

import io.camunit.CamunitException;
import io.camunit.model.ImageSize;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * YOLO directories: {@code labels/<name>.txt} with one {@code class cx cy w h} line per object
 * (normalised to the image size; a line {@code class x1 y1 x2 y2 ...} of 3 or more normalised
 * points is a polygon, as in YOLO's segmentation format), images in {@code images/<name>.<ext>},
 * class names one per line. See {@link DatasetFormats}.
 */
final class YoloReader {

    /** Extensions tried for an image, in this order; ImageIO reads all of them. */
    static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private YoloReader() {}

    static LabeledDataset read(Path dir, DatasetOptions options) {
        Path labels = dir.resolve("labels");
        Path images = options.imageDirectory().orElse(dir.resolve("images"));
        List<String> classes = classNames(dir, options);
        if (!Files.isDirectory(images)) {
            throw new CamunitException("YOLO directory " + dir + " has labels/ but no image directory " + images
                    + ". Expected the images beside the labels (images/<name>.png for labels/<name>.txt), where their"
                    + " sizes are read; or set DatasetOptions.builder().optImageDirectory(...).");
        }
        // Key: the path below labels/ or images/ without extension, e.g. "train/0001".
        Map<String, Path> imageByKey = new TreeMap<>();
        for (Path image : walk(images)) {
            String name = image.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot < 0 || !IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT))) {
                continue;
            }
            String key = key(images, image);
            Path other = imageByKey.put(key, image);
            if (other != null) {
                throw new CamunitException("YOLO directory " + dir + ": images " + other + " and " + image
                        + " share the name " + key + ", so labels/" + key + ".txt could label either. Expected one"
                        + " image per name; remove or rename one.");
            }
        }
        Map<String, Path> labelByKey = new TreeMap<>();
        for (Path label : walk(labels)) {
            String name = label.getFileName().toString();
            boolean classesFile = label.getParent().equals(labels) && name.equals("classes.txt");
            if (name.toLowerCase(Locale.ROOT).endsWith(".txt") && !classesFile) {
                labelByKey.put(key(labels, label), label);
            }
        }
        TreeSet<String> keys = new TreeSet<>(imageByKey.keySet());
        keys.addAll(labelByKey.keySet());

        Path base = dir.toAbsolutePath().normalize();
        List<LabeledSample> samples = new ArrayList<>();
        for (String key : keys) {
            Path image = imageByKey.get(key);
            Path label = labelByKey.get(key);
            if (image == null) {
                throw new CamunitException("YOLO label file " + label + " has no image: expected " + images
                        .resolve(key) + ".<ext> with <ext> one of " + IMAGE_EXTENSIONS + ". YOLO labels do not"
                        + " record the image size, so camunit reads it from the image. Add the image or remove the"
                        + " label file.");
            }
            int[] size = ImageHeader.size(image, label != null ? "YOLO label file " + label : "YOLO image " + key);
            List<LabeledObject> objects = label == null ? List.of() : objects(label, size, classes);
            Path absolute = image.toAbsolutePath().normalize();
            String id = absolute.startsWith(base) ? base.relativize(absolute).toString() : images.relativize(image)
                    .toString();
            samples.add(new LabeledSample(id.replace(File.separatorChar, '/'), absolute, size[0], size[1],
                    objects, Optional.empty()));
        }
        return new Dataset(dir, "YOLO", classes, samples);
    }

    private static String key(Path root, Path file) {
        String rel = root.relativize(file).toString().replace(File.separatorChar, '/');
        int dot = rel.lastIndexOf('.');
        return dot > rel.lastIndexOf('/') ? rel.substring(0, dot) : rel;
    }

    private static List<Path> walk(Path root) {
        // Symbolic links are followed: image directories are often links to shared storage.
        try (Stream<Path> s = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new CamunitException("Cannot list directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Class names: the options' list; else the first of {@code classes.txt}, {@code obj.names}
     * (darknet) and {@code labels/classes.txt} (labelImg) that exists, one name per line.
     */
    static List<String> classNames(Path dir, DatasetOptions options) {
        if (!options.classNames().isEmpty()) {
            return options.classNames();
        }
        List<Path> candidates = List.of(dir.resolve("classes.txt"), dir.resolve("obj.names"),
                dir.resolve("labels").resolve("classes.txt"));
        for (Path file : candidates) {
            if (Files.isRegularFile(file)) {
                return readNames(file);
            }
        }
        throw new CamunitException("YOLO directory " + dir + " has no class names: expected one of " + candidates
                + " with one class name per line (line 1 is class 0). Write one, or pass"
                + " DatasetOptions.builder().optClassNames(...).");
    }

    private static List<String> readNames(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CamunitException("Cannot read class names " + file + ": " + e.getMessage(), e);
        }
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < last; i++) {
            String name = lines.get(i).strip();
            Where w = Where.in(file).at("line " + (i + 1));
            if (name.isEmpty()) {
                throw w.fail("a class name (line n is class n - 1)", "an empty line",
                        "Remove the empty line: it would shift every following class id");
            }
            if (names.contains(name)) {
                throw w.fail("distinct class names", "'" + name + "' again (line " + (names.indexOf(name) + 1) + ")",
                        "Remove or rename the duplicate");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw Where.in(file).fail("one class name per line", "no names", "Write the class names");
        }
        return names;
    }

    private static List<LabeledObject> objects(Path file, int[] size, List<String> classes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CamunitException("Cannot read YOLO label file " + file + ": " + e.getMessage(), e);
        }
        int w = size[0];
        int h = size[1];
        List<LabeledObject> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            Where where = Where.in(file).at("line " + (n + 1));
            String[] t = line.split("\\s+");
            boolean box = t.length == 5;
            if (!box && (t.length < 7 || t.length % 2 == 0)) {
                throw where.fail("'class cx cy w h' (5 values) or a polygon 'class x1 y1 x2 y2 x3 y3 ...'",
                        t.length + " values: '" + line + "'", "Fix the line");
            }
            int id;
            try {
                id = Integer.parseInt(t[0]);
            } catch (NumberFormatException e) {
                throw where.fail("a class id 0.." + (classes.size() - 1), "'" + t[0] + "'", "Fix the class id", e);
            }
            if (id < 0 || id >= classes.size()) {
                throw where.fail("a class id 0.." + (classes.size() - 1) + " (classes " + classes + ")",
                        String.valueOf(id), "Fix the id or complete the class names");
            }
            double[] v = new double[t.length - 1];
            for (int i = 1; i < t.length; i++) {
                try {
                    v[i - 1] = Double.parseDouble(t[i]);
                } catch (NumberFormatException e) {
                    throw where.fail("numbers normalised to the image size (0..1)", "'" + t[i] + "' in '" + line + "'",
                            "Fix the line", e);
                }
                if (!Double.isFinite(v[i - 1]) || Math.abs(v[i - 1]) > JsonFields.ABSURD) {
                    throw where.fail("finite numbers normalised to the image size (0..1)", "'" + t[i] + "' in '"
                            + line + "'", "Fix the line");
                }
            }
            Region region;
            if (box) {
                if (!(v[2] > 0) || !(v[3] > 0)) {
                    throw where.fail("a box with positive width and height", "'" + line + "'", "Fix the box");
                }
                Box b = Box.yolo(v[0], v[1], v[2], v[3], w, h);
                region = Checks.box(b.x(), b.y(), b.width(), b.height(), w, h, where,
                        "'" + line + "' (normalised; in the " + ImageSize.format(w, h) + " image: " + b.describe() + ")");
            } else {
                double[] xy = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    xy[i] = v[i] * (i % 2 == 0 ? w : h);
                }
                Checks.polygonInside(xy, w, h, where);
                region = Polygon.ofParts(List.of(xy), where);
            }
            out.add(new LabeledObject(classes.get(id), region));
        }
        return out;
    }
}
