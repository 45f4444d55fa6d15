package io.camunit.report;

import io.camunit.model.ImageSize;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * A grid of pictures, e.g. the worst N samples of a failed gate, each scaled into a fixed cell with a
 * caption below it, and a title line on top. Entries are drawn in the order given: sort them (worst
 * first) before.
 *
 * <pre>{@code
 * List<ContactSheet.Entry> worst = failures.stream().limit(12)
 *         .map(f -> new ContactSheet.Entry(f.picture(), f.id() + " mass 0.01")).toList();
 * BufferedImage sheet = ContactSheet.render("shapes-shortcut: 12 worst of 40", worst, 4, 128, 96);
 * }</pre>
 *
 * <p>Layout: cell {@code i} at column {@code i % columns}, row {@code i / columns}, its top-left
 * corner at {@code x = GAP + col * (cellWidth + GAP)}, {@code y = TITLE_HEIGHT + row * (cellHeight +
 * CAPTION_HEIGHT + GAP)}. A picture is scaled by nearest neighbour (crisp, exact pixels, no blurred
 * outlines) to the largest size that fits the cell with its aspect ratio kept, and centred in it.
 */
public final class ContactSheet {

    /** Pixels around and between cells. */
    public static final int GAP = 2;
    /** Height of the title strip. */
    public static final int TITLE_HEIGHT = 16;
    /** Height of the caption strip under each cell. */
    public static final int CAPTION_HEIGHT = Draw.LINE_HEIGHT;

    /**
     * One cell.
     *
     * @param picture the picture, any size
     * @param caption one line under it
     */
    public record Entry(BufferedImage picture, String caption) {
        /** Checks for nulls. */
        public Entry {
            Objects.requireNonNull(picture, "picture");
            Objects.requireNonNull(caption, "caption");
        }
    }

    private ContactSheet() {}

    /**
     * @param title the line on top
     * @param entries the cells, already sorted
     * @param columns cells per row, at least 1
     * @param cellWidth width of a cell's picture area
     * @param cellHeight height of a cell's picture area
     * @return a new RGB image; with no entries, only the title strip
     */
    public static BufferedImage render(String title, List<Entry> entries, int columns, int cellWidth, int cellHeight) {
        if (columns < 1 || cellWidth < 1 || cellHeight < 1) {
            throw new IllegalArgumentException("columns and cell size must be positive; got " + columns + ", "
                    + ImageSize.format(cellWidth, cellHeight));
        }
        int rows = (entries.size() + columns - 1) / columns;
        int width = GAP + columns * (cellWidth + GAP);
        int height = TITLE_HEIGHT + rows * (cellHeight + CAPTION_HEIGHT + GAP);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Draw.fill(out, 0xFFFFFF);
        Draw.text(out, List.of(title), 0, 2, width, TITLE_HEIGHT - 2, 0x000000);
        for (int i = 0; i < entries.size(); i++) {
            int x = cellX(i, columns, cellWidth);
            int y = cellY(i, columns, cellHeight);
            BufferedImage p = entries.get(i).picture();
            double f = Math.min((double) cellWidth / p.getWidth(), (double) cellHeight / p.getHeight());
            int sw = Math.max(1, Math.min(cellWidth, (int) Math.round(p.getWidth() * f)));
            int sh = Math.max(1, Math.min(cellHeight, (int) Math.round(p.getHeight() * f)));
            Draw.paste(out, Draw.scaleNearest(p, sw, sh), x + (cellWidth - sw) / 2, y + (cellHeight - sh) / 2);
            Draw.text(out, List.of(entries.get(i).caption()), x, y + cellHeight, cellWidth, CAPTION_HEIGHT, 0x000000);
        }
        return out;
    }

    /** @return the left edge of cell {@code i} */
    public static int cellX(int i, int columns, int cellWidth) {
        return GAP + (i % columns) * (cellWidth + GAP);
    }

    /** @return the top edge of cell {@code i}'s picture area */
    public static int cellY(int i, int columns, int cellHeight) {
        return TITLE_HEIGHT + (i / columns) * (cellHeight + CAPTION_HEIGHT + GAP);
    }
}
