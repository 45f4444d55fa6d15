package io.camunit.model;

import io.camunit.CamunitException;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files defensively, for images and mask files alike. The header is read first and
 * the file refused before any pixel is decoded when its size is zero or above the pixel limit
 * (a small file can declare a huge image: a decompression bomb). Then the first image is decoded
 * (the first frame of an animated GIF or multi-page TIFF, as PIL does), refusing files whose data
 * ends early (Java's JPEG decoder would otherwise fill the rest with grey) and JPEGs in CMYK or
 * YCCK, whose colours Java does not convert faithfully.
 *
 * <p>The limit is {@value #DEFAULT_MAX_PIXELS} pixels (width times height), or the value of the
 * system property {@value #MAX_PIXELS_PROPERTY}; the same limit bounds the image sizes annotation
 * files may declare.
 *
 * <pre>{@code
 * ImageFile.Header h = ImageFile.header(Path.of("cat.jpg"), "Image cat.jpg");   // no pixel decoded
 * BufferedImage pixels = ImageFile.read(Path.of("cat.jpg"), "Image cat.jpg");
 * // java -Dcamunit.image.maxPixels=200000000 ... raises the limit to 200 megapixels
 * }</pre>
 */
public final class ImageFile {

    /** The system property that sets the pixel limit. */
    public static final String MAX_PIXELS_PROPERTY = "camunit.image.maxPixels";

    /** The default pixel limit: 50 megapixels, e.g. 8660 x 5773, above any camera image a classifier is fed. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private ImageFile() {}

    /**
     * What an image file's header says, read without decoding pixels.
     *
     * @param format the reader's format name in lower case, e.g. {@code png}, {@code jpeg}
     * @param width the first image's width
     * @param height the first image's height
     */
    public record Header(String format, int width, int height) {}

    /**
     * @return the pixel limit in force: the system property {@value #MAX_PIXELS_PROPERTY}, else
     *     {@value #DEFAULT_MAX_PIXELS}
     * @throws CamunitException when the property is not a positive whole number
     */
    public static long maxPixels() {
        String value = System.getProperty(MAX_PIXELS_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_MAX_PIXELS;
        }
        try {
            long limit = Long.parseLong(value.strip().replace("_", ""));
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CamunitException("System property " + MAX_PIXELS_PROPERTY + " must be a positive whole number of"
                + " pixels (width times height), e.g. 200000000; got '" + value + "'.");
    }

    /**
     * Checks an image size against zero and the pixel limit.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @param subject what has that size, starting a sentence, e.g. {@code "Image cat.png"}
     * @throws CamunitException when a side is below 1 or the pixel count above {@link #maxPixels()}
     */
    public static void checkSize(long width, long height, String subject) {
        if (width < 1 || height < 1) {
            throw new CamunitException(subject + " has size " + ImageSize.format(width, height) + " (" + ImageSize.FORM
                    + "): an image needs at least 1x1 pixels. The file is damaged or not an image; re-save it.");
        }
        long limit = maxPixels();
        if (width * height > limit) {
            throw new CamunitException(String.format(Locale.ROOT, "%s is %s = %,d pixels, above the limit of %,d"
                    + " pixels. It is refused before decoding: a small file declaring a huge image can exhaust memory"
                    + " (a decompression bomb). Downscale the image, or, if it is genuine, raise the limit with"
                    + " -D%s=N.", subject, ImageSize.format(width, height), width * height, limit, MAX_PIXELS_PROPERTY));
        }
    }

    /**
     * Reads the size of the first image from the header, without decoding pixels, and checks it.
     *
     * @param file an image file
     * @param subject what the file is, starting a sentence, e.g. {@code "Image images/0001.png"}
     * @return the format and size
     * @throws CamunitException when the file is missing, not an image, damaged, or its size is zero
     *     or above the limit
     */
    public static Header header(Path file, String subject) {
        return withReader(file, subject, "a PNG or JPEG file", reader -> {
            Header h = header(reader, subject);
            checkSize(h.width(), h.height(), subject);
            return h;
        });
    }

    /**
     * Decodes the first image after checking the header.
     *
     * @param file an image file
     * @param subject what the file is, starting a sentence, e.g. {@code "Image images/0001.png"}
     * @return the decoded image
     * @throws CamunitException when the file is missing, not an image, truncated or corrupt, a CMYK
     *     or YCCK JPEG, or its size is zero or above the limit
     */
    public static BufferedImage read(Path file, String subject) {
        return read(file, subject, "a PNG or JPEG file");
    }

    /**
     * Decodes the first image after checking the header.
     *
     * @param file an image file
     * @param subject what the file is, starting a sentence, e.g. {@code "Mask file masks/0001.png"}
     * @param expected what the file should be, for the advice, e.g. {@code "a PNG mask"}
     * @return the decoded image
     * @throws CamunitException as {@link #read(Path, String)}
     */
    public static BufferedImage read(Path file, String subject, String expected) {
        return withReader(file, subject, expected, reader -> {
            Header h = header(reader, subject);
            checkSize(h.width(), h.height(), subject);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            BufferedImage image = reader.read(0);
            for (String w : warnings) {
                String lower = w.toLowerCase(Locale.ROOT);
                if (lower.contains("truncated") || lower.contains("premature end") || lower.contains("missing eoi")) {
                    throw new CamunitException(subject + " is truncated: the " + h.format().toUpperCase(Locale.ROOT)
                            + " decoder reports '" + w + "'; the part that is missing would be filled with grey."
                            + " Copy the file again whole, or re-save it.");
                }
            }
            if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK
                    || h.format().equals("jpeg") && image.getRaster().getNumBands() == 4) {
                throw new CamunitException(subject + " is a JPEG with four colour channels (CMYK or YCCK), whose colours"
                        + " Java does not convert faithfully. Convert it to RGB first, e.g. with ImageMagick"
                        + " (convert in.jpg -colorspace sRGB out.jpg) or PIL (Image.open(p).convert('RGB').save(q)).");
            }
            return image;
        });
    }

    private static Header header(ImageReader reader, String subject) throws IOException {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        return new Header(format, reader.getWidth(0), reader.getHeight(0));
    }

    private interface ReaderWork<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T withReader(Path file, String subject, String expected, ReaderWork<T> work) {
        if (!Files.isRegularFile(file)) {
            throw new CamunitException(subject + " does not exist or is not a file. Check the path.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new CamunitException(subject + " cannot be read: no image reader recognises its content ("
                        + (Files.size(file) == 0 ? "the file is empty" : "it is not PNG, JPEG, GIF, BMP or TIFF")
                        + "). Expected " + expected + "; re-save it as one.");
            }
            ImageReader reader = readers.next();
            try {
                // Forward-only, metadata ignored: the header and then the first image's data.
                reader.setInput(in, true, true);
                return work.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CamunitException c) {
                throw c;
            }
            throw new CamunitException(subject + " cannot be read: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ". The file is truncated, corrupt or not an image. Expected " + expected
                    + "; copy it again whole or re-save it.", e);
        }
    }
}
