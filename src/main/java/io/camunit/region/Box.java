package io.camunit.region;

import io.camunit.CamunitException;

/**
 * An axis-aligned box in COCO convention: top-left corner {@code (x, y)} and size {@code (w, h)} in
 * float pixels, where pixel {@code (i, j)} covers {@code [i, i+1) x [j, j+1)}. A pixel belongs to the
 * box when its centre {@code (i + 0.5, j + 0.5)} lies inside it, so the integer box
 * {@code [3, 4, 2, 2]} holds exactly pixels 3..4 x 4..5.
 *
 * <pre>{@code
 * Box.coco(3, 4, 2, 2);                     // COCO [x, y, w, h]
 * Box.voc(4, 5, 5, 6);                      // Pascal VOC 1-based inclusive corners: the same box
 * Box.yolo(0.5, 0.5, 0.25, 0.5, 16, 8);     // YOLO normalised centre and size, in a 16 x 8 image
 * }</pre>
 *
 * @param x left edge
 * @param y top edge
 * @param width width, positive
 * @param height height, positive
 */
public record Box(double x, double y, double width, double height) implements Region {

    /** Rejects empty and non-finite boxes. */
    public Box {
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(width > 0) || !(height > 0)
                || !Double.isFinite(width) || !Double.isFinite(height)) {
            throw new CamunitException("A box needs finite coordinates and a positive size; got [x=" + x + ", y=" + y
                    + ", w=" + width + ", h=" + height + "]");
        }
    }

    /**
     * @param x left edge (COCO {@code bbox[0]})
     * @param y top edge
     * @param width width
     * @param height height
     * @return the box
     */
    public static Box coco(double x, double y, double width, double height) {
        return new Box(x, y, width, height);
    }

    /**
     * @param xmin first column, 1-based
     * @param ymin first row, 1-based
     * @param xmax last column, 1-based and inclusive
     * @param ymax last row, 1-based and inclusive
     * @return the box covering those pixels
     */
    public static Box voc(double xmin, double ymin, double xmax, double ymax) {
        return new Box(xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1);
    }

    /**
     * @param centreX centre column as a fraction of the image width
     * @param centreY centre row as a fraction of the image height
     * @param width width as a fraction of the image width
     * @param height height as a fraction of the image height
     * @param imageWidth the image width in pixels
     * @param imageHeight the image height in pixels
     * @return the box in pixels
     */
    public static Box yolo(double centreX, double centreY, double width, double height, int imageWidth, int imageHeight) {
        return new Box((centreX - width / 2) * imageWidth, (centreY - height / 2) * imageHeight,
                width * imageWidth, height * imageHeight);
    }

    /** @return the right edge, {@code x + width} */
    public double maxX() {
        return x + width;
    }

    /** @return the bottom edge, {@code y + height} */
    public double maxY() {
        return y + height;
    }

    /**
     * @param other another box
     * @return intersection over union of the two boxes' areas
     */
    public double iou(Box other) {
        double iw = Math.max(0, Math.min(maxX(), other.maxX()) - Math.max(x, other.x));
        double ih = Math.max(0, Math.min(maxY(), other.maxY()) - Math.max(y, other.y));
        double inter = iw * ih;
        return inter / (width * height + other.width * other.height - inter);
    }

    @Override
    public Mask toMask(int imageWidth, int imageHeight) {
        Mask empty = Mask.empty(imageWidth, imageHeight);
        // Pixel i is inside when x <= i + 0.5 < x + width.
        int x0 = Math.max(0, (int) Math.ceil(x - 0.5));
        int x1 = Math.min(imageWidth, (int) Math.ceil(maxX() - 0.5));
        int y0 = Math.max(0, (int) Math.ceil(y - 0.5));
        int y1 = Math.min(imageHeight, (int) Math.ceil(maxY() - 0.5));
        java.util.BitSet bits = new java.util.BitSet(imageWidth * imageHeight);
        for (int j = y0; j < y1; j++) {
            bits.set(j * imageWidth + x0, j * imageWidth + Math.max(x0, x1));
        }
        return x1 <= x0 || y1 <= y0 ? empty : Mask.wrap(imageWidth, imageHeight, bits);
    }

    @Override
    public String describe() {
        return "box [" + fmt(x) + ", " + fmt(y) + ", " + fmt(width) + ", " + fmt(height) + "]";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
