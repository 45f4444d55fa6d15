package io.camunit.report;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that a reader never sees it half-written: the bytes go to a temporary file in
 * the same directory (so the same file system), which is then moved into place with
 * {@code ATOMIC_MOVE}. Missing parent directories are created.
 */
final class AtomicFile {

    private AtomicFile() {}

    /**
     * @param file where to write; replaced if it exists
     * @param bytes the content
     * @param what what the file is, for the message, e.g. {@code "PNG"}
     * @return {@code file}
     * @throws CamunitException when it cannot be written
     */
    static Path write(Path file, byte[] bytes, String what) {
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
            throw new CamunitException("Cannot write " + what + " " + file + ": " + e.getMessage()
                    + ". Check that the directory is writable and the disk not full.", e);
        }
    }
}
