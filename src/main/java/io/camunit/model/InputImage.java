package io.camunit.model;

import io.camunit.CamunitException;
import io.camunit.heatmap.Bilinear;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * An RGB image with an id, as read from a file: alpha is dropped and grey is expanded to three
 * channels. Pixels are kept as 8-bit values, row-major.
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
     * Reads a PNG or JPEG file.
     *
     * @param path the image file
     * @return the image, with the file name as id
     * @throws CamunitException when the file is missing or not a readable image
     */
    public static InputImage read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CamunitException("Image file " + path + " does not exist or is not a file");
        }
        BufferedImage image;
        try {
            image = ImageIO.read(path.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CamunitException(
                    "Cannot read image " + path + ": " + e.getMessage()
                            + ". Expected a PNG or JPEG file; re-save it in one of those formats.", e);
        }
        if (image == null) {
            throw new CamunitException(
                    "Cannot read image " + path + ": no PNG or JPEG reader recognises its content."
                            + " Re-save it as PNG or JPEG.");
        }
        return of(path.getFileName().toString(), image);
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
        if (bands <= 2 && image.getType() != BufferedImage.TYPE_BYTE_INDEXED
                && image.getType() != BufferedImage.TYPE_BYTE_BINARY) {
            // Grey: take the stored sample; getRGB would apply a gamma conversion PIL does not.
            int shift = raster.getSampleModel().getSampleSize(0) - 8;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = raster.getSample(x, y, 0);
                    g = shift > 0 ? g >> shift : g;
                    rgb[y * w + x] = (g << 16) | (g << 8) | g;
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
        float[] planes = new float[3 * width * height];
        int n = width * height;
        for (int i = 0; i < n; i++) {
            int p = rgb[i];
            planes[i] = (p >> 16) & 0xFF;
            planes[n + i] = (p >> 8) & 0xFF;
            planes[2 * n + i] = p & 0xFF;
        }
        float[] out = new float[3 * outW * outH];
        int m = outW * outH;
        for (int c = 0; c < 3; c++) {
            float[] plane = java.util.Arrays.copyOfRange(planes, c * n, (c + 1) * n);
            float[] resized = outW == width && outH == height
                    ? plane
                    : Bilinear.resize(plane, width, height, outW, outH);
            double mean = spec.mean().get(c);
            double std = spec.std().get(c);
            for (int i = 0; i < m; i++) {
                out[c * m + i] = (float) ((resized[i] / 255.0 - mean) / std);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "InputImage[" + id + ", " + width + "x" + height + "]";
    }
}
