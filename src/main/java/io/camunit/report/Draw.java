package io.camunit.report;

import io.camunit.region.Box;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The drawing rules the pictures share. Shapes are set pixel by pixel or drawn with antialiasing off,
 * so that golden tests can compare exact pixels; only text depends on the platform's fonts.
 */
final class Draw {

    /** Height of one line of small text, in pixels. */
    static final int LINE_HEIGHT = 12;

    private Draw() {}

    /** A graphics context with antialiasing off for shapes and on for text (text is not compared). */
    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        return g;
    }

    /** Fills the whole image with one colour. */
    static void fill(BufferedImage image, int rgb) {
        Graphics2D g = graphics(image);
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
    }

    /**
     * Outlines a region on an image of the labelled size: a {@link Box} as the rectangle of its
     * rasterised pixels, anything else as the contour of its mask.
     */
    static void outline(BufferedImage image, Region region, int rgb) {
        Mask mask = region.toMask(image.getWidth(), image.getHeight());
        if (mask.isEmpty()) {
            return;
        }
        if (region instanceof Box) {
            Box b = mask.boundingBox();   // the rasterised pixels, so rectangle and mask agree exactly
            int x0 = (int) Math.round(b.x());
            int y0 = (int) Math.round(b.y());
            Graphics2D g = graphics(image);
            g.setColor(new Color(rgb));
            // drawRect covers x0..x0+w inclusive, so w - 1 gives the outermost pixels of the mask.
            g.drawRect(x0, y0, (int) Math.round(b.width()) - 1, (int) Math.round(b.height()) - 1);
            g.dispose();
        } else {
            contour(image, mask, rgb);
        }
    }

    /**
     * Marks the boundary of a mask: pixels inside with a 4-neighbour outside (outside the image counts
     * as outside, so a region touching the edge is closed there).
     */
    static void contour(BufferedImage image, Mask mask, int rgb) {
        int w = mask.width();
        int h = mask.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.contains(x, y) && (!in(mask, x - 1, y) || !in(mask, x + 1, y)
                        || !in(mask, x, y - 1) || !in(mask, x, y + 1))) {
                    image.setRGB(x, y, rgb);
                }
            }
        }
    }

    private static boolean in(Mask mask, int x, int y) {
        return x >= 0 && y >= 0 && x < mask.width() && y < mask.height() && mask.contains(x, y);
    }

    /** A plus-shaped cross with arms of {@code arm} pixels around (x, y), clipped to the image. */
    static void cross(BufferedImage image, int x, int y, int arm, int rgb) {
        for (int k = -arm; k <= arm; k++) {
            set(image, x + k, y, rgb);
            set(image, x, y + k, rgb);
        }
    }

    private static void set(BufferedImage image, int x, int y, int rgb) {
        if (x >= 0 && y >= 0 && x < image.getWidth() && y < image.getHeight()) {
            image.setRGB(x, y, rgb);
        }
    }

    /**
     * Scales by nearest neighbour: target pixel (x, y) takes source pixel
     * {@code floor((x + 0.5) * sw / tw)}. Nearest keeps the heatmap's and the outlines' pixels crisp
     * and exact, which matters more in a report than smoothness.
     */
    static BufferedImage scaleNearest(BufferedImage src, int tw, int th) {
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        int sw = src.getWidth();
        int sh = src.getHeight();
        for (int y = 0; y < th; y++) {
            int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / th));
            for (int x = 0; x < tw; x++) {
                out.setRGB(x, y, src.getRGB(Math.min(sw - 1, (int) ((x + 0.5) * sw / tw)), sy));
            }
        }
        return out;
    }

    /** Copies {@code src} into {@code dst} at (x, y), pixel by pixel (no compositing). */
    static void paste(BufferedImage dst, BufferedImage src, int x, int y) {
        for (int j = 0; j < src.getHeight(); j++) {
            for (int i = 0; i < src.getWidth(); i++) {
                dst.setRGB(x + i, y + j, src.getRGB(i, j));
            }
        }
    }

    /** Writes lines of text, one per {@link #LINE_HEIGHT}, clipped to the given strip. */
    static void text(BufferedImage image, List<String> lines, int x, int y, int width, int height, int rgb) {
        Graphics2D g = graphics(image);
        g.setClip(x, y, width, height);
        g.setColor(new Color(rgb));
        int ascent = g.getFontMetrics().getAscent();
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), x + 2, y + i * LINE_HEIGHT + Math.min(ascent, LINE_HEIGHT - 2));
        }
        g.dispose();
    }
}
