package io.camunit.report;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Locale;

/**
 * Keeps evidence as plain files in one directory per test, for runs without Allure. File names are
 * {@code NN-<name>.<ext>}: a two-digit (or longer) ordinal in the order of attachment, then the
 * attachment's name made safe by {@link SafeName}, runs of {@code _} collapsed (so a sample id such
 * as {@code ../../x} gives {@code 01-overlay_.._.._x.png}, never a path). Every file is written atomically (temporary file,
 * then rename). On its first attachment the sink removes the {@code NN-*} files an earlier run of the
 * same test left in the directory, and nothing else. Labels are not kept: the metrics JSON names
 * model, method and layers.
 *
 * <pre>{@code
 * DirectorySink sink = new DirectorySink(Path.of("reports/evidence/com.acme.GateTest/peakInside[3]"));
 * sink.attach(new Attachment("metrics images/0001.png", Attachment.JSON, "json", bytes));
 * // reports/evidence/com.acme.GateTest/peakInside[3]/01-metrics_images_0001.png.json
 * }</pre>
 *
 * <p>Thread-safe; meant for one test.
 */
public final class DirectorySink implements EvidenceSink {

    /** Longest name part of a file, before the ordinal and extension. */
    public static final int MAX_NAME = 100;

    private static final Pattern OURS = Pattern.compile("\\d{2,}-[A-Za-z0-9_][A-Za-z0-9._-]*");

    private final Path directory;
    private final List<Path> written = new ArrayList<>();

    /** @param directory the test's directory; created on the first attachment */
    public DirectorySink(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** @return the directory, absolute */
    public Path directory() {
        return directory;
    }

    /** @return the files written so far, in order */
    public synchronized List<Path> written() {
        return List.copyOf(written);
    }

    @Override
    public synchronized void attach(Attachment attachment) {
        if (written.isEmpty()) {
            removeEarlierRun();
        }
        String name = String.format(Locale.ROOT, "%02d-%s.%s", written.size() + 1, fileName(attachment.name()),
                attachment.extension());
        Path file = directory.resolve(name).normalize();
        if (!directory.equals(file.getParent())) {
            // SafeName leaves no separator; this only guards against a future change to it.
            throw new CamunitException("Evidence file name '" + name + "' would leave " + directory);
        }
        AtomicFile.write(file, attachment.bytes(), attachment.mimeType());
        written.add(file);
    }

    /**
     * @param name an attachment's name
     * @return its safe form with runs of {@code _} collapsed and no trailing {@code _} or {@code .},
     *     e.g. {@code heatmap images/0001.png (raw, 64x64)} gives {@code heatmap_images_0001.png_raw_64x64}
     */
    static String fileName(String name) {
        String safe = SafeName.of(name, MAX_NAME, "evidence").replaceAll("_{2,}", "_").replaceAll("[_.]+$", "");
        return safe.isEmpty() ? "evidence" : safe;
    }

    /** Labels are not written: the metrics JSON already names model, method and layers. */
    @Override
    public void label(String name, String value) {
        // nothing to do: a directory has no place for test labels
    }

    private void removeEarlierRun() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && OURS.matcher(f.getFileName().toString()).matches()) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new CamunitException("Cannot remove the earlier run's evidence in " + directory + ": "
                    + e.getMessage() + ". Check the directory's permissions.", e);
        }
    }
}
