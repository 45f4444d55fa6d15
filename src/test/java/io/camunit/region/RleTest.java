package io.camunit.region;

import static io.camunit.region.ShapesFixture.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RleTest {

    @Test
    void countsRunDownColumnsStartingWithBackground() {
        // h = 3, w = 2: column 0 is positions 0..2; 1 background, 2 object, 3 background.
        assertThat(Rle.fromCounts(new int[] {1, 2, 3}, 3, 2).toMask(2, 3)).isEqualTo(picture(
                "..",
                "#.",
                "#."));
    }

    @Test
    void aFirstRunOfZeroMeansTheFirstPixelIsObject() {
        assertThat(Rle.fromCounts(new int[] {0, 4, 2}, 3, 2).toMask(2, 3)).isEqualTo(picture(
                "##",
                "#.",
                "#."));
    }

    @Test
    void compressedStringsDecodeDeltasFromTheFourthCountOn() {
        // 5, 3, 7 as they are; then 4 = 3 + 1 ('1') and 6 = 7 - 1 ('O': 31, the sign bit 0x10 set).
        Rle r = Rle.fromString("5371O", 5, 5);
        assertThat(r.counts()).containsExactly(5, 3, 7, 4, 6);
        assertThat(r.toCompressedString()).isEqualTo("5371O");
    }

    @Test
    void countsOf32AndMoreUseSeveralCharactersWithAContinuationBit() {
        // 100 = 4 + 3 * 32: 'T' (4 | 0x20 continuation, + 48) then '3'.
        Rle r = Rle.fromString("T3", 10, 10);
        assertThat(r.counts()).containsExactly(100);
        assertThat(r.area()).isZero();
        assertThat(Rle.fromCounts(new int[] {100}, 10, 10).toCompressedString()).isEqualTo("T3");
    }

    @Test
    void encodingThenDecodingRandomMasksGivesThemBack() {
        Random random = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            boolean[] in = new boolean[w * h];
            double density = random.nextDouble();
            for (int i = 0; i < in.length; i++) {
                in[i] = random.nextDouble() < density;
            }
            Mask m = Mask.of(w, h, in);
            Rle rle = Rle.encode(m);
            assertThat(rle.toMask(w, h)).isEqualTo(m);
            assertThat(rle.area()).isEqualTo(m.area());
            Rle back = Rle.fromString(rle.toCompressedString(), h, w);
            assertThat(back.counts()).containsExactly(rle.counts());
        }
    }

    @Test
    void fixtureCompressedStringsReEncodeToTheSameString() throws IOException {
        JsonObject coco = JsonParser.parseString(Files.readString(ShapesFixture.TEST.resolve("coco.json")))
                .getAsJsonObject();
        int strings = 0;
        for (JsonElement a : coco.getAsJsonArray("annotations")) {
            JsonElement seg = a.getAsJsonObject().get("segmentation");
            if (seg.isJsonObject() && seg.getAsJsonObject().get("counts").isJsonPrimitive()) {
                String s = seg.getAsJsonObject().get("counts").getAsString();
                int h = seg.getAsJsonObject().getAsJsonArray("size").get(0).getAsInt();
                int w = seg.getAsJsonObject().getAsJsonArray("size").get(1).getAsInt();
                assertThat(Rle.fromString(s, h, w).toCompressedString()).isEqualTo(s);
                strings++;
            }
        }
        assertThat(strings).isGreaterThan(10);
    }

    @Test
    void equalMasksAreEqualRlesEvenWithZeroLengthRunsInside() {
        Rle plain = Rle.fromCounts(new int[] {2, 2, 2}, 3, 2);
        Rle padded = Rle.fromCounts(new int[] {1, 0, 1, 2, 2, 0}, 3, 2);
        assertThat(padded).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(padded.toMask(2, 3)).isEqualTo(plain.toMask(2, 3));
        assertThat(plain).isNotEqualTo(Rle.fromCounts(new int[] {2, 2, 2}, 2, 3));
    }

    @Test
    void countsThatDoNotSumToHeightTimesWidthAreRejected() {
        assertThatThrownBy(() -> Rle.fromCounts(new int[] {1, 2, 3}, 3, 3)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("RLE counts: expected run lengths summing to h * w = 9 (size [h, w] = [3, 3])")
                .hasMessageContaining("found a sum of 6").hasMessageContaining("truncated or belongs to an image of"
                        + " another size");
        assertThatThrownBy(() -> Rle.fromString("123", 4, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("summing to h * w = 8").hasMessageContaining("found a sum of 6");
    }

    @Test
    void negativeCountsAreRejectedNamingTheirIndex() {
        assertThatThrownBy(() -> Rle.fromCounts(new int[] {4, -1, 3}, 3, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("RLE counts[1]: expected a run length >= 0; found -1");
        // 5, 3, 7 then 3 + (-4): a delta that makes a run negative.
        assertThatThrownBy(() -> Rle.fromString("537L", 5, 5)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("expected run lengths >= 0").hasMessageContaining("run 3 decoding to -1");
    }

    @Test
    void charactersOutsideTheAlphabetAndTruncatedStringsAreRejected() {
        assertThatThrownBy(() -> Rle.fromString("12 3", 3, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("expected characters '0'..'o'").hasMessageContaining("found ' ' at character 2");
        assertThatThrownBy(() -> Rle.fromString("12T", 3, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("expected a complete compressed RLE string")
                .hasMessageContaining("ends inside the number starting at character 2");
    }

    @Test
    void anRleLabelsOnlyAnImageOfItsOwnSize() {
        Rle r = Rle.fromCounts(new int[] {6}, 3, 2);
        assertThatThrownBy(() -> r.toMask(3, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("size [h, w] = [3, 2]").hasMessageContaining("3x2 (WIDTHxHEIGHT) image")
                .hasMessageContaining("never resized");
        assertThatThrownBy(() -> Rle.fromCounts(new int[] {0}, 0, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("expected a positive size [h, w]");
    }

    @Test
    void describeNamesAreaAndSize() {
        assertThat(Rle.fromCounts(new int[] {1, 2, 3}, 3, 2).describe()).isEqualTo("RLE mask of 2 px in 2x3");
        assertThat(List.of(Rle.encode(Mask.empty(2, 2)).counts())).hasSize(1);
    }

    @Test
    void theFixturesDirectoryExists() {
        assertThat(Path.of("fixtures/shapes/test/coco.json")).isRegularFile();
    }
}
