package io.camunit.region;

import io.camunit.model.ImageFile;
import io.camunit.model.ImageSize;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** Validation shared by the readers: boxes and polygons must fit the labelled image. */
final class Checks {

    /**
     * Regions may overhang the image by this many pixels: annotation tools round and clip
     * differently, and COCO boxes often end a hair past the border. More is a wrong annotation.
     */
    static final double TOLERANCE = 1.0;

    private Checks() {}

    /**
     * @param shown the values as the file wrote them, for the message
     * @return the box, checked to be finite, non-empty and inside the image
     */
    static Box box(double x, double y, double w, double h, int imageWidth, int imageHeight, Where where,
            String shown) {
        for (double v : new double[] {x, y, w, h}) {
            if (!Double.isFinite(v) || Math.abs(v) > JsonFields.ABSURD) {
                throw where.fail("finite pixel coordinates within +-" + (long) JsonFields.ABSURD, shown,
                        "Fix the box");
            }
        }
        if (!(w > 0) || !(h > 0)) {
            throw where.fail("a box with positive width and height", shown + " (w = " + num(w) + ", h = " + num(h)
                    + ")", "Fix the box; an empty box labels no pixel");
        }
        if (x < -TOLERANCE || y < -TOLERANCE || x + w > imageWidth + TOLERANCE || y + h > imageHeight + TOLERANCE) {
            throw where.fail("a box inside the " + ImageSize.format(imageWidth, imageHeight) + " image (x from 0 to "
                    + imageWidth + ", y from 0 to " + imageHeight + ", 1 px tolerance)", shown + ", which spans x "
                    + num(x) + ".." + num(x + w) + ", y " + num(y) + ".." + num(y + h),
                    "Fix the box or the image size; camunit never clips regions silently");
        }
        return Box.coco(x, y, w, h);
    }

    /** Checks that every vertex lies in the image (with the tolerance). */
    static void polygonInside(double[] xy, int imageWidth, int imageHeight, Where where) {
        for (int i = 0; i + 1 < xy.length; i += 2) {
            double x = xy[i];
            double y = xy[i + 1];
            if (x < -TOLERANCE || y < -TOLERANCE || x > imageWidth + TOLERANCE || y > imageHeight + TOLERANCE) {
                throw where.index(i).fail("vertices inside the " + ImageSize.format(imageWidth, imageHeight)
                        + " image (1 px tolerance)", "the vertex (" + num(x) + ", " + num(y) + ")",
                        "Fix the polygon or the image size; camunit never clips regions silently");
            }
        }
    }

    /**
     * Checks a declared image size against the image pixel limit ({@link ImageFile#maxPixels()}):
     * masks of that size are allocated, so an absurd size must fail here, not in memory.
     */
    static void imageSize(long width, long height, Where where) {
        long limit = ImageFile.maxPixels();
        if (width * height > limit) {
            throw where.fail(String.format(Locale.ROOT, "an image of at most %,d pixels (width times height; system"
                    + " property %s)", limit, ImageFile.MAX_PIXELS_PROPERTY), String.format(Locale.ROOT,
                    "%s = %,d pixels", ImageSize.format(width, height), width * height),
                            "Fix the size; if the image really is"
                    + " that large, raise the limit with -D" + ImageFile.MAX_PIXELS_PROPERTY + "=N");
        }
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /**
     * Resolves a path written in an annotation against a directory, and keeps it inside the data
     * folder unless the options allow otherwise: an absolute path, or one that climbs out of the
     * folder with {@code ..}, could make camunit read any file the process can read.
     *
     * @param root the data folder the file must stay in
     * @param directory the directory relative paths are resolved against (inside {@code root})
     * @param written the path as the annotation writes it
     * @param where the field, for messages
     * @param options whether paths outside the data folder are allowed
     * @return the absolute, normalised path
     */
    static Path resolve(Path root, Path directory, String written, Where where, DatasetOptions options) {
        Path p;
        try {
            p = Path.of(written);
        } catch (InvalidPathException e) {
            throw where.fail("a file path", "'" + written + "' (" + e.getReason() + ")", "Fix the path", e);
        }
        Path resolved = (p.isAbsolute() ? p : directory.resolve(p)).toAbsolutePath().normalize();
        Path folder = root.toAbsolutePath().normalize();
        if (!options.allowPathsOutsideData() && (p.isAbsolute() || !resolved.startsWith(folder))) {
            throw where.fail("a path inside the data folder " + folder + " (relative to it, without '..' leading out)",
                    "'" + written + "', " + (p.isAbsolute() ? "an absolute path" : "which leads out of it to " + resolved),
                    "camunit reads only files inside the data folder, so that an annotation file cannot make it read"
                            + " any file. Move the file into the folder, or, if you trust the annotation file, allow it"
                            + " with DatasetOptions.builder().optAllowPathsOutsideData(true) or, on the command line,"
                            + " --allow-paths-outside-data");
        }
        return resolved;
    }

    /** The class list: explicit (labels must be in it) or collected in order of appearance. */
    static final class ClassList {
        private final List<String> explicit;
        private final LinkedHashSet<String> seen = new LinkedHashSet<>();

        ClassList(List<String> explicit) {
            this.explicit = explicit;
        }

        String accept(String label, Where where) {
            if (!explicit.isEmpty()) {
                if (!explicit.contains(label)) {
                    throw where.fail("one of the class names " + explicit, "'" + label + "'",
                            "Fix the label or add it to DatasetOptions.builder().optClassNames(...)");
                }
            } else {
                seen.add(label);
            }
            return label;
        }

        List<String> classes() {
            return explicit.isEmpty() ? List.copyOf(seen) : explicit;
        }
    }
}
