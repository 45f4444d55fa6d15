package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden pixels of the evidence picture on an 8 x 6 synthetic sample; captions are checked only for size. */
class EvidencePictureTest {

    static final int W = 8;
    static final int H = 6;
    static final int BASE = 0x804020;

    static InputImage image() {
        BufferedImage b = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                b.setRGB(x, y, BASE);
            }
        }
        return InputImage.of("synthetic.png", b);
    }

    /** Display 2x2 {0, 1; 1, 0.5}: the corners of the 8x6 resize take those values exactly. */
    static final Heatmap DISPLAY = Heatmap.of(2, 2, new float[] {0, 1, 1, 0.5f});

    static Heatmap rawWithPeakAt(int px, int py) {
        float[] v = new float[W * H];
        v[py * W + px] = 1;
        return Heatmap.of(W, H, v);
    }

    static Explanation explanation(Heatmap raw) {
        return new Explanation("synthetic.png", W, H, Method.GRAD_CAM, List.of("features.10"), "class 1", 1, "square",
                2.5, 1, raw, DISPLAY, List.of(), Explanation.Pipeline.DEFAULT);
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    private static EvidencePicture.Builder grey(Heatmap raw) {
        return EvidencePicture.builder().setImage(image()).setExplanation(explanation(raw))
                .optColormap(Colormap.GREY).optAlpha(0.5);
    }

    @Test
    void overlayPixelsFollowTheBlendFormula() {
        BufferedImage area = grey(rawWithPeakAt(2, 3)).build().renderPictureArea();
        assertThat(area.getWidth()).isEqualTo(W);
        assertThat(area.getHeight()).isEqualTo(H);
        // heat 0: half the image: 0x80/2, 0x40/2, 0x20/2
        assertThat(rgb(area, 0, 0)).isEqualTo(0x402010);
        // heat 1 (255): 64 + 127.5 = 191.5 -> 192; 32 + 127.5 -> 160; 16 + 127.5 -> 144
        assertThat(rgb(area, 7, 0)).isEqualTo(0xC0A090);
        assertThat(rgb(area, 0, 5)).isEqualTo(0xC0A090);
        // heat 0.5 (128): 64 + 64, 32 + 64, 16 + 64
        assertThat(rgb(area, 7, 5)).isEqualTo(0x806050);
    }

    @Test
    void peakIsACrossOfArmTwoAtTheRawMapsMaximum() {
        BufferedImage area = grey(rawWithPeakAt(2, 3)).build().renderPictureArea();
        for (int k = -2; k <= 2; k++) {
            assertThat(rgb(area, 2 + k, 3)).isEqualTo(0xFF0000);
            assertThat(rgb(area, 2, 3 + k)).isEqualTo(0xFF0000);
        }
        assertThat(rgb(area, 3, 4)).isNotEqualTo(0xFF0000);
        assertThat(rgb(area, 5, 3)).isNotEqualTo(0xFF0000);
        assertThat(rgb(area, 2, 0)).isNotEqualTo(0xFF0000);
    }

    @Test
    void maskRegionIsDrawnAsItsContour() {
        // a 4 x 3 block at (2..5, 1..3) with one extra pixel at (6, 2): (5, 2) becomes interior
        boolean[] inside = new boolean[W * H];
        for (int y = 1; y <= 3; y++) {
            for (int x = 2; x <= 5; x++) {
                inside[y * W + x] = true;
            }
        }
        inside[2 * W + 6] = true;
        Mask mask = Mask.of(W, H, inside);
        BufferedImage area = grey(Heatmap.of(W, H, new float[W * H])).optAlpha(0).optRegion(mask).build()
                .renderPictureArea();   // alpha 0 and a flat raw map: only the image and the contour
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean interior = y == 2 && x >= 3 && x <= 5;
                int expected = inside[y * W + x] && !interior ? 0x00FF00 : BASE;
                assertThat(rgb(area, x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void boxIsDrawnAsTheRectangleOfItsPixelsAndTheDistractorInItsOwnColour() {
        BufferedImage area = grey(Heatmap.of(W, H, new float[W * H])).optAlpha(0)
                .optRegion(Box.coco(1, 1, 4, 3)).optDistractor(Box.coco(6, 4, 2, 2)).build().renderPictureArea();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean box = x >= 1 && x <= 4 && y >= 1 && y <= 3 && (x == 1 || x == 4 || y == 1 || y == 3);
                boolean distractor = x >= 6 && y >= 4;
                int expected = box ? 0x00FF00 : distractor ? 0xFF00FF : BASE;
                assertThat(rgb(area, x, y)).as("(%d, %d)", x, y).isEqualTo(expected);
            }
        }
    }

    @Test
    void wholePictureHasAreaColourBarAndCaption() {
        EvidencePicture p = grey(rawWithPeakAt(2, 3)).optMetricLine("peak-inside 0 | mass-inside 0.013").build();
        BufferedImage area = p.renderPictureArea();
        BufferedImage full = p.render();
        assertThat(p.captionLines()).containsExactly("grad-cam @ features.10", "target square (class 1) score 2.500",
                "peak-inside 0 | mass-inside 0.013");
        int captionHeight = 3 * 12 + EvidencePicture.CAPTION_PADDING;
        assertThat(full.getWidth()).isEqualTo(W + EvidencePicture.BAR_GAP + EvidencePicture.BAR_WIDTH);
        assertThat(full.getHeight()).isEqualTo(H + captionHeight);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertThat(rgb(full, x, y)).isEqualTo(rgb(area, x, y));
            }
        }
        int barX = W + EvidencePicture.BAR_GAP;
        for (int x = barX; x < barX + EvidencePicture.BAR_WIDTH; x++) {
            assertThat(rgb(full, x, 0)).isEqualTo(0xFFFFFF);       // value 1 on top
            assertThat(rgb(full, x, H - 1)).isEqualTo(0x000000);   // value 0 at the bottom
        }
        assertThat(rgb(full, W, 0)).isEqualTo(0xFFFFFF);           // the gap is background
        boolean inked = false;
        for (int y = H; y < full.getHeight(); y++) {
            for (int x = 0; x < full.getWidth(); x++) {
                inked |= rgb(full, x, y) != 0xFFFFFF;
            }
        }
        assertThat(inked).as("caption has text").isTrue();
    }

    @Test
    void scaleMagnifiesThePictureAreaByNearestNeighbour() {
        BufferedImage one = grey(rawWithPeakAt(2, 3)).build().renderPictureArea();
        BufferedImage three = grey(rawWithPeakAt(2, 3)).optScale(3).build().renderPictureArea();
        assertThat(three.getWidth()).isEqualTo(3 * W);
        assertThat(three.getHeight()).isEqualTo(3 * H);
        for (int y = 0; y < 3 * H; y++) {
            for (int x = 0; x < 3 * W; x++) {
                assertThat(rgb(three, x, y)).isEqualTo(rgb(one, x / 3, y / 3));
            }
        }
    }

    @Test
    void missingInputsAndSizeMismatchAreRejected() {
        assertThatThrownBy(() -> EvidencePicture.builder().setImage(image()).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("setExplanation");
        BufferedImage other = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> EvidencePicture.builder().setImage(InputImage.of("x", other))
                .setExplanation(explanation(rawWithPeakAt(0, 0))).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("5x5");
        assertThatThrownBy(() -> EvidencePicture.builder().optAlpha(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The shortcut model looks at the corner mark; the picture must show the mark hot. */
    @Test
    void shortcutModelsPictureShowsTheMarkHot(@TempDir Path dir) throws IOException {
        LabeledSample sample = LabeledDataset.open(Path.of("fixtures/shapes/test-marked/coco.json")).samples().get(0);
        Explanation e;
        try (TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-shortcut.pt"))) {
            e = Explainer.of(Method.GRAD_CAM, "features.10").explain(model, sample);
        }
        InputImage image = sample.image();
        EvidencePicture picture = EvidencePicture.builder().setImage(image).setExplanation(e)
                .optRegion(sample.region()).optDistractor(sample.distractor().orElseThrow())
                .optMetricLine("shapes-shortcut on test-marked " + sample.id()).optScale(3).build();
        Path file = Png.write(picture.render(), dir.resolve("shortcut-0001.png"));
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(3 * image.width() + EvidencePicture.BAR_GAP + EvidencePicture.BAR_WIDTH);
        assertThat(back.getHeight()).isEqualTo(3 * image.height() + picture.captionHeight());

        // Hot in viridis is yellow: red + green - blue high. Compare the mark's interior with the object's.
        Mask mark = sample.distractor().orElseThrow().toMask(image.width(), image.height());
        Mask object = sample.mask();
        assertThat(heat(back, mark)).as("mark vs object").isGreaterThan(heat(back, object) + 60);
        assertThat(heat(back, mark)).as("mark is hot").isGreaterThan(250);

        // The example kept in the repository, written only when asked (it is committed by hand).
        if (Boolean.getBoolean("camunit.writeExamples")) {
            Png.write(picture.render(), Path.of("reports/examples/shortcut-0001.png"));
        }
        assertThat(Files.size(file)).isLessThan(200_000);
    }

    /** Mean of R + G - B over the mask's pixels away from its edge, read at scale 3 (pixel centres). */
    private static double heat(BufferedImage picture, Mask mask) {
        double sum = 0;
        int n = 0;
        for (int y = 1; y < mask.height() - 1; y++) {
            for (int x = 1; x < mask.width() - 1; x++) {
                if (mask.contains(x, y) && mask.contains(x - 2 < 0 ? x : x - 2, y) && mask.contains(x + 2 >= mask.width() ? x : x + 2, y)
                        && mask.contains(x, y - 2 < 0 ? y : y - 2) && mask.contains(x, y + 2 >= mask.height() ? y : y + 2)) {
                    int p = picture.getRGB(3 * x + 1, 3 * y + 1);
                    sum += (p >> 16 & 0xFF) + (p >> 8 & 0xFF) - (p & 0xFF);
                    n++;
                }
            }
        }
        assertThat(n).as("interior pixels").isPositive();
        return sum / n;
    }
}
