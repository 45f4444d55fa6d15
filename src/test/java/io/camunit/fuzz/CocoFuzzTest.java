package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** COCO instances JSON: categories, images, annotations with boxes, polygons and both RLE forms. */
class CocoFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"\"images\"", "\"annotations\"", "\"categories\"", "\"segmentation\"", "\"counts\"",
        "\"size\"", "\"bbox\"", "\"iscrowd\"", "\"shortcut_mark\"", "\"file_name\"", "\"width\"", "\"height\"",
        "\"image_id\"", "\"category_id\"", "\"name\"", "\"id\"", "1e6", "-1", "2147483648", "1e308", "[[", "{\""})
    void cocoJson(byte[] json) {
        ReaderProperty.openAndDecode(ReaderProperty.write(dir.resolve("coco.json"), json));
    }
}
