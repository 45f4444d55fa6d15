package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camunit.model.InputImage;
import io.camunit.model.InputSpec;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** Image files (PNG, JPEG, GIF, BMP: whatever the bytes are), read and prepared as model input. */
class ImageFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void image(byte[] bytes) {
        Path file = ReaderProperty.write(dir.resolve("image.png"), bytes);
        ReaderProperty.refusesOnlyWithCamunitException("image.png",
                () -> InputImage.read(file).toTensor(InputSpec.of(8, 8)));
    }
}
