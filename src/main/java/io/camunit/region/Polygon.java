package io.camunit.region;

import io.camunit.CamunitException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A polygon region in COCO's coordinates (pixel corners: pixel {@code (i, j)} covers
 * {@code [i, i+1) x [j, j+1)}), possibly in several parts whose union is the region, as a COCO
 * {@code segmentation} list of lists.
 *
 * <p>Rasterisation reproduces pycocotools exactly ({@code frPyObjects} then {@code decode}, i.e.
 * maskApi.c's {@code rleFrPoly} and a union of the parts) because users compare camunit's masks with
 * the masks their COCO tooling produces. The facts of that algorithm, reimplemented here:
 * vertices are scaled by 5 and rounded with C's {@code (int)(5 v + 0.5)} (truncation toward zero);
 * every edge is walked one upsampled step at a time along its major axis, the minor coordinate
 * rounded the same way; each step that changes the upsampled column by crossing the centre of a
 * pixel column {@code x} ({@code (u + 0.5) / 5 - 0.5 == x}) toggles column {@code x} from row
 * {@code ceil((min(v) + 0.5) / 5 - 0.5)} (clamped to {@code [0, h]}) downwards; pixels are inside
 * where an odd number of toggles lies at or above them in their column (even-odd rule).
 *
 * <p>Polygons drawn by PIL's {@code ImageDraw.polygon} (pixel-centre coordinates, boundary pixels
 * filled) can differ from this by about one pixel along edges: a PIL mask and the COCO polygon it
 * was traced from agree only approximately (IoU above 0.9 for objects of 10 px and more).
 *
 * <pre>{@code
 * Polygon square = Polygon.of(2, 2, 6, 2, 6, 5, 2, 5);      // x1, y1, x2, y2, ...
 * square.toMask(10, 8).area();                               // 12: columns 2..5, rows 2..4
 * Polygon.ofParts(List.of(new double[] {...}, new double[] {...}));   // union of two parts
 * }</pre>
 */
public final class Polygon implements Region {

    /** pycocotools' upsampling factor. */
    private static final int SCALE = 5;

    private final double[][] parts;

    private Polygon(double[][] parts) {
        this.parts = parts;
    }

    /**
     * @param xy the vertices {@code x1, y1, x2, y2, ...}, at least 3 points
     * @return a one-part polygon
     * @throws CamunitException for fewer than 3 points, an odd count or non-finite coordinates
     */
    public static Polygon of(double... xy) {
        return ofParts(List.of(xy));
    }

    /**
     * @param parts the parts, each {@code x1, y1, x2, y2, ...} with at least 3 points
     * @return the polygon whose region is the union of the parts
     * @throws CamunitException for no parts, a part with fewer than 3 points, an odd count or
     *     coordinates that are not finite or beyond +-1e6
     */
    public static Polygon ofParts(List<double[]> parts) {
        return ofParts(parts, Where.value("polygon"));
    }

    static Polygon ofParts(List<double[]> parts, Where where) {
        if (parts.isEmpty()) {
            throw where.fail("at least one part", "none", "Give the polygon's vertices");
        }
        double[][] copy = new double[parts.size()][];
        for (int p = 0; p < parts.size(); p++) {
            double[] xy = parts.get(p);
            Where part = parts.size() == 1 && where.file() == null ? where : where.index(p);
            checkPart(xy, part);
            copy[p] = xy.clone();
        }
        return new Polygon(copy);
    }

    static void checkPart(double[] xy, Where where) {
        if (xy.length % 2 != 0) {
            throw where.fail("an even number of coordinates (x1, y1, x2, y2, ...)", xy.length + " numbers",
                    "Add the missing coordinate or remove the extra one");
        }
        if (xy.length < 6) {
            throw where.fail("at least 3 points (6 numbers)", xy.length + " numbers"
                    + (xy.length == 4 ? " (pycocotools would silently read them as a box [x, y, w, h])" : ""),
                    "Give a polygon with at least 3 vertices, or use a box");
        }
        for (int i = 0; i < xy.length; i++) {
            if (!Double.isFinite(xy[i]) || Math.abs(xy[i]) > JsonFields.ABSURD) {
                throw where.index(i).fail("a finite coordinate within +-" + (long) JsonFields.ABSURD + " px",
                        String.valueOf(xy[i]), "Fix the vertex");
            }
        }
    }

    /** @return the parts, each {@code x1, y1, x2, y2, ...}; copies */
    public List<double[]> parts() {
        List<double[]> out = new ArrayList<>(parts.length);
        for (double[] p : parts) {
            out.add(p.clone());
        }
        return out;
    }

    /** @return the number of vertices over all parts */
    public int vertexCount() {
        int n = 0;
        for (double[] p : parts) {
            n += p.length / 2;
        }
        return n;
    }

