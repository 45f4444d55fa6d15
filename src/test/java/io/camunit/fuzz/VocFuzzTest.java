package io.camunit.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** Pascal VOC annotation XML, including DOCTYPEs, entities and processing instructions. */
class VocFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    @DictionaryEntries({"<annotation>", "</annotation>", "<object>", "</object>", "<bndbox>", "<xmin>", "<ymin>",
        "<xmax>", "<ymax>", "<size>", "<width>", "<height>", "<name>", "<filename>", "<difficult>",
        "<shortcut_mark>", "<!DOCTYPE", "<!ENTITY", "SYSTEM \"file:///etc/hostname\"", "&x;", "<?xml",
        "<![CDATA[", "1e6", "NaN", "-0"})
    void vocXml(byte[] xml) {
        ReaderProperty.openAndDecode(ReaderProperty.write(dir.resolve("annotation.xml"), xml));
    }
}
