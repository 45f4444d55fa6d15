package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;

/**
 * CSV and JSON manifests: quoting, boxes, sizes, mask paths. The first byte chooses the format
 * (odd: CSV, even: JSON), the rest is the file. The manifest sits beside a 4 x 3 grey mask
 * {@code m.png}, so rows naming it reach the mask decoder.
 */
class ManifestFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"image,label,box,mask", "image,label,box,mask,width,height", "\"image\"", "\"label\"",
        "\"box\"", "\"mask\"", "\"width\"", "\"height\"", "m.png", ";", "\"\"", "1e6", "NaN"})
    void manifest(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ReaderProperty.greyPng(dir.resolve("m.png"), 4, 3);
        String name = (input[0] & 1) == 1 ? "manifest.csv" : "manifest.json";
        ReaderProperty.openAndDecode(ReaderProperty.write(dir.resolve(name), Arrays.copyOfRange(input, 1, input.length)));
    }
}