    /** @return the smallest box holding every vertex (COCO convention) */
    public Box bounds() {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (double[] p : parts) {
            for (int i = 0; i < p.length; i += 2) {
                minX = Math.min(minX, p[i]);
                maxX = Math.max(maxX, p[i]);
                minY = Math.min(minY, p[i + 1]);
                maxY = Math.max(maxY, p[i + 1]);
            }
        }
        return Box.coco(minX, minY, maxX - minX, maxY - minY);
    }

    @Override
    public Mask toMask(int imageWidth, int imageHeight) {
        Mask.empty(imageWidth, imageHeight); // size check
        BitSet union = new BitSet(imageWidth * imageHeight);
        for (double[] p : parts) {
            union.or(rasterise(p, imageWidth, imageHeight));
        }
        return Mask.wrap(imageWidth, imageHeight, union);
    }

    /** One part, as pycocotools' rleFrPoly would decode it; returns row-major bits. */
    private static BitSet rasterise(double[] xy, int w, int h) {
        int k = xy.length / 2;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            // Java's (int) cast truncates toward zero like C's, which matters for negative coordinates.
            x[j] = (int) (SCALE * xy[2 * j] + .5);
            y[j] = (int) (SCALE * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        Toggles toggles = new Toggles(w, h);
        for (int j = 0; j < k; j++) {
            walkEdge(x[j], y[j], x[j + 1], y[j + 1], toggles);
        }
        return toggles.fill();
    }

    /**
     * Emits the upsampled points of one edge in its own direction. The axis with the larger
     * extent is stepped by one; the walk always starts from that axis' lower end when computing
     * the other coordinate, so an edge gives the same points whichever way it is traversed.
     */
    private static void walkEdge(int xs, int ys, int xe, int ye, Toggles toggles) {
        int dx = Math.abs(xe - xs);
        int dy = Math.abs(ye - ys);
        boolean alongX = dx >= dy;
        boolean reversed = alongX ? xs > xe : ys > ye;
        int ax = reversed ? xe : xs;
        int ay = reversed ? ye : ys;
        int bx = reversed ? xs : xe;
        int by = reversed ? ys : ye;
        int steps = alongX ? dx : dy;
        double slope = alongX ? (double) (by - ay) / dx : (double) (bx - ax) / dy;
        for (int d = 0; d <= steps; d++) {
            int t = reversed ? steps - d : d;
            if (alongX) {
                toggles.point(ax + t, (int) (ay + slope * t + .5));
            } else {
                toggles.point((int) (ax + slope * t + .5), ay + t);
            }
        }
    }

    /** Collects the column toggles of consecutive upsampled boundary points, then fills. */
    private static final class Toggles {
        private final int w;
        private final int h;
        private int[] positions = new int[64];
        private int n;
        private boolean started;
        private int lastU;
        private int lastV;

        Toggles(int w, int h) {
            this.w = w;
            this.h = h;
        }

        void point(int u, int v) {
            if (started && u != lastU) {
                crossing(u, v);
            }
            started = true;
            lastU = u;
            lastV = v;
        }

        private void crossing(int u, int v) {
            double column = u < lastU ? u : u - 1;
            column = (column + .5) / SCALE - .5;
            // Only steps across a pixel column's centre count, and only inside the image.
            if (Math.floor(column) != column || column < 0 || column > w - 1) {
                return;
            }
            double row = Math.min(v, lastV);
            row = (row + .5) / SCALE - .5;
            row = row < 0 ? 0 : row > h ? h : row;
            row = Math.ceil(row);
            if (n == positions.length) {
                positions = Arrays.copyOf(positions, 2 * n);
            }
            // Column-major position; row h is the top of the next column, as in pycocotools.
            positions[n++] = (int) column * h + (int) row;
        }

        BitSet fill() {
            int[] sorted = Arrays.copyOf(positions, n);
            Arrays.sort(sorted);
            BitSet out = new BitSet(w * h);
            int total = w * h;
            for (int i = 0; i < sorted.length; i += 2) {
                int from = sorted[i];
                int to = i + 1 < sorted.length ? sorted[i + 1] : total;
                for (int c = from; c < Math.min(to, total); c++) {
                    out.set((c % h) * w + c / h);
                }
            }
            return out;
        }
    }

    @Override
    public String describe() {
        return parts.length == 1 ? "polygon of " + vertexCount() + " points"
                : "polygon of " + parts.length + " parts, " + vertexCount() + " points";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polygon p && Arrays.deepEquals(p.parts, parts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(parts);
    }

    @Override
    public String toString() {
        return "Polygon[" + describe() + "]";
    }
}
