package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class InputImageTest {

    @Test
    void pixelsAreScaledToUnitRangeThenNormalisedPerChannel(@TempDir Path dir) throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0080);
        image.setRGB(1, 0, 0x00FF00);
        Path file = dir.resolve("two.png");
        ImageIO.write(image, "png", file.toFile());
        InputSpec spec = InputSpec.of(2, 1).withNormalisation(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.5, 1.0));
        float[] chw = InputImage.read(file).toTensor(spec);
        // R plane, G plane, B plane
        assertThat(chw).containsExactly(new float[] {
            2, -2,
            -1, 1,
            (float) (128 / 255.0 - 0.5), -0.5f}, within(1e-6f));
    }

    @Test
    void greyIsExpandedToThreeEqualChannelsWithoutGammaConversion() {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        float[] chw = InputImage.of("grey", grey).toTensor(InputSpec.of(1, 1));
        assertThat(chw).containsExactly(new float[] {100 / 255f, 100 / 255f, 100 / 255f}, within(1e-6f));
    }

    @Test
    void alphaIsDroppedNotBlended() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00C80A1E);
        float[] chw = InputImage.of("transparent", argb).toTensor(InputSpec.of(1, 1));
        assertThat(chw).containsExactly(new float[] {200 / 255f, 10 / 255f, 30 / 255f}, within(1e-6f));
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_4BYTE_ABGR_PRE,
        BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB})
    void colourPixelsAreWhatGetRgbGivesWithoutAlpha(int type) {
        BufferedImage image = randomImage(type, 37, 23, type);
        assertThat(pixels(InputImage.of("x", image).toBufferedImage())).containsExactly(pixels(image));
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpg"})
    void decodedColourFilesAreWhatGetRgbGivesWithoutAlpha(String format, @TempDir Path dir) throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB}) {
            if (format.equals("jpg") && type == BufferedImage.TYPE_INT_ARGB) {
                continue; // JPEG has no alpha
            }
            Path file = dir.resolve(type + "." + format);
            assertThat(ImageIO.write(randomImage(type, 41, 29, 7 * type), format, file.toFile())).isTrue();
            BufferedImage decoded = ImageIO.read(file.toFile());
            assertThat(pixels(InputImage.read(file).toBufferedImage())).as("%s, type %d", format, type)
                    .containsExactly(pixels(decoded));
        }
    }

    private static BufferedImage randomImage(int type, int w, int h, long seed) {
        java.util.Random random = new java.util.Random(seed);
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        return image;
    }

    /** getRGB without alpha, row-major. */
    private static int[] pixels(BufferedImage image) {
        int[] out = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xFFFFFF;
        }
        return out;
    }

    @Test
    void imagesAreResizedBilinearlyToTheModelSize() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x000000);
        image.setRGB(1, 0, 0xFFFFFF);
        float[] chw = InputImage.of("ramp", image).toTensor(InputSpec.of(4, 1));
        assertThat(java.util.Arrays.copyOf(chw, 4)).containsExactly(new float[] {0, 0.25f, 0.75f, 1}, within(1e-6f));
    }

    @Test
    void imageSizeSpecKeepsTheImageSize() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        assertThat(InputImage.of("x", image).toTensor(InputSpec.imageSize())).hasSize(3 * 3 * 2);
    }

    @Test
    void missingImageIsAClearError() {
        assertThatThrownBy(() -> InputImage.read(Path.of("no/such/image.png")))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image file no/such/image.png does not exist or is not a file");
    }

    @Test
    void aFileThatIsNoImageIsAClearError(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.png");
        Files.writeString(text, "this is not a picture");
        assertThatThrownBy(() -> InputImage.read(text))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image " + text + " cannot be read: no image reader recognises its content (it is not"
                        + " PNG, JPEG, GIF, BMP or TIFF). Expected a PNG or JPEG file; re-save it as one.");
    }
}
