package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.ImageBytes;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files that are bombs, truncated, empty, 16-bit, grey, CMYK or animated (ImageFile via InputImage). */
class ImageFileTest {

    @TempDir
    Path dir;

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    private static BufferedImage rgb(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 7 & 0xFF) << 16 | (y * 5 & 0xFF) << 8 | (x + y) & 0xFF);
            }
        }
        return image;
    }

    @Test
    void aPngDeclaringMoreThanTheLimitIsRefusedFromItsHeader() throws IOException {
        // 8000 x 8000 grey: 64 MB of pixels (256 MB as RGB ints) in a 62 KB file.
        Path bomb = file("bomb.png", ImageBytes.png(8000, 8000, 8, ImageBytes.GREY, null));
        assertThat(Files.size(bomb)).isLessThan(100_000);
        assertThatThrownBy(() -> InputImage.read(bomb))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image " + bomb + " is 8000x8000 = 64,000,000 pixels, above the limit of 50,000,000"
                        + " pixels. It is refused before decoding: a small file declaring a huge image can exhaust"
                        + " memory (a decompression bomb). Downscale the image, or, if it is genuine, raise the limit"
                        + " with -Dcamunit.image.maxPixels=N.");
    }

    @Test
    void theBombIsRefusedBeforeAnyPixelIsDecoded() throws IOException {
        // Junk instead of compressed pixels: decoding it would fail with a decoder error instead.
        Path bomb = file("junk.png", ImageBytes.png(100_000, 100_000, 8, ImageBytes.GREY, new byte[] {1, 2, 3}, true));
        assertThatThrownBy(() -> InputImage.read(bomb))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("is 100000x100000 = 10,000,000,000 pixels, above the limit");
    }

    @Test
    void aJpegDeclaringAHugeSizeIsRefusedFromItsHeader() throws IOException {
        byte[] jpeg = encode(rgb(16, 8), "jpeg");
        // Frame header SOF0: FF C0, length (2), precision (1), height (2), width (2).
        int sof = 0;
        while (!(jpeg[sof] == (byte) 0xFF && jpeg[sof + 1] == (byte) 0xC0)) {
            sof++;
        }
        jpeg[sof + 5] = jpeg[sof + 7] = (byte) 0xFD;
        jpeg[sof + 6] = jpeg[sof + 8] = (byte) 0xE8;
        Path bomb = file("bomb.jpg", jpeg);
        assertThatThrownBy(() -> InputImage.read(bomb))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Image " + bomb + " is 65000x65000 = 4,225,000,000 pixels, above the limit");
    }

    @Test
    void thePixelLimitIsTheSystemPropertyCamunitImageMaxPixels() throws IOException {
        Path image = file("small.png", encode(rgb(16, 8), "png"));
        String before = System.getProperty(ImageFile.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(ImageFile.MAX_PIXELS_PROPERTY, "127");
            assertThatThrownBy(() -> InputImage.read(image)).hasMessageContaining("16x8 = 128 pixels, above the"
                    + " limit of 127 pixels");
            System.setProperty(ImageFile.MAX_PIXELS_PROPERTY, "128");
            assertThat(InputImage.read(image).width()).isEqualTo(16);
            System.setProperty(ImageFile.MAX_PIXELS_PROPERTY, "lots");
            assertThatThrownBy(() -> InputImage.read(image)).isInstanceOf(CamunitException.class)
                    .hasMessage("System property camunit.image.maxPixels must be a positive whole number of pixels"
                            + " (width times height), e.g. 200000000; got 'lots'.");
        } finally {
            if (before == null) {
                System.clearProperty(ImageFile.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(ImageFile.MAX_PIXELS_PROPERTY, before);
            }
        }
    }

    @Test
    void aTruncatedPngIsRefused() throws IOException {
        byte[] png = encode(rgb(64, 48), "png");
        Path cut = file("cut.png", Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> InputImage.read(cut))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Image " + cut + " cannot be read: IIOException: Error reading PNG image data.")
                .hasMessageContaining("truncated, corrupt or not an image");
    }

    @Test
    void aTruncatedJpegIsRefusedRatherThanFilledWithGrey() throws IOException {
        byte[] jpeg = encode(rgb(64, 48), "jpeg");
        Path cut = file("cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 4 / 5));
        assertThatThrownBy(() -> InputImage.read(cut))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image " + cut + " is truncated: the JPEG decoder reports 'Truncated File - Missing EOI"
                        + " marker'; the part that is missing would be filled with grey. Copy the file again whole,"
                        + " or re-save it.");
    }

    @Test
    void aPngOfZeroWidthIsRefused() throws IOException {
        Path zero = file("zero.png", ImageBytes.png(0, 3, 8, ImageBytes.GREY, new byte[0]));
        assertThatThrownBy(() -> InputImage.read(zero))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Image " + zero + " cannot be read: IIOException: I/O error reading PNG"
                        + " header!");
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        Path empty = file("empty.jpg", new byte[0]);
        assertThatThrownBy(() -> InputImage.read(empty))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image " + empty + " cannot be read: no image reader recognises its content (the file is"
                        + " empty). Expected a PNG or JPEG file; re-save it as one.");
    }

    @Test
    void sixteenBitSamplesKeepTheirHighByteAsPilDoes() throws IOException {
        // One RGB pixel 0x1280, 0x34FF, 0xFF00 and one grey pixel 0x12FF; rounding would give 0x35 and 0x13.
        byte[] rgbRow = {0, 0x12, (byte) 0x80, 0x34, (byte) 0xFF, (byte) 0xFF, 0x00};
        Path rgb16 = file("rgb16.png", ImageBytes.png(1, 1, 16, ImageBytes.RGB, rgbRow));
        Path grey16 = file("grey16.png", ImageBytes.png(1, 1, 16, ImageBytes.GREY, new byte[] {0, 0x12, (byte) 0xFF}));
        assertThat(InputImage.read(rgb16).toTensor(InputSpec.of(1, 1)))
                .containsExactly(new float[] {0x12 / 255f, 0x34 / 255f, 0xFF / 255f}, within(1e-7f));
        assertThat(InputImage.read(grey16).toTensor(InputSpec.of(1, 1)))
                .containsExactly(new float[] {0x12 / 255f, 0x12 / 255f, 0x12 / 255f}, within(1e-7f));
    }

    @Test
    void greyAndGreyWithAlphaFilesGiveThreeEqualChannels() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 255);
        Path greyFile = file("grey.png", encode(grey, "png"));
        // 8-bit grey + alpha, value 100, alpha 0: alpha is dropped, not blended.
        byte[] row = {0, 100, 0, (byte) 200, (byte) 255};
        Path greyAlpha = file("grey-alpha.png", ImageBytes.png(2, 1, 8, 4, row));
        assertThat(InputImage.read(greyFile).toTensor(InputSpec.of(2, 1)))
                .containsExactly(new float[] {100 / 255f, 1, 100 / 255f, 1, 100 / 255f, 1}, within(1e-7f));
        assertThat(InputImage.read(greyAlpha).toTensor(InputSpec.of(2, 1)))
                .containsExactly(new float[] {100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f},
                        within(1e-7f));
    }

    @Test
    void aCmykJpegIsRefusedWithHowToConvertIt() throws IOException {
        // Java writes a four-channel raster as an Adobe CMYK JPEG (PIL opens it as mode CMYK).
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        Path file = file("cmyk.jpg", bytes.toByteArray());
        assertThatThrownBy(() -> InputImage.read(file))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Image " + file + " is a JPEG with four colour channels (CMYK or YCCK), whose colours Java"
                        + " does not convert faithfully. Convert it to RGB first, e.g. with ImageMagick (convert in.jpg"
                        + " -colorspace sRGB out.jpg) or PIL (Image.open(p).convert('RGB').save(q)).");
    }

    @Test
    void anAnimatedGifGivesItsFirstFrame() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int colour : new int[] {0xFF0000, 0x0000FF}) {
                BufferedImage frame = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
                for (int x = 0; x < 4; x++) {
                    frame.setRGB(x, 0, colour);
                    frame.setRGB(x, 1, colour);
                }
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "10");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                meta.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        Path gif = file("two-frames.gif", bytes.toByteArray());
        assertThat(ImageIO.getImageReadersByFormatName("gif").next()).satisfies(r -> {
            r.setInput(ImageIO.createImageInputStream(gif.toFile()));
            assertThat(r.getNumImages(true)).as("frames in the file").isEqualTo(2);
            r.dispose();
        });
        InputImage first = InputImage.read(gif);
        assertThat(first.width()).isEqualTo(4);
        assertThat(first.toTensor(InputSpec.of(1, 1))).containsExactly(new float[] {1, 0, 0}, within(1e-7f));
    }
}
