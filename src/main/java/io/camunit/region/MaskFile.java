package io.camunit.region;

import io.camunit.CamunitException;
import io.camunit.model.ImageFile;
import io.camunit.model.ImageSize;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A region stored as a mask image file (PNG), read lazily: nothing is read until {@link #toMask},
 * which reads the file each time and requires it to have exactly the labelled image's size (masks
 * are never resized).
 *
 * <p>Two kinds of file are understood, told apart by the PNG header's colour type:
 * <ul>
 *   <li><b>grey</b> (binary masks, e.g. PIL mode {@code L} or {@code 1}): a pixel is inside when
 *       its value, on the 8-bit scale, is above the threshold (default 127; 1- to 4-bit values are
 *       scaled up to 0..255, 16-bit values down). Alpha is ignored. RGB files whose pixels are all
 *       grey (R = G = B) are read the same way; a truly coloured pixel is an error.</li>
 *   <li><b>palette</b> (indexed, e.g. Pascal VOC SegmentationClass PNGs): the raster's index
 *       values, never the colours, are class numbers: index {@code v} is class {@code v - 1} of the
 *       class list, 0 is background and 255 is "void" (ignored: in no class). A region selects one
 *       class's index; an index beyond the class list is an error.</li>
 * </ul>
 * Sample values are taken from the raster, not through {@code getRGB}, whose colour conversion
 * would corrupt palette indices and grey levels.
 *
 * <pre>{@code
 * Region object = MaskFile.binary(Path.of("masks/0004_0.png"));            // value > 127
 * Map<String, Region> byClass = MaskFile.paletteClasses(Path.of("masks/0004.png"),
 *         List.of("circle", "square", "triangle", "star"));                // index 3 = triangle
 * byClass.get("triangle").toMask(96, 128);
 * }</pre>
 */
public final class MaskFile implements Region {

    /** The default binary threshold: inside when the 8-bit value is above it. */
    public static final int DEFAULT_THRESHOLD = 127;

    private static final int VOID = 255;

    private final Path file;
    private final int threshold;
    private final String label;
    private final List<String> classes;
    private final boolean paletteOnly;
    private final String context;

    private MaskFile(Path file, int threshold, String label, List<String> classes, boolean paletteOnly,
            String context) {
        this.file = Objects.requireNonNull(file, "file");
        this.threshold = checkThreshold(threshold);
        this.label = label;
        this.classes = List.copyOf(classes);
        this.paletteOnly = paletteOnly;
        this.context = context;
    }

    /**
     * @param file a grey PNG mask
     * @return the region of pixels above {@value #DEFAULT_THRESHOLD}
     */
    public static MaskFile binary(Path file) {
        return binary(file, DEFAULT_THRESHOLD);
    }

    /**
     * @param file a grey PNG mask
     * @param threshold inside when the 8-bit value is above it, 0..254
     * @return the region
     */
    public static MaskFile binary(Path file, int threshold) {
        return new MaskFile(file, threshold, null, List.of(), false, "");
    }

    /**
     * @param file a palette (indexed) PNG
     * @param label the class whose pixels form the region
     * @param classNames the class list: index {@code v} is {@code classNames[v - 1]}
     * @return the region of that class's index
     * @throws CamunitException when the label is not in the class list
     */
    public static MaskFile paletteClass(Path file, String label, List<String> classNames) {
        requireClass(label, classNames, file.toString());
        return new MaskFile(file, DEFAULT_THRESHOLD, label, classNames, true, "");
    }

    /**
     * @param file a palette (indexed) PNG
     * @param classNames the class list: index {@code v} is {@code classNames[v - 1]}
     * @return one lazy region per class, in class order (a class absent from the file has an empty
     *     region)
     */
    public static Map<String, Region> paletteClasses(Path file, List<String> classNames) {
        Map<String, Region> out = new LinkedHashMap<>();
        for (String c : classNames) {
            out.put(c, paletteClass(file, c, classNames));
        }
        return out;
    }

    /**
     * A manifest's mask: binary when the file is grey, the label's index when it is a palette.
     *
     * @param classNames the class list for palette files, or empty when none was given
     * @param context where the mask was named, for messages (e.g. {@code "manifest.csv line 3"})
     */
    static MaskFile forObject(Path file, String label, List<String> classNames, int threshold, String context) {
        return new MaskFile(file, threshold, label, classNames, false, context);
    }

    private static int checkThreshold(int threshold) {
        if (threshold < 0 || threshold > 254) {
            throw new CamunitException("A mask threshold must be 0..254 (a pixel is inside when its 8-bit value is"
                    + " above it); got " + threshold);
        }
        return threshold;
    }

    private static void requireClass(String label, List<String> classNames, String where) {
        if (!classNames.contains(label)) {
            throw new CamunitException(where + ": class '" + label + "' is not in the class list " + classNames
                    + ", so it has no palette index. Add it to the class names (index v is class v - 1).");
        }
    }

    /** @return the mask file */
    public Path file() {
        return file;
    }

    /** @return the binary threshold used for grey files */
    public int threshold() {
        return threshold;
    }

