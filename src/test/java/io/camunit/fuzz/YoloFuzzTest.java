package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;

/**
 * YOLO directories: the input up to its first zero byte is {@code classes.txt}, the rest is
 * {@code labels/a.txt} for a 4 x 3 image {@code images/a.png} (boxes and polygons).
 */
class YoloFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"0 0.5 0.5 0.2 0.2", " 1e6", " -0", " NaN", " Infinity"})
    void yoloLabels(byte[] input) {
        int split = 0;
        while (split < input.length && input[split] != 0) {
            split++;
        }
        ReaderProperty.greyPng(dir.resolve("images/a.png"), 4, 3);
        ReaderProperty.write(dir.resolve("classes.txt"), Arrays.copyOfRange(input, 0, split));
        ReaderProperty.write(dir.resolve("labels/a.txt"), Arrays.copyOfRange(input, Math.min(split + 1, input.length),
                input.length));
        ReaderProperty.openAndDecode(dir);
    }
}
