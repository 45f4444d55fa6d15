package io.camunit.region;

import static io.camunit.region.ShapesFixture.picture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskFileTest {

    @TempDir
    Path dir;

    private Path grey(String name, int... values) throws IOException {
        BufferedImage image = new BufferedImage(values.length, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, values.length, 1, 0, values);
        return write(name, image);
    }

    private Path write(String name, BufferedImage image) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, "png", file.toFile())).isTrue();
        return file;
    }

    /** A palette PNG whose colours are VOC's: index 1 is dark red, so getRGB would give colours, not 1. */
    private Path palette(String name, int width, int... indices) throws IOException {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int[][] voc = {{0, 0, 0}, {128, 0, 0}, {0, 128, 0}, {128, 128, 0}, {0, 0, 128}};
        for (int i = 0; i < voc.length; i++) {
            r[i] = (byte) voc[i][0];
            g[i] = (byte) voc[i][1];
            b[i] = (byte) voc[i][2];
        }
        r[255] = g[255] = b[255] = (byte) 224;
        BufferedImage image = new BufferedImage(width, indices.length / width, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        image.getRaster().setSamples(0, 0, width, indices.length / width, 0, indices);
        Path file = write(name, image);
        assertThat(Files.readAllBytes(file)[25]).as("PNG colour type").isEqualTo((byte) 3);
        return file;
    }

    @Test
    void greyPixelsAboveTheThresholdAreInside() throws IOException {
        Path file = grey("m.png", 0, 127, 128, 255);
        assertThat(MaskFile.binary(file).toMask(4, 1)).isEqualTo(picture("..##"));
        assertThat(MaskFile.binary(file, 0).toMask(4, 1)).isEqualTo(picture(".###"));
        assertThat(MaskFile.binary(file, 200).toMask(4, 1)).isEqualTo(picture("...#"));
    }

    @Test
    void sixteenBitGreyIsComparedOnTheEightBitScale() throws IOException {
        BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 127 * 257, 128 * 257, 65535});
        assertThat(MaskFile.binary(write("m16.png", image)).toMask(4, 1)).isEqualTo(picture("..##"));
    }

    @Test
    void oneBitGreyIsScaledUpSoItsOnesAreInside() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        image.getRaster().setSample(1, 0, 0, 1);
        Path file = write("m1.png", image);
        // ImageIO reads 1-bit grey with an IndexColorModel: only the PNG header tells it is grey.
        assertThat(Files.readAllBytes(file)[25]).as("PNG colour type").isEqualTo((byte) 0);
        assertThat(MaskFile.binary(file).toMask(3, 1)).isEqualTo(picture(".#."));
    }

    @Test
    void alphaIsIgnoredInGreyWithAlpha() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(3, 1);
        raster.setSamples(0, 0, 3, 1, 0, new int[] {255, 255, 0});
        raster.setSamples(0, 0, 3, 1, 1, new int[] {255, 0, 255});
        Path file = write("la.png", new BufferedImage(cm, raster, false, null));
        assertThat(Files.readAllBytes(file)[25]).as("PNG colour type").isEqualTo((byte) 4);
        assertThat(MaskFile.binary(file).toMask(3, 1)).isEqualTo(picture("##."));
    }

    @Test
    void rgbMasksWhosePixelsAreAllGreyAreReadAsGrey() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFFFFFF);
        image.setRGB(2, 0, 0x808080);
        assertThat(MaskFile.binary(write("rgb.png", image)).toMask(3, 1)).isEqualTo(picture("#.#"));
    }

    @Test
    void aColouredPixelInAnRgbMaskIsAnErrorNamingIt() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 0, 0x800000);
        Path file = write("voc-colours.png", image);
        assertThatThrownBy(() -> MaskFile.binary(file).toMask(3, 1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Mask file " + file).hasMessageContaining("is a colour image")
                .hasMessageContaining("pixel (1, 0) is coloured (R, G, B = 128, 0, 0)")
                .hasMessageContaining("Re-save it as grey (mode L) or indexed (mode P)");
    }

    @Test
    void paletteIndicesAreClassesAndNeverTheirColours() throws IOException {
        Path file = palette("seg.png", 3, 0, 1, 1, 3, 255, 0);
        Map<String, Region> byClass = MaskFile.paletteClasses(file, ShapesFixture.CLASSES);
        assertThat(byClass.keySet()).containsExactly("circle", "square", "triangle", "star");
        assertThat(byClass.get("circle").toMask(3, 2)).isEqualTo(picture(".##", "..."));
        assertThat(byClass.get("triangle").toMask(3, 2)).isEqualTo(picture("...", "#.."));
        assertThat(byClass.get("square").toMask(3, 2).isEmpty()).isTrue();
        assertThat(byClass.get("star").toMask(3, 2).isEmpty()).isTrue();
    }

    @Test
    void voidIndex255BelongsToNoClass() throws IOException {
        Path file = palette("void.png", 2, 255, 255, 1, 255);
        for (String c : ShapesFixture.CLASSES) {
            Mask m = MaskFile.paletteClass(file, c, ShapesFixture.CLASSES).toMask(2, 2);
            assertThat(m.contains(0, 0) || m.contains(1, 0) || m.contains(1, 1)).as(c).isFalse();
        }
    }

    @Test
    void aPaletteIndexBeyondTheClassListIsAnError() throws IOException {
        Path file = palette("seg.png", 2, 0, 4, 0, 0);
        assertThatThrownBy(() -> MaskFile.paletteClass(file, "circle", List.of("circle", "square")).toMask(2, 2))
                .isInstanceOf(CamunitException.class).hasMessageContaining("Mask file " + file)
                .hasMessageContaining("pixel (1, 0) has palette index 4")
                .hasMessageContaining("the class list [circle, square] has 2 classes")
                .hasMessageContaining("Give the complete class list");
    }

    @Test
    void aPaletteFileReadAsBinaryAsksForTheClassList() throws IOException {
        Path file = palette("seg.png", 2, 0, 1, 0, 0);
        assertThatThrownBy(() -> MaskFile.binary(file).toMask(2, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("is a palette (indexed) PNG: its values are class indices")
                .hasMessageContaining("no class list was given")
                .hasMessageContaining("DatasetOptions.builder().optClassNames(...)");
    }

    @Test
    void aGreyFileReadAsPaletteIsAnError() throws IOException {
        Path file = grey("g.png", 0, 255);
        assertThatThrownBy(() -> MaskFile.paletteClass(file, "circle", ShapesFixture.CLASSES).toMask(2, 1))
                .isInstanceOf(CamunitException.class).hasMessageContaining("is a grey image, not a palette");
        assertThatThrownBy(() -> MaskFile.paletteClass(file, "hexagon", ShapesFixture.CLASSES))
                .isInstanceOf(CamunitException.class).hasMessageContaining("class 'hexagon' is not in the class list");
    }

    @Test
    void aMaskOfTheWrongSizeIsAnErrorNamingBothSizes() throws IOException {
        Path file = grey("small.png", 0, 255, 0);
        assertThatThrownBy(() -> MaskFile.binary(file).toMask(4, 2)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Mask file " + file + " is 3x1 but the labelled image is 4x2 (WIDTHxHEIGHT)")
                .hasMessageContaining("Masks are never resized");
    }

    @Test
    void theFileIsReadOnlyWhenTheMaskIsAskedFor() throws IOException {
        Path file = dir.resolve("later.png");
        MaskFile lazy = MaskFile.binary(file);
        assertThatThrownBy(() -> lazy.toMask(2, 1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Mask file " + file + " does not exist or is not a file");
        grey("later.png", 255, 0);
        assertThat(lazy.toMask(2, 1)).isEqualTo(picture("#."));
    }

    @Test
    void aFileThatIsNoImageIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("text.png"), "not a png");
        assertThatThrownBy(() -> MaskFile.binary(file).toMask(2, 1)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("Expected a PNG mask");
    }

    @Test
    void thresholdsOutsideZeroTo254AreRejected() {
        assertThatThrownBy(() -> MaskFile.binary(dir.resolve("m.png"), 255)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("0..254").hasMessageContaining("got 255");
        assertThatThrownBy(() -> MaskFile.binary(dir.resolve("m.png"), -1)).isInstanceOf(CamunitException.class);
    }

    @Test
    void fixturePaletteClassRegionsEqualTheUnionOfThatClassesObjectMasks() {
        for (Path split : List.of(ShapesFixture.TEST, ShapesFixture.VAL)) {
            LabeledDataset coco = DatasetFormats.open(split.resolve("coco.json"));
            for (LabeledSample s : coco) {
                Map<String, Region> byClass = MaskFile.paletteClasses(
                        split.resolve("masks").resolve(ShapesFixture.stem(s) + ".png"), ShapesFixture.CLASSES);
                for (String c : ShapesFixture.CLASSES) {
                    Mask expected = Mask.empty(s.width(), s.height());
                    for (int k = 0; k < s.objects().size(); k++) {
                        if (s.objects().get(k).label().equals(c)) {
                            expected = expected.or(ShapesFixture.objectMask(split, s, k));
                        }
                    }
                    assertThat(byClass.get(c).toMask(s.width(), s.height())).as("%s %s class %s", split, s.id(), c)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
