package io.camunit.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.CamunitException;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;
import io.camunit.region.Region;
import io.camunit.region.Rle;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * The property every reader fuzz test checks: whatever the bytes, reading them either succeeds or
 * throws {@link CamunitException} with a message that names the file; no other exception or error
 * escapes. Reading includes decoding every region to a mask, since polygons, RLEs and mask files
 * are decoded lazily.
 */
final class ReaderProperty {

    private ReaderProperty() {}

    /** Writes the fuzzer's bytes to {@code file}, replacing what an earlier input left there. */
    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a {@code width x height} 8-bit grey PNG with a few bright pixels, once. */
    static Path greyPng(Path file, int width, int height) {
        if (Files.isRegularFile(file)) {
            return file;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(0, 0, 0, 255);
        image.getRaster().setSample(width - 1, height - 1, 0, 200);
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Opens a data set and decodes every region of every sample. */
    static void openAndDecode(Path path) {
        refusesOnlyWithCamunitException(path.getFileName().toString(), () -> {
            LabeledDataset data = LabeledDataset.open(path);
            for (LabeledSample s : data.samples()) {
                for (LabeledObject o : s.objects()) {
                    decode(o.region(), s);
                }
                s.distractor().ifPresent(d -> decode(d, s));
            }
            return data;
        });
    }

    private static void decode(Region region, LabeledSample s) {
        Mask mask = region.toMask(s.width(), s.height());
        assertThat(mask.width()).isEqualTo(s.width());
        assertThat(mask.height()).isEqualTo(s.height());
        if (region instanceof Rle rle) {
            // An RLE decodes to exactly its runs' object pixels (an overflowing size once gave 0).
            assertThat(mask.area()).as("decoded area of %s", rle).isEqualTo(rle.area());
        }
    }

    /**
     * Runs {@code work}; a {@link CamunitException} is the documented refusal and must say where the
     * problem is ({@code mentions}); anything else propagates and is a finding.
     */
    static void refusesOnlyWithCamunitException(String mentions, Supplier<?> work) {
        try {
            work.get();
        } catch (CamunitException refused) {
            assertThat(refused.getMessage()).as("message of %s", refused).isNotBlank().contains(mentions);
        }
    }
}
