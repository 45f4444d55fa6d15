package io.camunit.region;

import io.camunit.CamunitException;
import io.camunit.model.ImageSize;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A mask in COCO's run-length encoding: run lengths over the column-major (Fortran order)
 * flattening of an {@code h x w} mask, alternating background and object and starting with
 * background (a first run of 0 when the first pixel is object). COCO files hold it either as a
 * list of counts (uncompressed, typical of {@code iscrowd} annotations) or as an ASCII string
 * (compressed: each count, from the fourth on as a difference to the count two before, in
 * little-endian groups of 5 bits, 6 bits per character with a continuation bit, offset by 48).
 * Only the counts are kept; pixels are decoded on {@link #toMask}, which requires the labelled
 * image to have exactly the RLE's size.
 *
 * <pre>{@code
 * Rle r = Rle.fromCounts(new int[] {1, 2, 3}, 3, 2);   // h = 3, w = 2 (COCO's size [h, w])
 * r.toMask(2, 3).contains(0, 1);                       // true: pixels 1 and 2 of column 0
 * Rle.fromString("123", 3, 2);                          // COCO's compressed form of the same
 * Rle.encode(mask).toCompressedString();
 * }</pre>
 */
public final class Rle implements Region {

    private final int width;
    private final int height;
    private final int[] counts;

    private Rle(int width, int height, int[] counts) {
        this.width = width;
        this.height = height;
        this.counts = counts;
    }

    /**
     * @param counts the run lengths, non-negative, summing to {@code height * width}; copied
     * @param height the mask height (COCO's {@code size[0]})
     * @param width the mask width (COCO's {@code size[1]})
     * @return the RLE
     * @throws CamunitException for negative counts or a sum other than {@code height * width}
     */
    public static Rle fromCounts(int[] counts, int height, int width) {
        return fromCounts(counts.clone(), height, width, Where.value("RLE counts"));
    }

    static Rle fromCounts(int[] counts, int height, int width, Where where) {
        checkSize(height, width, where);
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw where.index(i).fail("a run length >= 0", String.valueOf(counts[i]), "Fix the RLE counts");
            }
            sum += counts[i];
        }
        checkSum(sum, height, width, where);
        return new Rle(width, height, counts);
    }

    /**
     * Decodes COCO's compressed RLE string (pycocotools' {@code rleFrString}).
     *
     * @param counts the ASCII string, characters {@code '0'..'o'}
     * @param height the mask height (COCO's {@code size[0]})
     * @param width the mask width (COCO's {@code size[1]})
     * @return the RLE
     * @throws CamunitException for characters outside the alphabet, a string that ends inside a
     *     number, negative runs or a sum other than {@code height * width}
     */
    public static Rle fromString(String counts, int height, int width) {
        return fromString(counts, height, width, Where.value("RLE counts"));
    }

    static Rle fromString(String s, int height, int width, Where where) {
        checkSize(height, width, where);
        int[] out = new int[s.length()];
        int m = 0;
        long sum = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            int start = p;
            while (more) {
                if (p >= s.length()) {
                    throw where.fail("a complete compressed RLE string", "a string that ends inside the number"
                            + " starting at character " + start, "The string was truncated; re-export the annotation");
                }
                char ch = s.charAt(p);
                if (ch < '0' || ch > 'o' || k > 6) {
                    throw where.fail("characters '0'..'o' (COCO's compressed RLE alphabet) with at most 7 per number",
                            k > 6 ? "a number longer than 7 characters at " + start
                                    : "'" + ch + "' at character " + p,
                            "The string is corrupt; re-export the annotation");
                }
                int c = ch - 48;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k); // sign extension: deltas may be negative
                }
            }
            if (m > 2) {
                x += out[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw where.fail("run lengths >= 0", "run " + m + " decoding to " + x,
                        "The string is corrupt; re-export the annotation");
            }
            out[m++] = (int) x;
            sum += x;
        }
        checkSum(sum, height, width, where);
        return new Rle(width, height, Arrays.copyOf(out, m));
    }

    /**
     * @param mask any mask
     * @return its run-length encoding
     */
    public static Rle encode(Mask mask) {
        int w = mask.width();
        int h = mask.height();
        int[] runs = new int[w * h + 1];
        int m = 0;
        boolean current = false;
        int run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean in = mask.bits().get(y * w + x);
                if (in != current) {
                    runs[m++] = run;
                    run = 0;
                    current = in;
                }
                run++;
            }
        }
        runs[m++] = run;
        return new Rle(w, h, Arrays.copyOf(runs, m));
    }

    /** @return the COCO compressed string (pycocotools' {@code rleToString}) */
    public String toCompressedString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    private static void checkSize(int height, int width, Where where) {
        if (height < 1 || width < 1) {
            throw where.fail("a positive size [h, w]", "[" + height + ", " + width + "]", "Fix the RLE size");
        }
        Checks.imageSize(width, height, where);
    }

    private static void checkSum(long sum, int height, int width, Where where) {
        if (sum != (long) height * width) {
            throw where.fail("run lengths summing to h * w = " + (long) height * width + " (size [h, w] = ["
                    + height + ", " + width + "])", "a sum of " + sum,
                    "The counts do not cover the image exactly: the RLE is truncated or belongs to an image of"
                            + " another size; re-export the annotation");
        }
    }

    /** @return the run lengths, a copy */
    public int[] counts() {
        return counts.clone();
    }

    /** @return the mask width */
    public int width() {
        return width;
    }

    /** @return the mask height */
    public int height() {
        return height;
    }

    /** @return the number of object pixels */
    public int area() {
        int a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    /**
     * @throws CamunitException when the image is not of the RLE's size: RLE masks are never resized
     */
    @Override
    public Mask toMask(int imageWidth, int imageHeight) {
        if (imageWidth != width || imageHeight != height) {
            throw new CamunitException("An RLE mask of size [h, w] = [" + height + ", " + width + "] cannot label a "
                    + ImageSize.format(imageWidth, imageHeight)
                    + " (WIDTHxHEIGHT) image: masks are never resized. Use the RLE of"
                    + " the labelled image.");
        }
        BitSet bits = new BitSet(width * height);
        int position = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i % 2 == 1) {
                for (int c = position; c < position + counts[i]; c++) {
                    bits.set((c % height) * width + c / height);
                }
            }
            position += counts[i];
        }
        return Mask.wrap(width, height, bits);
    }

    @Override
    public String describe() {
        return "RLE mask of " + area() + " px in " + ImageSize.format(width, height);
    }

    @Override
    public boolean equals(Object o) {
        // Runs of 0 inside the list are allowed, so compare what they decode to.
        return o instanceof Rle r && r.width == width && r.height == height
                && Arrays.equals(normalised(r.counts), normalised(counts));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(normalised(counts)) * 31 + width * 7 + height;
    }

    /** Merges zero-length inner runs so equal masks have equal counts. */
    private static int[] normalised(int[] counts) {
        int[] out = new int[counts.length];
        int m = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0 && i > 0 && i + 1 < counts.length) {
                out[m - 1] += counts[++i];
            } else {
                out[m++] = counts[i];
            }
        }
        while (m > 1 && out[m - 1] == 0) {
            m--;
        }
        return Arrays.copyOf(out, m);
    }

    @Override
    public String toString() {
        return "Rle[" + describe() + "]";
    }
}
