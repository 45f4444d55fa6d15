package io.camunit.report;

import io.camunit.CamunitException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes report files all or nothing: the content goes to a hidden temporary file in the target's
 * directory ({@code .name.<random>.tmp}), which is moved over the target only once it is complete.
 * A write that fails, or whose thread is interrupted (a test timeout interrupts its thread), deletes
 * the temporary file and leaves any earlier version of the target untouched, so a report directory
 * never holds a half-written file. The interrupt status is checked before writing and before the
 * move (Java's file streams ignore it) and kept, so an interrupted loop of writes ends at once.
 *
 * <pre>{@code
 * AtomicFile.write(Path.of("reports/maps/0001.npy"), out -> Npy.write(explanation.raw(), out));
 * AtomicFile.writeString(Path.of("reports/summary.json"), json);
 * }</pre>
 */
public final class AtomicFile {

    private AtomicFile() {}

    /** Content written to a stream; may throw, in which case nothing is published. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the temporary file's stream, buffered; closed by {@link AtomicFile}
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a file atomically, creating missing parent directories.
     *
     * @param file the target, replaced if it exists
     * @param content what to write
     * @return {@code file}
     * @throws CamunitException when the file cannot be written (the cause is kept); exceptions
     *     thrown by {@code content} propagate unchanged. In both cases no temporary file remains.
     */
    public static Path write(Path file, Content content) {
        return write(file, content, "");
    }

    /**
     * Writes bytes atomically, for the package's writers (PNG pictures, evidence attachments).
     *
     * @param file the target, replaced if it exists
     * @param bytes the content
     * @param what what the file is, for the message, e.g. {@code "PNG"}
     * @return {@code file}
     * @throws CamunitException when it cannot be written
     */
    static Path write(Path file, byte[] bytes, String what) {
        return write(file, out -> out.write(bytes), what + " ");
    }

    private static Path write(Path file, Content content, String what) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        boolean published = false;
        try {
            checkNotInterrupted(file);
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                // createTempFile makes the file owner-only; a report is meant to be read by others.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the file system's default
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            // File streams do not react to interrupts: a thread interrupted while writing (a test that
            // timed out) publishes nothing.
            checkNotInterrupted(file);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            published = true;
            return file;
        } catch (IOException e) {
            throw new CamunitException("Cannot write " + what + file + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ". Check that the directory is writable and the disk not full"
                    + (Thread.currentThread().isInterrupted() ? " (the writing thread was interrupted, e.g. by a"
                            + " test timeout; nothing was written and the interrupt status is kept)" : "") + ".", e);
        } finally {
            if (tmp != null && !published) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    private static void checkNotInterrupted(Path file) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the writing thread was interrupted before " + file.getFileName()
                    + " was complete");
        }
    }

    /**
     * Writes a UTF-8 text file atomically.
     *
     * @param file the target, replaced if it exists
     * @param text the content
     * @return {@code file}
     * @throws CamunitException when the file cannot be written
     */
    public static Path writeString(Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return write(file, out -> out.write(bytes));
    }
}
