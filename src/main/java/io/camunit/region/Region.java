package io.camunit.region;

import java.util.List;

/**
 * Where a labelled object is, in pixels of the labelled image: a {@link Box}, a {@link Mask}, or a
 * combination of them. Regions are compared with maps at the labelled image's resolution and are
 * never resized with interpolation: {@link #toMask} rasterises them at that size.
 *
 * <pre>{@code
 * Region objects = Region.union(List.of(Box.coco(10, 10, 20, 20), Box.voc(50, 50, 60, 60)));
 * Region generous = objects.withMargin(8);       // 8 px (Euclidean) around the objects
 * Mask m = generous.toMask(128, 96);
 * }</pre>
 */
public interface Region {

    /**
     * Rasterises the region for an image of the given size.
     *
     * @param imageWidth the labelled image's width
     * @param imageHeight the labelled image's height
     * @return the pixels of the region
     */
    Mask toMask(int imageWidth, int imageHeight);

    /** @return a short human description for messages and reports, e.g. {@code box [10, 20, 30, 40]} */
    String describe();

    /**
     * @param margin pixels to add around the region (Euclidean), at least 0
     * @return the region grown by the margin
     */
    default Region withMargin(double margin) {
        return new Margin(this, margin);
    }

    /**
     * @param regions one or more regions
     * @return the pixels in any of them
     */
    static Region union(List<? extends Region> regions) {
        if (regions.size() == 1) {
            return regions.get(0);
        }
        return new Union(List.copyOf(regions));
    }

    /**
     * Several regions as one (for an image with several objects).
     *
     * @param parts the regions, possibly none (then the union is empty)
     */
    record Union(List<Region> parts) implements Region {
        /** Copies the list. */
        public Union {
            parts = List.copyOf(parts);
        }

        @Override
        public Mask toMask(int imageWidth, int imageHeight) {
            Mask m = Mask.empty(imageWidth, imageHeight);
            for (Region r : parts) {
                m = m.or(r.toMask(imageWidth, imageHeight));
            }
            return m;
        }

        @Override
        public String describe() {
            return parts.size() == 1 ? parts.get(0).describe()
                    : "union of " + parts.size() + " regions: " + parts.stream().map(Region::describe).toList();
        }
    }

    /**
     * A region grown by a margin.
     *
     * @param region the region
     * @param margin pixels, Euclidean
     */
    record Margin(Region region, double margin) implements Region {
        @Override
        public Mask toMask(int imageWidth, int imageHeight) {
            return region.toMask(imageWidth, imageHeight).dilated(margin);
        }

        @Override
        public String describe() {
            return region.describe() + " + " + margin + " px";
        }
    }
}
