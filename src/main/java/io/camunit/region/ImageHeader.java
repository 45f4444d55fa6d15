package io.camunit.region;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Image sizes read from file headers without decoding pixels, for formats whose annotations do not
 * record the size (YOLO, manifests without width/height).
 */
final class ImageHeader {

    private ImageHeader() {}

    /**
     * @param image the image file
     * @param why what needs the size, for the message (e.g. {@code "labels/0001.txt"})
     * @return {width, height}
     */
    static int[] size(Path image, String why) {
        if (!Files.isRegularFile(image)) {
            throw new CamunitException("Image file " + image + " does not exist or is not a file; " + why
                    + " needs its size, which only the image records. Put the image there or fix the path.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new CamunitException("Cannot read the size of image " + image + " (" + why + "): no image"
                        + " reader recognises its content. Expected PNG, JPEG, BMP, GIF or TIFF; re-save it.");
            }
            ImageReader reader = readers.next();
            try {
                // seekForwardOnly and ignoreMetadata: only the header is parsed.
                reader.setInput(in, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CamunitException c) {
                throw c;
            }
            throw new CamunitException("Cannot read the size of image " + image + " (" + why + "): "
                    + e.getMessage() + ". The file may be truncated or not an image; re-save it.", e);
        }
    }
}
