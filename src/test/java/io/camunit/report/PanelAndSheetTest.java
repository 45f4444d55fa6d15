package io.camunit.report;

import static io.camunit.report.EvidencePictureTest.BASE;
import static io.camunit.report.EvidencePictureTest.H;
import static io.camunit.report.EvidencePictureTest.W;
import static io.camunit.report.EvidencePictureTest.rgb;
import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.region.Box;

import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Golden sizes and tile placement of the side panel and the contact sheet. */
class PanelAndSheetTest {

    @Test
    void sidePanelHasThreeTilesAtKnownPositions() {
        BufferedImage panel = SidePanel.render(EvidencePictureTest.image(), EvidencePictureTest.DISPLAY,
                Box.coco(1, 1, 2, 2), Colormap.GREY, 0.5);
        int t = SidePanel.TITLE_HEIGHT;
        assertThat(panel.getWidth()).isEqualTo(3 * W + 2 * SidePanel.GAP);
        assertThat(panel.getHeight()).isEqualTo(H + t);
        assertThat(rgb(panel, 0, t)).isEqualTo(BASE);                              // image tile
        assertThat(rgb(panel, W - 1, t + H - 1)).isEqualTo(BASE);
        assertThat(rgb(panel, W, t)).isEqualTo(0xFFFFFF);                          // gap
        assertThat(rgb(panel, W + SidePanel.GAP, t)).isEqualTo(0x402010);          // overlay, heat 0
        assertThat(rgb(panel, 2 * W + SidePanel.GAP - 1, t)).isEqualTo(0xC0A090);  // overlay, heat 1
        int rx = 2 * (W + SidePanel.GAP);
        assertThat(rgb(panel, rx, t)).isEqualTo(0x000000);                         // region tile
        assertThat(rgb(panel, rx + 1, t + 1)).isEqualTo(0xFFFFFF);
        assertThat(rgb(panel, rx + 2, t + 2)).isEqualTo(0xFFFFFF);
        assertThat(rgb(panel, rx + 3, t + 2)).isEqualTo(0x000000);
    }

    private static BufferedImage solid(int w, int h, int colour) {
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.setRGB(x, y, colour);
            }
        }
        return b;
    }

    @Test
    void contactSheetPlacesScaledCellsInAGrid() {
        List<ContactSheet.Entry> entries = List.of(new ContactSheet.Entry(solid(8, 6, 0xFF0000), "worst"),
                new ContactSheet.Entry(solid(4, 4, 0x00FF00), "second"),
                new ContactSheet.Entry(solid(16, 4, 0x0000FF), "third"));
        BufferedImage sheet = ContactSheet.render("3 worst", entries, 2, 16, 12);
        int g = ContactSheet.GAP;
        assertThat(sheet.getWidth()).isEqualTo(g + 2 * (16 + g));
        assertThat(sheet.getHeight()).isEqualTo(ContactSheet.TITLE_HEIGHT + 2 * (12 + ContactSheet.CAPTION_HEIGHT + g));

        // cell 0: 8x6 scaled by 2 fills the 16x12 cell exactly
        int x0 = ContactSheet.cellX(0, 2, 16);
        int y0 = ContactSheet.cellY(0, 2, 12);
        assertThat(x0).isEqualTo(g);
        assertThat(y0).isEqualTo(ContactSheet.TITLE_HEIGHT);
        assertThat(rgb(sheet, x0, y0)).isEqualTo(0xFF0000);
        assertThat(rgb(sheet, x0 + 15, y0 + 11)).isEqualTo(0xFF0000);

        // cell 1: 4x4 scaled by 3 to 12x12, centred: 2 px of background on each side
        int x1 = ContactSheet.cellX(1, 2, 16);
        assertThat(x1).isEqualTo(g + 16 + g);
        assertThat(rgb(sheet, x1 + 1, y0 + 5)).isEqualTo(0xFFFFFF);
        assertThat(rgb(sheet, x1 + 2, y0)).isEqualTo(0x00FF00);
        assertThat(rgb(sheet, x1 + 13, y0 + 11)).isEqualTo(0x00FF00);
        assertThat(rgb(sheet, x1 + 14, y0 + 5)).isEqualTo(0xFFFFFF);

        // cell 2 on the second row: 16x4 stays 16x4, centred vertically (rows 4..7)
        int y2 = ContactSheet.cellY(2, 2, 12);
        assertThat(y2).isEqualTo(ContactSheet.TITLE_HEIGHT + 12 + ContactSheet.CAPTION_HEIGHT + g);
        assertThat(rgb(sheet, g, y2 + 3)).isEqualTo(0xFFFFFF);
        assertThat(rgb(sheet, g, y2 + 4)).isEqualTo(0x0000FF);
        assertThat(rgb(sheet, g + 15, y2 + 7)).isEqualTo(0x0000FF);
        assertThat(rgb(sheet, g, y2 + 8)).isEqualTo(0xFFFFFF);
    }
}
