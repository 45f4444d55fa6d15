package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain-directory evidence: ordinal, safe names, confinement, atomic writes, and replacing an earlier run. */
class DirectorySinkTest {

    static Attachment json(String name, String content) {
        return new Attachment(name, Attachment.JSON, "json", content.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void filesAreNumberedInOrderWithSafeNamesAndTheirBytes(@TempDir Path root) throws IOException {
        Path dir = root.resolve("evidence/com.acme.GateTest/peakInside[3]");
        DirectorySink sink = new DirectorySink(dir);
        sink.attach(json("metrics images/0001.png", "{\"a\": 1}"));
        sink.attach(new Attachment("heatmap images/0001.png (raw, 64x64)", Attachment.NPY, "npy", new byte[] {1, 2}));
        assertThat(names(dir)).containsExactly("01-metrics_images_0001.png.json",
                "02-heatmap_images_0001.png_raw_64x64.npy");
        assertThat(Files.readString(dir.resolve("01-metrics_images_0001.png.json"))).isEqualTo("{\"a\": 1}");
        assertThat(sink.written()).containsExactly(dir.resolve("01-metrics_images_0001.png.json"),
                dir.resolve("02-heatmap_images_0001.png_raw_64x64.npy"));
    }

    @Test
    void hostileNamesNeverLeaveTheDirectory(@TempDir Path root) throws IOException {
        Path dir = root.resolve("a/b/test");
        DirectorySink sink = new DirectorySink(dir);
        List<String> hostile = List.of("../../../x", "..", ".", "", "/etc/passwd", "a/../../b", "c\\..\\..\\d",
                "-rf", "name\u0000with nul", "..\u2215..\u2215unicode-slash");
        for (String name : hostile) {
            sink.attach(json(name, "{}"));
        }
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(hostile.size()).allMatch(f -> f.getParent().equals(dir));
        }
        // Separators become _, leading dots and dashes go: what is left is one plain file name each.
        assertThat(names(dir)).containsExactly("01-_.._.._x.json", "02-evidence.json", "03-evidence.json",
                "04-evidence.json", "05-_etc_passwd.json", "06-a_.._.._b.json", "07-c_.._.._d.json", "08-rf.json",
                "09-name_with_nul.json", "10-_.._unicode-slash.json");
    }

    @Test
    void theFirstAttachmentRemovesOnlyTheNumberedFilesOfAnEarlierRun(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("07-old-overlay.png"), "old");
        Files.writeString(dir.resolve("7-not-ours.png"), "kept");
        Files.writeString(dir.resolve("notes.txt"), "kept");
        Files.createDirectory(dir.resolve("01-a-directory"));
        DirectorySink sink = new DirectorySink(dir);
        sink.attach(json("first", "{}"));
        sink.attach(json("second", "{}"));
        assertThat(names(dir)).containsExactly("01-a-directory", "01-first.json", "02-second.json", "7-not-ours.png",
                "notes.txt");
    }

    @Test
    void labelsWriteNothingAndNoTemporaryFileIsLeft(@TempDir Path dir) throws IOException {
        DirectorySink sink = new DirectorySink(dir.resolve("t"));
        sink.label("model", "m.pt");
        assertThat(dir.resolve("t")).doesNotExist();
        sink.attach(json("x", "{}"));
        assertThat(names(dir.resolve("t"))).containsExactly("01-x.json");
    }
}
