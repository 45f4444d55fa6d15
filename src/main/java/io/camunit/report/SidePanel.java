package io.camunit.report;

import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.region.Mask;
import io.camunit.region.Region;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Three tiles side by side, each with a small title above: the image, the heatmap overlay, and the
 * region as a white mask on black. Reading them together shows at once whether the heat sits where
 * the label says the object is.
 *
 * <pre>{@code
 * BufferedImage panel = SidePanel.render(sample.image(), explanation.display(), sample.region(),
 *         Colormap.VIRIDIS, 0.5);
 * Png.write(panel, Path.of("reports/0001-panel.png"));
 * }</pre>
 *
 * <p>Layout for an image of {@code w x h}: tile {@code i} (0, 1, 2) at
 * {@code x = i * (w + GAP), y = TITLE_HEIGHT}; the panel is {@code 3w + 2 GAP} by
 * {@code h + TITLE_HEIGHT}, white between tiles.
 */
public final class SidePanel {

    /** Pixels between tiles. */
    public static final int GAP = 2;
    /** Height of the title strip above the tiles. */
    public static final int TITLE_HEIGHT = Draw.LINE_HEIGHT;
    /** The tile titles, left to right. */
    public static final List<String> TITLES = List.of("image", "heatmap", "region");

    private SidePanel() {}

    /**
     * @param image the image, at its labelled size
     * @param map the map to overlay, usually the display map (resized to the image bilinearly)
     * @param region the labelled region, or null for an all-black third tile
     * @param colormap how heat becomes colour
     * @param alpha the heatmap's weight in [0, 1]
     * @return a new RGB image
     */
    public static BufferedImage render(InputImage image, Heatmap map, Region region, Colormap colormap, double alpha) {
        int w = image.width();
        int h = image.height();
        BufferedImage out = new BufferedImage(3 * w + 2 * GAP, h + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Draw.fill(out, 0xFFFFFF);
        Draw.paste(out, image.toBufferedImage(), 0, TITLE_HEIGHT);
        Draw.paste(out, Overlay.render(image, map, colormap, alpha), w + GAP, TITLE_HEIGHT);
        Mask mask = region == null ? Mask.empty(w, h) : region.toMask(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(2 * (w + GAP) + x, TITLE_HEIGHT + y, mask.contains(x, y) ? 0xFFFFFF : 0x000000);
            }
        }
        for (int i = 0; i < 3; i++) {
            Draw.text(out, List.of(TITLES.get(i)), i * (w + GAP), 0, w, TITLE_HEIGHT, 0x000000);
        }
        return out;
    }
}
