package io.camunit.report;

import io.camunit.CamunitException;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

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
        byte[] bytes = bytes(image);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                // createTempFile makes the file owner-only; a report is meant to be read by others.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the file system's default
            }
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
            throw new CamunitException("Cannot write PNG " + file + ": " + e.getMessage(), e);
        }
    }
}
