package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.model.CamModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.model.ImageSize;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metric of one explained, labelled sample, by its name in camunit's one vocabulary (the command
 * line, reports, assertions and baselines share it): the region metrics of {@link RegionMetric}
 * ({@code mass-inside}, {@code peak-inside} and {@code peak-inside-Npx}, {@code rank-accuracy},
 * {@code top-N-inside}, {@code iou} and {@code iou-T}), which compare the raw map with the union of
 * the sample's objects at the labelled image's size; {@code box-iou} (and {@code box-iou-T}), the box
 * of the map's largest component against the labelled boxes; and the metrics that run the model:
 * {@code deletion-auc}, {@code insertion-auc}, {@code average-drop}, {@code increase-in-confidence}, and
 * ROAD's {@code road}, {@code road-morf-P} and {@code road-lerf-P} ({@link Road}).
 *
 * <pre>{@code
 * List<SampleMetric> metrics = SampleMetric.parseList("mass-inside,peak-inside,top-10-inside");
 * MetricResult r = metrics.get(0).measure(explanation, sample, model);
 * SampleMetric.parse("TOP-10.0-inside").name();   // "top-10-inside"
 * }</pre>
 */
public interface SampleMetric {

    /** @return the metric's canonical name */
    String name();

    /** @return true when measuring runs the model (perturbation metrics) */
    boolean needsModel();

    /**
     * @return true when a higher value means a better explanation (every region metric, insertion, ROAD's
     *     combined score and LeRF); false for {@code deletion-auc}, {@code average-drop} and {@code road-morf-P},
     *     where a faithful map drives the value down. Baselines compare in this direction.
     */
    boolean higherIsBetter();

    /**
     * @param name a metric name, any case
     * @return whether a higher value of that metric is better; true for a name camunit does not know (a
     *     user's own values recorded as a baseline), as for every region metric
     */
    static boolean higherIsBetter(String name) {
        return find(name).map(SampleMetric::higherIsBetter).orElse(true);
    }

    /**
     * @param explanation the sample's explanation
     * @param sample the labelled sample (its image is read only by model metrics)
     * @param model the model that was explained
     * @return the value
     * @throws DegenerateMapException for a map without positive mass or with NaN/Inf
     * @throws EmptyRegionException for a sample without labelled pixels
     */
    MetricResult measure(Explanation explanation, LabeledSample sample, CamModel model);

    /** The name of the box variant of IoU. */
    String BOX_IOU = "box-iou";

    /** {@code box-iou-T}. */
    Pattern BOX_IOU_AT = Pattern.compile("box-iou-(\\d*\\.?\\d+)");

    /** The names {@link #parse} knows, for messages. */
    List<String> NAMES = List.of(MassInside.NAME, PeakInside.NAME + " (peak-inside-Npx for N px of tolerance)",
            RankAccuracy.NAME, "top-N-inside (N a percentage, e.g. top-10-inside)",
            IouAtThreshold.NAME + " (iou-T for a threshold T other than 0.2)", BOX_IOU + " (box-iou-T)",
            DeletionInsertion.DELETION, DeletionInsertion.INSERTION, ConfidenceChange.DROP, ConfidenceChange.INCREASE,
            Road.COMBINED, "road-morf-P and road-lerf-P (P the percentage of pixels kept, e.g. road-morf-80)");

    /**
     * @param name a metric name, any case, e.g. {@code top-10-inside}
     * @return the metric, named canonically
     * @throws CamunitException naming the known metrics
     */
    static SampleMetric parse(String name) {
        return find(name).orElseThrow(() -> new CamunitException("Unknown metric '" + name + "'. Known metrics: "
                + String.join(", ", NAMES) + "."));
    }

