package io.camunit.model;

import io.camunit.CamunitException;
import io.camunit.heatmap.Bilinear;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An RGB image with an id, as read from a file: alpha is dropped and grey is expanded to three
 * channels. Pixels are kept as 8-bit values, row-major; 16-bit files keep the high byte of each
 * sample, as PIL does.
 *
 * <pre>{@code
 * InputImage img = InputImage.read(Path.of("fixtures/goldens/tiny-cnn/sample0-circle.png"));
 * float[] chw = img.toTensor(model.input());
 * }</pre>
 */
public final class InputImage {

    private final String id;
    private final int width;
    private final int height;
    private final int[] rgb;

    private InputImage(String id, int width, int height, int[] rgb) {
        this.id = id;
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /**
     * Reads an image file (PNG or JPEG; GIF, BMP and TIFF too) through {@link ImageFile}: refused
     * before decoding above the pixel limit, refused when truncated or a CMYK JPEG; of an animated or
     * multi-page file the first frame is read.
     *
     * @param path the image file
     * @return the image, with the file name as id
     * @throws CamunitException when the file is missing, not a readable image, truncated, a CMYK
     *     JPEG, or larger than {@link ImageFile#maxPixels()}
     */
    public static InputImage read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CamunitException("Image file " + path + " does not exist or is not a file");
        }
        return of(path.getFileName().toString(), ImageFile.read(path, "Image " + path));
    }

    /**
     * Wraps a decoded image.
     *
     * @param id a name for reports and messages
     * @param image any {@link BufferedImage}; alpha is dropped, grey expanded
     * @return the image
     */
    public static InputImage of(String id, BufferedImage image) {
        Objects.requireNonNull(id, "id");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = new int[w * h];
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int bits = raster.getSampleModel().getSampleSize(0);
        boolean indexed = image.getColorModel() instanceof IndexColorModel;
        if (!indexed && (bands <= 2 || bits > 8 && bands <= 4)) {
            // Grey, and 16-bit colour: take the stored samples (their high byte, as PIL does);
            // getRGB would apply a gamma conversion to grey and round 16-bit values.
            int shift = Math.max(0, bits - 8);
            boolean grey = bands <= 2;
            int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] g = grey ? r : raster.getSamples(0, 0, w, h, 1, (int[]) null);
            int[] b = grey ? r : raster.getSamples(0, 0, w, h, 2, (int[]) null);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (r[i] >> shift & 0xFF) << 16 | (g[i] >> shift & 0xFF) << 8 | b[i] >> shift & 0xFF;
            }
        } else if (isPlainSrgbBytes(image, bands)) {
            // 8-bit sRGB colour (PNG, JPEG, TYPE_3BYTE_BGR, TYPE_4BYTE_ABGR): the stored samples are
            // what getRGB returns, read a row at a time instead of through the colour model per pixel.
            byte[] row = new byte[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getDataElements(0, y, w, 1, row);
                for (int x = 0, i = 0; x < w; x++, i += bands) {
                    rgb[y * w + x] = (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | row[i + 2] & 0xFF;
                }
            }
        } else {
            image.getRGB(0, 0, w, h, rgb, 0, w);
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] &= 0xFFFFFF;
            }
        }
        return new InputImage(id, w, h, rgb);
    }

    /**
     * Colour of 8-bit samples in the sRGB space with straight (not premultiplied) alpha, one byte per
     * sample, bands R, G, B (and A): the colour model would return the samples unchanged.
     */
    private static boolean isPlainSrgbBytes(BufferedImage image, int bands) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (!(cm instanceof ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()
                || raster.getTransferType() != DataBuffer.TYPE_BYTE || (bands != 3 && bands != 4)
                || cm.getNumComponents() != bands) {
            return false;
        }
        for (int size : raster.getSampleModel().getSampleSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param newId another id
     * @return the same pixels under that id
     */
    public InputImage withId(String newId) {
        return new InputImage(Objects.requireNonNull(newId, "id"), width, height, rgb);
    }

    /** @return the id given at creation, the file name for images read from files */
    public String id() {
        return id;
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /** @return the image as a {@link BufferedImage} of type RGB, a new copy */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, width, height, rgb, 0, width);
        return out;
    }

    /**
     * The model input for this image: resized to the spec's size (bilinear, half-pixel centres,
     * as OpenCV's {@code INTER_LINEAR}), scaled to [0, 1] and normalised per channel.
     *
     * @param spec the model's input spec
     * @return {@code 3 x H x W} values, channel-major
     */
    public float[] toTensor(InputSpec spec) {
        int outW = spec.hasSize() ? spec.width() : width;
        int outH = spec.hasSize() ? spec.height() : height;
        float[] out = new float[3 * outW * outH];
        writeTensor(spec, out, 0);
        return out;
    }

    /**
     * Writes {@link #toTensor} into {@code out} at {@code offset}, so that a batch is filled without
     * a copy per image: the three channels resized in one pass over the pixels, then normalised.
     */
    void writeTensor(InputSpec spec, float[] out, int offset) {
        int outW = spec.hasSize() ? spec.width() : width;
        int outH = spec.hasSize() ? spec.height() : height;
        int m = outW * outH;
        if (outW == width && outH == height) {
            for (int c = 0; c < 3; c++) {
                // 256 possible values: the exact formula once per value, then a table lookup.
                double mean = spec.mean().get(c);
                double std = spec.std().get(c);
                float[] table = new float[256];
                for (int v = 0; v < 256; v++) {
                    table[v] = (float) ((v / 255.0 - mean) / std);
                }
                int shift = 16 - 8 * c;
                int base = offset + c * m;
                for (int i = 0; i < m; i++) {
                    out[base + i] = table[(rgb[i] >> shift) & 0xFF];
                }
            }
            return;
        }
        // Multiplications instead of two divisions per value, at a fraction of the cost: the
        // results differ from the divided form by double rounding only (at most one float ulp, rarely).
        double[] scale = new double[3];
        double[] shift = new double[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1 / (255.0 * spec.std().get(c));
            shift[c] = spec.mean().get(c) / spec.std().get(c);
        }
        Bilinear.resizeRgb(rgb, width, height, outW, outH, out, offset, scale, shift);
    }

    @Override
    public String toString() {
        return "InputImage[" + id + ", " + width + "x" + height + "]";
    }
}
