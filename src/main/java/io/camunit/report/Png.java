package io.camunit.report;

import io.camunit.CamunitException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/**
 * Writes pictures as PNG. Files are written atomically, so a report directory read while a run is
 * still writing (a CI artefact upload, a browser refresh) never shows a truncated picture.
 *
 * <pre>{@code
 * Png.write(picture, Path.of("reports/0001.png"));
 * byte[] bytes = Png.bytes(picture);   // e.g. for an HTML data: URI
 * }</pre>
 */
public final class Png {

    private Png() {}

    /**
     * Encodes a picture as PNG.
     *
     * @param image the picture
     * @return the PNG file's bytes
     */
    public static byte[] bytes(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new CamunitException("No PNG writer for image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a memory stream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Writes a picture to a file: first to a temporary file in the same directory, then moved into
     * place with {@code ATOMIC_MOVE} (same directory, so the same file system). Creates missing parent
     * directories.
     *
     * @param image the picture
     * @param file where to write it; replaced if it exists
     * @return {@code file}
     * @throws CamunitException when the file cannot be written
     */
    public static Path write(BufferedImage image, Path file) {
        return AtomicFile.write(file, bytes(image), "PNG");
    }
}