    /**
     * @param name a metric name, any case
     * @return the metric, named canonically, or empty when camunit knows no metric of that name
     * @throws CamunitException when the name has a known form with a number out of range
     */
    static Optional<SampleMetric> find(String name) {
        Optional<RegionMetric> region = RegionMetric.parse(name);
        if (region.isPresent()) {
            RegionMetric r = region.get();
            return Optional.of(new Named(r.name(), false, true, (e, s, model) -> new MetricResult(r.name(), s.id(),
                    r.of(e.raw(), s.mask()), describe(e, r.describe() + " vs " + s.region().describe() + " in "
                            + ImageSize.format(s.width(), s.height())))));
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        Matcher boxIou = BOX_IOU_AT.matcher(n);
        if (n.equals(BOX_IOU) || boxIou.matches()) {
            double threshold = n.equals(BOX_IOU) ? IouAtThreshold.DEFAULT_THRESHOLD : Double.parseDouble(boxIou.group(1));
            if (!(threshold > 0 && threshold <= 1)) {
                throw new CamunitException("The threshold of box-iou must be a share of the map's maximum in (0, 1];"
                        + " got " + threshold + ".");
            }
            String canonical = RegionMetric.thresholded(BOX_IOU, threshold);
            return Optional.of(new Named(canonical, false, true, (e, s, model) -> new MetricResult(canonical, s.id(),
                    IouAtThreshold.box(e.raw(), boxes(s), s.width(), s.height(), threshold), describe(e, "box of the"
                            + " largest component above " + Decimals.plain(threshold) + " x max vs the labelled boxes"))));
        }
        if (n.equals(Road.COMBINED)) {
            return Optional.of(model(n, (e, s, m) -> Road.of(m, s.image(), Road.checked(e), target(e), Road.PERCENTILES,
                    NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED).combined(), "(mean LeRF - mean MoRF) / 2 of"
                    + " the probability, 10..90 % kept, noisy linear imputation"));
        }
        Matcher road = Road.SINGLE.matcher(n);
        if (road.matches()) {
            BigDecimal kept = new BigDecimal(road.group(2));
            double percentile = kept.doubleValue();
            if (!(percentile > 0 && percentile < 100)) {
                throw new CamunitException("The number in " + n + " is the percentage of pixels kept, in (0, 100);"
                        + " e.g. road-morf-80 removes the 20 % most relevant.");
            }
            boolean morf = road.group(1).equals("morf");
            String canonical = "road-" + road.group(1) + "-" + Decimals.plain(percentile);
            return Optional.of(model(canonical, !morf, (e, s, m) -> Road.single(m, s.image(), Road.checked(e), target(e),
                    percentile, morf, NoisyLinearImputation.DEFAULT_NOISE, Road.DEFAULT_SEED), "change of the probability, "
                    + BigDecimal.valueOf(100).subtract(kept).stripTrailingZeros().toPlainString() + " % "
                    + (morf ? "most" : "least") + " relevant removed, noisy linear imputation"));
        }
        return Optional.ofNullable(switch (n) {
            case DeletionInsertion.DELETION -> model(n, false, (e, s, m) -> DeletionInsertion.deletion(m, s.image(), e.raw(),
                    target(e), DeletionInsertion.DEFAULT_STEPS), "probability as top pixels turn black, 20 steps");
            case DeletionInsertion.INSERTION -> model(n, (e, s, m) -> DeletionInsertion.insertion(m, s.image(), e.raw(),
                    target(e), DeletionInsertion.DEFAULT_STEPS), "probability as top pixels return to a blurred image, 20 steps");
            case ConfidenceChange.DROP -> model(n, false, (e, s, m) -> ConfidenceChange.of(m, s.image(), e.display(), target(e)).drop(),
                    "relu(Y - Y') / Y with the input times the map");
            case ConfidenceChange.INCREASE -> model(n, (e, s, m) -> ConfidenceChange.of(m, s.image(), e.display(), target(e))
                    .increase(), "1 when the input times the map raises Y");
            default -> null;
        });
    }

    /**
     * @param names comma-separated metric names
     * @return the metrics, in order
     */
    static List<SampleMetric> parseList(String names) {
        List<SampleMetric> out = new ArrayList<>();
        for (String n : names.split(",")) {
            if (!n.isBlank()) {
                out.add(parse(n));
            }
        }
        if (out.isEmpty()) {
            throw new CamunitException("No metric named; known metrics: " + String.join(", ", NAMES));
        }
        return out;
    }

    /** A model metric's formula. */
    interface ModelFormula {
        double apply(Explanation e, LabeledSample s, CamModel model);
    }

    /** A metric with its name. */
    interface Measure {
        MetricResult apply(Explanation e, LabeledSample s, CamModel model);
    }

    /**
     * A named metric.
     *
     * @param name the name
     * @param needsModel whether it runs the model
     * @param higherIsBetter whether a higher value is better
     * @param measure how it is measured
     */
    record Named(String name, boolean needsModel, boolean higherIsBetter, Measure measure) implements SampleMetric {
        @Override
        public MetricResult measure(Explanation explanation, LabeledSample sample, CamModel model) {
            return measure.apply(explanation, sample, model);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static SampleMetric model(String name, ModelFormula f, String what) {
        return model(name, true, f, what);
    }

    private static SampleMetric model(String name, boolean higherIsBetter, ModelFormula f, String what) {
        return new Named(name, true, higherIsBetter, (e, s, m) -> new MetricResult(name, s.id(), f.apply(e, s, m), describe(e, what)));
    }

    private static String describe(Explanation e, String what) {
        return e.method().id() + " at " + String.join("+", e.layers()) + " for " + e.targetLabel() + ": " + what;
    }

    private static int target(Explanation e) {
        if (e.targetClass() < 0) {
            throw new CamunitException("Probability metrics follow a class; explanation of " + e.sampleId()
                    + " explains '" + e.target() + "'.");
        }
        return e.targetClass();
    }

    private static List<Box> boxes(LabeledSample s) {
        List<Box> boxes = new ArrayList<>();
        for (LabeledObject o : s.objects()) {
            boxes.add(o.region() instanceof Box b ? b : o.region().toMask(s.width(), s.height()).boundingBox());
        }
        return boxes;
    }
}
