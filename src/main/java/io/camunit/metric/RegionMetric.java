package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Mask;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metric of a raw map against a labelled region, by its name in camunit's one vocabulary of
 * metric names: the command line ({@code --metrics}, {@code --gate}), the AssertJ assertions,
 * {@code samples.csv}, {@code summary.json}, the evidence JSON and baselines all use the names
 * made here, so a value recorded on one surface is found under the same name on every other.
 *
 * <table>
 *   <caption>Names</caption>
 *   <tr><th>name</th><th>metric</th></tr>
 *   <tr><td>{@code mass-inside}</td><td>{@link MassInside}</td></tr>
 *   <tr><td>{@code peak-inside}, {@code peak-inside-5px}</td><td>{@link PeakInside}, 1 or 0, within 15 px (or the
 *       given tolerance)</td></tr>
 *   <tr><td>{@code rank-accuracy}</td><td>{@link RankAccuracy}</td></tr>
 *   <tr><td>{@code top-10-inside}, {@code top-2.5-inside}</td><td>{@link TopPercentInside} of that percentage</td></tr>
 *   <tr><td>{@code iou}, {@code iou-0.3}</td><td>{@link IouAtThreshold#mask} at 0.2 (or the given threshold)</td></tr>
 * </table>
 *
 * <p>Numbers in names are written by {@link Decimals#plain} ({@code top-10-inside}, never
 * {@code top-10.0-inside}); parsing accepts any spelling of the number and gives the canonical name.
 *
 * <pre>{@code
 * RegionMetric.topPercentInside(10).name();          // "top-10-inside"
 * RegionMetric.parse("TOP-10.0-inside").get().name(); // "top-10-inside"
 * double v = RegionMetric.massInside().of(explanation.raw(), sample.mask());
 * }</pre>
 */
public final class RegionMetric {

    private static final Pattern TOP = Pattern.compile("top-(\\d+(?:\\.\\d+)?)-inside");
    private static final Pattern PEAK = Pattern.compile("peak-inside-(\\d+(?:\\.\\d+)?)px");
    private static final Pattern IOU = Pattern.compile("iou-(\\d*\\.?\\d+)");

    /** A region metric's formula. */
    private interface Formula {
        double of(Heatmap raw, Mask region);
    }

    private final String name;
    private final String what;
    private final Formula formula;

    private RegionMetric(String name, String what, Formula formula) {
        this.name = name;
        this.what = what;
        this.formula = formula;
    }

    /** @return the share of the map's mass inside the region: {@code mass-inside} */
    public static RegionMetric massInside() {
        return new RegionMetric(MassInside.NAME, "share of the map's mass", MassInside::of);
    }

    /** @return the pointing game with 15 px of tolerance, 1 for a hit and 0 for a miss: {@code peak-inside} */
    public static RegionMetric peakInside() {
        return peakInside(PeakInside.DEFAULT_TOLERANCE);
    }

    /**
     * @param tolerance pixels of slack around the region, at least 0
     * @return the pointing game with that tolerance: {@code peak-inside} at 15 px, else e.g. {@code peak-inside-5px}
     */
    public static RegionMetric peakInside(double tolerance) {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new CamunitException("The tolerance of peak-inside must be a finite number of pixels >= 0; got "
                    + tolerance + ".");
        }
        String name = tolerance == PeakInside.DEFAULT_TOLERANCE ? PeakInside.NAME
                : PeakInside.NAME + "-" + Decimals.plain(tolerance) + "px";
        return new RegionMetric(name, "map maximum within " + Decimals.plain(tolerance) + " px",
                (raw, region) -> PeakInside.of(raw, region, tolerance) ? 1 : 0);
    }

    /** @return the share of the region's size in top pixels that lie inside: {@code rank-accuracy} */
    public static RegionMetric rankAccuracy() {
        return new RegionMetric(RankAccuracy.NAME, "top |R| pixels", RankAccuracy::of);
    }

    /**
     * @param percent the share of the map's highest pixels, in (0, 100]
     * @return the share of them inside the region: e.g. {@code top-10-inside}
     */
    public static RegionMetric topPercentInside(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new CamunitException("top-N-inside needs a percentage N in (0, 100]; got " + percent + ".");
        }
        return new RegionMetric("top-" + Decimals.plain(percent) + "-inside", "top " + Decimals.plain(percent)
                + " % of the map", (raw, region) -> TopPercentInside.of(raw, region, percent));
    }

    /** @return the IoU of the map above 0.2 of its maximum with the region: {@code iou} */
    public static RegionMetric iou() {
        return iou(IouAtThreshold.DEFAULT_THRESHOLD);
    }

    /**
     * @param threshold the share of the maximum the map is cut at, in (0, 1]
     * @return that IoU: {@code iou} at 0.2, else e.g. {@code iou-0.3}
     */
    public static RegionMetric iou(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new CamunitException("The threshold of iou must be a share of the map's maximum in (0, 1]; got "
                    + threshold + ".");
        }
        return new RegionMetric(thresholded(IouAtThreshold.NAME, threshold), "map above " + Decimals.plain(threshold)
                + " x max vs region (IoU)", (raw, region) -> IouAtThreshold.mask(raw, region, threshold));
    }

    /** e.g. {@code iou} at the default threshold, {@code iou-0.3} at another; also for {@code box-iou}. */
    static String thresholded(String base, double threshold) {
        return threshold == IouAtThreshold.DEFAULT_THRESHOLD ? base : base + "-" + Decimals.plain(threshold);
    }

    /**
     * @param name a metric name, any case
     * @return the region metric of that name, or empty when the name is not a region metric's
     * @throws CamunitException when the name has a region metric's form with a number out of range
     */
    public static Optional<RegionMetric> parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Matcher m;
        if ((m = TOP.matcher(n)).matches()) {
            return Optional.of(topPercentInside(Double.parseDouble(m.group(1))));
        }
        if ((m = PEAK.matcher(n)).matches()) {
            return Optional.of(peakInside(Double.parseDouble(m.group(1))));
        }
        if ((m = IOU.matcher(n)).matches()) {
            return Optional.of(iou(Double.parseDouble(m.group(1))));
        }
        return switch (n) {
            case MassInside.NAME -> Optional.of(massInside());
            case PeakInside.NAME -> Optional.of(peakInside());
            case RankAccuracy.NAME -> Optional.of(rankAccuracy());
            case IouAtThreshold.NAME -> Optional.of(iou());
            default -> Optional.empty();
        };
    }

    /** @return the metric's name, e.g. {@code top-10-inside} */
    public String name() {
        return name;
    }

    /** @return what it compares, e.g. {@code share of the map's mass}, for reports */
    public String describe() {
        return what;
    }

    /**
     * @param raw a raw map (resized to the region's image if needed)
     * @param region the labelled pixels
     * @return the metric's value
     * @throws DegenerateMapException for a map without positive mass or with NaN/Inf
     * @throws EmptyRegionException for an empty region
     */
    public double of(Heatmap raw, Mask region) {
        return formula.of(raw, region);
    }

    @Override
    public String toString() {
        return name;
    }
}
