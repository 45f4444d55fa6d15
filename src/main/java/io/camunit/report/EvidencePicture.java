package io.camunit.report;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.metric.PeakInside;
import io.camunit.model.InputImage;
import io.camunit.region.Region;
import io.camunit.model.ImageSize;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The picture of one failed (or passed) sample: the explanation's heatmap over the image at the
 * image's own size, the labelled region outlined, the distractor outlined in another colour, the
 * map's peak marked with a cross, a colour bar on the right and a caption strip below.
 *
 * <pre>{@code
 * BufferedImage picture = EvidencePicture.builder()
 *         .setImage(sample.image())
 *         .setExplanation(explanation)
 *         .optRegion(sample.region())
 *         .optDistractor(sample.distractor().orElse(null))
 *         .optMetricLine("peak-inside 0 | mass-inside 0.013")
 *         .optScale(3)
 *         .build()
 *         .render();
 * Png.write(picture, Path.of("reports/0001.png"));
 * }</pre>
 *
 * <p>Layout, for an image of {@code w x h} and scale {@code s}: the picture area is
 * {@code (0, 0)..(w*s, h*s)}; the colour bar is {@link #BAR_WIDTH} wide at {@code x = w*s + BAR_GAP},
 * value 1 in its top row and 0 in its bottom row; the caption is {@link Draw#LINE_HEIGHT} pixels per
 * line plus {@link #CAPTION_PADDING}, across the full width, below. The background is white.
 *
 * <p>Defaults: {@link Colormap#VIRIDIS} (perceptual, so the reader judges heat without jet's false
 * bands; pass {@link Colormap#JET} for pictures comparable with pytorch-grad-cam), alpha 0.5, region
 * green, distractor magenta, peak red. The heatmap is the display map (min-max normalised), resized
 * bilinearly to the image as {@link Overlay} does; the peak is that of the raw map at the image's
 * size, as {@link PeakInside#peak} reports it in messages.
 */
public final class EvidencePicture {

    /** Pixels between the picture area and the colour bar. */
    public static final int BAR_GAP = 2;
    /** Width of the colour bar. */
    public static final int BAR_WIDTH = 6;
    /** Pixels added to the caption strip's height beyond its lines. */
    public static final int CAPTION_PADDING = 4;
    /** Arm length of the peak cross, in image pixels. */
    public static final int PEAK_ARM = 2;

    private final Builder b;

    private EvidencePicture(Builder b) {
        this.b = b;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the caption lines: method and layers, target and score, and the metric line if set */
    public List<String> captionLines() {
        Explanation e = b.explanation;
        List<String> lines = new ArrayList<>();
        lines.add(e.method() + " @ " + String.join(", ", e.layers()));
        lines.add(String.format(Locale.ROOT, "target %s (class %d) score %.4g", e.targetLabel(), e.targetClass(),
                e.score()));
        e.match().ifPresent(lines::add);
        if (b.metricLine != null) {
            lines.add(b.metricLine);
        }
        return lines;
    }

    /** @return the height of the caption strip in pixels */
    public int captionHeight() {
        return captionLines().size() * Draw.LINE_HEIGHT + CAPTION_PADDING;
    }

    /**
     * Draws the picture area only (image size times the scale): overlay, outlines, peak. This is the
     * deterministic part, pixel for pixel, on any platform.
     *
     * @return a new RGB image
     */
    public BufferedImage renderPictureArea() {
        Explanation e = b.explanation;
        int w = b.image.width();
        int h = b.image.height();
        BufferedImage area = Overlay.render(b.image, e.display(), b.colormap, b.alpha);
        if (b.region != null) {
            Draw.outline(area, b.region, b.regionRgb);
        }
        if (b.distractor != null) {
            Draw.outline(area, b.distractor, b.distractorRgb);
        }
        if (!e.isDegenerate()) {   // a flat map has no peak worth marking
            int[] p = PeakInside.peak(e.raw(), w, h);
            Draw.cross(area, p[0], p[1], PEAK_ARM, b.peakRgb);
        }
        return b.scale == 1 ? area : Draw.scaleNearest(area, w * b.scale, h * b.scale);
    }

    /** @return the whole picture: picture area, colour bar and caption */
    public BufferedImage render() {
        BufferedImage area = renderPictureArea();
        int aw = area.getWidth();
        int ah = area.getHeight();
        int width = aw + BAR_GAP + BAR_WIDTH;
        BufferedImage out = new BufferedImage(width, ah + captionHeight(), BufferedImage.TYPE_INT_RGB);
        Draw.fill(out, 0xFFFFFF);
        Draw.paste(out, area, 0, 0);
        int barX = aw + BAR_GAP;
        for (int y = 0; y < ah; y++) {
            // top row is value 1, so "hot" reads as "high" as on every chart
            int rgb = b.colormap.rgb(ah == 1 ? 1 : 1 - (double) y / (ah - 1));
            for (int x = barX; x < barX + BAR_WIDTH; x++) {
                out.setRGB(x, y, rgb);
            }
        }
        Draw.text(out, captionLines(), 0, ah, width, captionHeight(), 0x000000);
        return out;
    }

    /** Collects the inputs; {@code set*} are required, {@code opt*} optional. */
    public static final class Builder {

        private InputImage image;
        private Explanation explanation;
        private Region region;
        private Region distractor;
        private Colormap colormap = Colormap.VIRIDIS;
        private double alpha = 0.5;
        private String metricLine;
        private int scale = 1;
        private int regionRgb = 0x00FF00;
        private int distractorRgb = 0xFF00FF;
        private int peakRgb = 0xFF0000;

        private Builder() {}

        /** @param value the image the explanation is of, at its labelled size */
        public Builder setImage(InputImage value) {
            image = Objects.requireNonNull(value, "image");
            return this;
        }

        /** @param value the explanation to draw */
        public Builder setExplanation(Explanation value) {
            explanation = Objects.requireNonNull(value, "explanation");
            return this;
        }

        /** @param value the labelled region, or null for none */
        public Builder optRegion(Region value) {
            region = value;
            return this;
        }

        /** @param value a region the model should not look at, or null for none */
        public Builder optDistractor(Region value) {
            distractor = value;
            return this;
        }

        /** @param value how heat becomes colour (default VIRIDIS) */
        public Builder optColormap(Colormap value) {
            colormap = Objects.requireNonNull(value, "colormap");
            return this;
        }

        /** @param value the heatmap's weight in [0, 1] (default 0.5) */
        public Builder optAlpha(double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException("alpha must lie in [0, 1]; got " + value);
            }
            alpha = value;
            return this;
        }

        /** @param value an extra caption line, e.g. {@code "peak-inside 0 | mass-inside 0.013"} */
        public Builder optMetricLine(String value) {
            metricLine = value;
            return this;
        }

        /** @param value integer nearest-neighbour magnification of the picture area (default 1) */
        public Builder optScale(int value) {
            if (value < 1 || value > 16) {
                throw new IllegalArgumentException("scale must lie in [1, 16]; got " + value);
            }
            scale = value;
            return this;
        }

        /** @param value outline colour of the region, {@code 0xRRGGBB} (default green) */
        public Builder optRegionColour(int value) {
            regionRgb = value & 0xFFFFFF;
            return this;
        }

        /** @param value outline colour of the distractor, {@code 0xRRGGBB} (default magenta) */
        public Builder optDistractorColour(int value) {
            distractorRgb = value & 0xFFFFFF;
            return this;
        }

        /** @param value colour of the peak cross, {@code 0xRRGGBB} (default red) */
        public Builder optPeakColour(int value) {
            peakRgb = value & 0xFFFFFF;
            return this;
        }

        /**
         * @return the picture description
         * @throws CamunitException when the image or explanation is missing or their sizes differ
         */
        public EvidencePicture build() {
            if (image == null || explanation == null) {
                throw new CamunitException("EvidencePicture needs setImage and setExplanation");
            }
            if (image.width() != explanation.imageWidth() || image.height() != explanation.imageHeight()) {
                throw new CamunitException("Image " + ImageSize.format(image.width(), image.height())
                        + " is not the explained image's size " + ImageSize.format(explanation.imageWidth(),
                        explanation.imageHeight()) + " (sample " + explanation.sampleId() + ")");
            }
            return new EvidencePicture(this);
        }
    }
}
