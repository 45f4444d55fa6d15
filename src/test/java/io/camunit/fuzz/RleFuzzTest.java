package io.camunit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camunit.region.Rle;

/**
 * COCO run-length encodings through the public API, compressed strings and count lists, with any
 * size: decoding must give a mask of the stated size or refuse.
 */
class RleFuzzTest {

    @FuzzTest
    void rle(FuzzedDataProvider data) {
        int height = data.consumeInt();
        int width = data.consumeInt();
        boolean compressed = data.consumeBoolean();
        ReaderProperty.refusesOnlyWithCamunitException("RLE", () -> {
            Rle rle = compressed ? Rle.fromString(data.consumeRemainingAsAsciiString(), height, width)
                    : Rle.fromCounts(data.consumeInts(4096), height, width);
            rle.toCompressedString();
            return rle.toMask(width, height);
        });
    }
}
