package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camunit.region.MaskFile;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;

/**
 * Mask files: the first byte chooses how the rest, a PNG file, is read (0 binary at the default
 * threshold, 1 one class of a palette, 2 binary at threshold 0) for a 4 x 3 labelled image.
 */
class MaskFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void maskPng(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Path file = ReaderProperty.write(dir.resolve("mask.png"), Arrays.copyOfRange(input, 1, input.length));
        int mode = Math.floorMod(input[0], 3);
        ReaderProperty.refusesOnlyWithCamunitException("mask.png", () -> switch (mode) {
            case 0 -> MaskFile.binary(file).toMask(4, 3);
            case 1 -> MaskFile.paletteClass(file, "b", List.of("a", "b", "c")).toMask(4, 3);
            default -> MaskFile.binary(file, 0).toMask(4, 3);
        });
    }
}
