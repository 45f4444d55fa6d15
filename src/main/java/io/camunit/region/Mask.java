package io.camunit.region;

import io.camunit.CamunitException;
import io.camunit.model.ImageFile;
import io.camunit.model.ImageSize;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;

/**
 * A binary mask at the labelled image's resolution: the pixels that belong to a region.
 * Immutable.
 *
 * <pre>{@code
 * Mask m = Box.coco(10, 20, 30, 40).toMask(128, 96);
 * m.area();                 // 1200
 * m.contains(10, 20);       // true
 * m.dilated(15).area();     // every pixel within 15 px (Euclidean) of the box
 * }</pre>
 */
public final class Mask implements Region {

    private final int width;
    private final int height;
    private final BitSet bits;

    private Mask(int width, int height, BitSet bits) {
        this.width = width;
        this.height = height;
        this.bits = bits;
    }

    /**
     * @param width image width
     * @param height image height
     * @param inside row-major, {@code width * height} values; copied
     * @return the mask
     */
    public static Mask of(int width, int height, boolean[] inside) {
        checkSize(width, height);
        if (inside.length != (long) width * height) {
            throw new IllegalArgumentException("A " + ImageSize.format(width, height) + " mask needs " + width * height
                    + " values; got " + inside.length);
        }
        BitSet bits = new BitSet(inside.length);
        for (int i = 0; i < inside.length; i++) {
            if (inside[i]) {
                bits.set(i);
            }
        }
        return new Mask(width, height, bits);
    }

    /**
     * @param width image width
     * @param height image height
     * @return a mask with no pixel set
     */
    public static Mask empty(int width, int height) {
        checkSize(width, height);
        return new Mask(width, height, new BitSet());
    }

    /** Builds a mask from a bit set this package owns. */
    static Mask wrap(int width, int height, BitSet bits) {
        return new Mask(width, height, bits);
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new CamunitException("A mask needs at least 1 x 1 pixels; got " + ImageSize.format(width, height));
        }
        // The image pixel limit also keeps width * height within an int index.
        long limit = ImageFile.maxPixels();
        if ((long) width * height > limit) {
            throw new CamunitException(String.format(Locale.ROOT, "A mask of %s = %,d pixels is above the"
                    + " image pixel limit of %,d (system property %s): the size is corrupt, or the limit must be"
                    + " raised for images this large.", ImageSize.format(width, height), (long) width * height, limit,
                    ImageFile.MAX_PIXELS_PROPERTY));
        }
    }

    /** @return the image width */
    public int width() {
        return width;
    }

    /** @return the image height */
    public int height() {
        return height;
    }

    /**
     * @param x column
     * @param y row
     * @return true when pixel (x, y) lies in the mask; false outside the image
     */
    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && bits.get(y * width + x);
    }

    /**
     * Walks the mask's pixels in row-major order without testing every pixel of the image:
     * {@code for (int i = m.nextInside(0); i >= 0; i = m.nextInside(i + 1))} visits each index
     * {@code y * width + x} of the mask once.
     *
     * @param index a row-major index to start from, at least 0
     * @return the index of the first mask pixel at or after {@code index}, or -1 when there is none
     */
    public int nextInside(int index) {
        int i = bits.nextSetBit(index);
        return i < width * height ? i : -1;
    }

    /** @return the number of pixels in the mask */
    public int area() {
        return bits.cardinality();
    }

    /** @return true when no pixel is set */
    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** @return the mask as row-major booleans, a new array */
    public boolean[] toArray() {
        boolean[] out = new boolean[width * height];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            out[i] = true;
        }
        return out;
    }

    /**
     * @param other a mask of the same size
     * @return the pixels in either
     */
    public Mask or(Mask other) {
        requireSameSize(other);
        BitSet union = (BitSet) bits.clone();
        union.or(other.bits);
        return new Mask(width, height, union);
    }

    /**
     * Grows the mask by a margin: every pixel whose centre lies within {@code radius} pixels
     * (Euclidean) of a mask pixel's centre.
     *
     * @param radius the margin in pixels, at least 0
     * @return the dilated mask
     */
    public Mask dilated(double radius) {
        requireMargin(radius);
        if (radius == 0 || isEmpty()) {
            return this;
        }
        double[] distance = DistanceTransform.squaredDistances(this);
        double limit = radius * radius;
        BitSet out = new BitSet(width * height);
        for (int i = 0; i < distance.length; i++) {
            if (distance[i] <= limit) {
                out.set(i);
            }
        }
        return new Mask(width, height, out);
    }

    /**
     * Whether a mask pixel's centre lies within {@code radius} pixels (Euclidean) of pixel
     * {@code (x, y)}'s centre: {@code dilated(radius).contains(x, y)} for one pixel, without
     * dilating the whole mask (it looks at the {@code (2r + 1)^2} pixels around the point only).
     *
     * @param x column
     * @param y row
     * @param radius the margin in pixels, at least 0
     * @return true when the point is inside the mask grown by the margin
     */
    public boolean isNear(int x, int y, double radius) {
        requireMargin(radius);
        if (x < 0 || y < 0 || x >= width || y >= height) {
            // Outside the image: dilated() holds image pixels only.
            return false;
        }
        int r = (int) Math.min(Math.floor(radius), Math.max(width, height));
        double limit = radius * radius;
        for (int row = Math.max(0, y - r); row <= Math.min(height - 1, y + r); row++) {
            long dy = row - y;
            for (int col = Math.max(0, x - r); col <= Math.min(width - 1, x + r); col++) {
                long dx = col - x;
                if (dx * dx + dy * dy <= limit && bits.get(row * width + col)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void requireMargin(double radius) {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new CamunitException("A margin must be a finite number of pixels >= 0; got " + radius);
        }
    }

    /**
     * @return the tight box of the mask in COCO convention (x = first column, w = columns spanned)
     * @throws CamunitException for an empty mask
     */
    public Box boundingBox() {
        if (isEmpty()) {
            throw new CamunitException("An empty mask has no bounding box");
        }
        int minX = width;
        int minY = height;
        int maxX = -1;
        int maxY = -1;
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            int x = i % width;
            int y = i / width;
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        return Box.coco(minX, minY, maxX - minX + 1, maxY - minY + 1);
    }

    @Override
    public Mask toMask(int imageWidth, int imageHeight) {
        if (imageWidth != width || imageHeight != height) {
            throw new CamunitException("A " + ImageSize.format(width, height) + " mask cannot label a "
                    + ImageSize.format(imageWidth, imageHeight)
                    + " image: masks are never resized. Use a mask of the labelled image's size.");
        }
        return this;
    }

    @Override
    public String describe() {
        return "mask of " + area() + " px in " + ImageSize.format(width, height);
    }

    BitSet bits() {
        return bits;
    }

    private void requireSameSize(Mask other) {
        if (other.width != width || other.height != height) {
            throw new CamunitException("Cannot combine a " + ImageSize.format(width, height) + " mask with a "
                    + ImageSize.format(other.width, other.height) + " mask");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.width == width && m.height == height && m.bits.equals(bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {width, height, bits.hashCode()});
    }

    @Override
    public String toString() {
        return "Mask[" + describe() + "]";
    }
}
