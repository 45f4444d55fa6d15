package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    private Stream<Path> files() throws IOException {
        return Files.list(dir);
    }

    @Test
    void aCompleteWriteReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("summary.json");
        Files.writeString(file, "old");
        AtomicFile.writeString(file, "{\"samples\": 60}\n");
        assertThat(file).hasContent("{\"samples\": 60}");
        assertThat(files()).containsExactly(file);
        assertThat(Files.getPosixFilePermissions(file).toString()).contains("OTHERS_READ");
    }

    @Test
    void aWriteThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("samples.csv");
        Files.writeString(file, "id,label\n");
        assertThatThrownBy(() -> AtomicFile.write(file, out -> {
            out.write("id,label\nimages/0001.png,".getBytes());
            throw new CamunitException("the model failed on images/0002.png");
        })).isInstanceOf(CamunitException.class).hasMessage("the model failed on images/0002.png");
        assertThat(file).hasContent("id,label");
        assertThat(files()).containsExactly(file);
    }

    @Test
    void anInterruptedWriteWritesNothingAndSaysSo() throws IOException {
        Path file = dir.resolve("maps/0001.npy");
        byte[] large = new byte[1 << 20];
        try {
            assertThatThrownBy(() -> AtomicFile.write(file, out -> {
                for (int i = 0; i < 64; i++) {
                    out.write(large);
                    if (i == 10) {
                        Thread.currentThread().interrupt();   // as JUnit does when a @Timeout elapses
                    }
                }
            })).isInstanceOf(CamunitException.class)
                    .hasCauseInstanceOf(InterruptedIOException.class)
                    .hasMessageStartingWith("Cannot write " + file + ": InterruptedIOException: the writing thread was"
                            + " interrupted before 0001.npy was complete.")
                    .hasMessageEndingWith("(the writing thread was interrupted, e.g. by a test timeout; nothing was"
                            + " written and the interrupt status is kept).");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(file).doesNotExist();
        try (Stream<Path> left = Files.list(dir.resolve("maps"))) {
            assertThat(left).isEmpty();
        }
    }
}
