package io.camunit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camunit.region.Mask;
import io.camunit.region.Rle;

/**
 * COCO run-length encodings through the public API, compressed strings and count lists, with any
 * size: decoding must refuse, or give a mask with as many object pixels as the runs hold that
 * encodes back to the same RLE.
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
            Mask mask = rle.toMask(width, height);
            // Decoding loses nothing: the object pixels are the runs' total, and encoding again
            // (through the compressed string) gives the same RLE.
            assertThat(mask.area()).isEqualTo(rle.area());
            assertThat(Rle.fromString(Rle.encode(mask).toCompressedString(), height, width)).isEqualTo(rle);
            return mask;
        });
    }
}