    @Override
    public Mask toMask(int imageWidth, int imageHeight) {
        String where = "Mask file " + file + (context.isEmpty() ? "" : " (" + context + ")");
        if (!Files.isRegularFile(file)) {
            throw new CamunitException(where + " does not exist or is not a file. Mask paths are relative to the"
                    + " annotation file; put the mask there or fix the path.");
        }
        Kind kind = kind(where);
        // Refused before decoding above the pixel limit, and when truncated (see ImageFile).
        BufferedImage image = ImageFile.read(file, where, "a PNG mask");
        if (image.getWidth() != imageWidth || image.getHeight() != imageHeight) {
            throw new CamunitException(where + " is " + ImageSize.format(image.getWidth(), image.getHeight()) + " but the"
                    + " labelled image is " + ImageSize.format(imageWidth, imageHeight)
                    + " (WIDTHxHEIGHT). Masks are never resized:"
                    + " use the mask made for this image, at its size.");
        }
        if (kind == Kind.UNKNOWN) {
            kind = image.getColorModel() instanceof IndexColorModel ? Kind.PALETTE
                    : image.getRaster().getNumBands() <= 2 ? Kind.GREY : Kind.COLOUR;
        }
        if (paletteOnly && kind != Kind.PALETTE) {
            throw new CamunitException(where + " is a " + kind.text + " image, not a palette (indexed) PNG, so its"
                    + " values are not class indices. Use MaskFile.binary for a binary mask, or save the"
                    + " segmentation as an indexed PNG.");
        }
        return switch (kind) {
            case PALETTE -> palette(image.getRaster(), where);
            case GREY -> grey(image.getRaster(), 1, where);
            default -> grey(image.getRaster(), 3, where);
        };
    }

    private Mask palette(Raster raster, String where) {
        if (label == null || classes.isEmpty()) {
            throw new CamunitException(where + " is a palette (indexed) PNG: its values are class indices (index v"
                    + " is class v - 1 of the class list), and no class list was given. Pass the class names"
                    + " (DatasetOptions.builder().optClassNames(...) or MaskFile.paletteClass), or use a grey mask.");
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int wanted = classes.indexOf(label) + 1;
        if (wanted == 0) {
            requireClass(label, classes, where);
        }
        int[] values = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        BitSet bits = new BitSet(w * h);
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v == wanted) {
                bits.set(i);
            } else if (v > classes.size() && v != VOID) {
                throw new CamunitException(where + ": pixel (" + i % w + ", " + i / w + ") has palette index " + v
                        + ", but the class list " + classes + " has " + classes.size() + " classes (index v is"
                        + " class v - 1, 0 background, 255 void). Give the complete class list, in index order.");
            }
        }
        return Mask.wrap(w, h, bits);
    }

    private Mask grey(Raster raster, int bands, String where) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bits = raster.getSampleModel().getSampleSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        int[] values = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        if (bands == 3) {
            if (raster.getNumBands() < 3) {
                throw new CamunitException(where + " has an unexpected pixel layout (" + raster.getNumBands()
                        + " bands). Expected a grey or palette PNG; re-save it as one.");
            }
            int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
            int[] b = raster.getSamples(0, 0, w, h, 2, (int[]) null);
            for (int i = 0; i < values.length; i++) {
                if (g[i] != values[i] || b[i] != values[i]) {
                    throw new CamunitException(where + " is a colour image and pixel (" + i % w + ", " + i / w
                            + ") is coloured (R, G, B = " + values[i] + ", " + g[i] + ", " + b[i] + "). Expected"
                            + " a grey (binary) mask or a palette (indexed) PNG whose indices are classes; colours"
                            + " are not class indices. Re-save it as grey (mode L) or indexed (mode P).");
                }
            }
        }
        BitSet out = new BitSet(w * h);
        for (int i = 0; i < values.length; i++) {
            if (values[i] * scale > threshold) {
                out.set(i);
            }
        }
        return Mask.wrap(w, h, out);
    }

    private enum Kind {
        GREY("grey"), PALETTE("palette"), COLOUR("colour"), UNKNOWN("non-PNG");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** The PNG colour type from the IHDR chunk: ImageIO gives low-bit grey an IndexColorModel too. */
    private Kind kind(String where) {
        byte[] head = new byte[26];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            boolean png = n == head.length && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N'
                    && head[3] == 'G' && head[12] == 'I' && head[13] == 'H' && head[14] == 'D' && head[15] == 'R';
            if (!png) {
                return Kind.UNKNOWN;
            }
        } catch (IOException e) {
            throw new CamunitException(where + " cannot be read: " + e.getMessage(), e);
        }
        return switch (head[25]) {
            case 0, 4 -> Kind.GREY;
            case 3 -> Kind.PALETTE;
            default -> Kind.COLOUR;
        };
    }

    @Override
    public String describe() {
        String name = file.getFileName().toString();
        return label != null && (paletteOnly || !classes.isEmpty()) ? "mask " + name + " (" + label + ")"
                : "mask " + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskFile m && m.file.equals(file) && m.threshold == threshold
                && Objects.equals(m.label, label) && m.classes.equals(classes) && m.paletteOnly == paletteOnly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, threshold, label, classes, paletteOnly);
    }

    @Override
    public String toString() {
        return "MaskFile[" + file + "]";
    }
}
