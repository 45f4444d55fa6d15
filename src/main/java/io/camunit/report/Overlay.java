package io.camunit.report;

import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;

import java.awt.image.BufferedImage;

/**
 * The picture a person reads: an image with a heatmap blended over it, at the image's own size.
 *
 * <pre>{@code
 * BufferedImage picture = Overlay.render(image, explanation.display(), Colormap.JET, 0.5);
 * ImageIO.write(picture, "png", file);
 * }</pre>
 */
public final class Overlay {

    private Overlay() {}

    /**
     * Blends {@code (1 - alpha) * image + alpha * colour(map)} per pixel, the map resized to the
     * image with the pipeline's bilinear rule.
     *
     * @param image the picture underneath
     * @param map a map with values in [0, 1], usually the display map
     * @param colormap how values become colours
     * @param alpha the weight of the heatmap, in [0, 1]
     * @return a new RGB image of the image's size
     */
    public static BufferedImage render(InputImage image, Heatmap map, Colormap colormap, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Overlay alpha must lie in [0, 1]; got " + alpha);
        }
        int w = image.width();
        int h = image.height();
        float[] values = map.resize(w, h).toArray();
        BufferedImage base = image.toBufferedImage();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = base.getRGB(x, y);
                int c = colormap.rgb(values[y * w + x]);
                out.setRGB(x, y, blend(p >> 16, c >> 16, alpha) << 16
                        | blend(p >> 8, c >> 8, alpha) << 8
                        | blend(p, c, alpha));
            }
        }
        return out;
    }

    private static int blend(int image, int heat, double alpha) {
        return (int) Math.round((1 - alpha) * (image & 0xFF) + alpha * (heat & 0xFF));
    }
}
