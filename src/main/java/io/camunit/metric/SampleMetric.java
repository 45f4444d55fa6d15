package io.camunit.metric;

import io.camunit.CamunitException;
import io.camunit.explain.Explanation;
import io.camunit.model.CamModel;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.region.Mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A metric of one explained, labelled sample, by the name used on the command line and in reports:
 * {@code mass-inside}, {@code peak-inside} (15 px tolerance), {@code rank-accuracy},
 * {@code top-N-inside} (top N %), {@code iou} (mask, threshold 0.2), {@code box-iou},
 * {@code deletion-auc}, {@code insertion-auc}, {@code average-drop}, {@code increase-in-confidence}.
 * Region metrics compare the raw map with the union of the sample's objects at the labelled image's
 * size; the others run the model.
 *
 * <pre>{@code
 * List<SampleMetric> metrics = SampleMetric.parseList("mass-inside,peak-inside,top-10-inside");
 * MetricResult r = metrics.get(0).measure(explanation, sample, model);
 * }</pre>
 */
public interface SampleMetric {

    /** @return the metric's name */
    String name();

    /** @return true when measuring runs the model (perturbation metrics) */
    boolean needsModel();

    /**
     * @param explanation the sample's explanation
     * @param sample the labelled sample (its image is read only by model metrics)
     * @param model the model that was explained
     * @return the value
     * @throws DegenerateMapException for a map without positive mass or with NaN/Inf
     * @throws EmptyRegionException for a sample without labelled pixels
     */
    MetricResult measure(Explanation explanation, LabeledSample sample, CamModel model);

    /** The names {@link #parse} knows, for messages. */
    List<String> NAMES = List.of(MassInside.NAME, PeakInside.NAME, RankAccuracy.NAME, "top-N-inside",
            IouAtThreshold.NAME, "box-iou", DeletionInsertion.DELETION, DeletionInsertion.INSERTION,
            ConfidenceChange.DROP, ConfidenceChange.INCREASE);

    /**
     * @param name a metric name, e.g. {@code top-10-inside}
     * @return the metric
     * @throws CamunitException naming the known metrics
     */
    static SampleMetric parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Matcher top = Pattern.compile("top-(\\d+(?:\\.\\d+)?)-inside").matcher(n);
        if (top.matches()) {
            double percent = Double.parseDouble(top.group(1));
            return region(n, (e, m) -> TopPercentInside.of(e.raw(), m, percent), "top " + percent + " % of the map");
        }
        return switch (n) {
            case MassInside.NAME -> region(n, (e, m) -> MassInside.of(e.raw(), m), "share of the map's mass");
            case PeakInside.NAME -> region(n, (e, m) -> PeakInside.of(e.raw(), m, PeakInside.DEFAULT_TOLERANCE) ? 1 : 0,
                    "map maximum within 15 px");
            case RankAccuracy.NAME -> region(n, (e, m) -> RankAccuracy.of(e.raw(), m), "top |R| pixels");
            case IouAtThreshold.NAME -> region(n, (e, m) -> IouAtThreshold.mask(e.raw(), m, IouAtThreshold.DEFAULT_THRESHOLD),
                    "map above 0.2 x max vs region (IoU)");
            case "box-iou" -> new Named(n, false, (e, s, model) -> new MetricResult(n, s.id(),
                    IouAtThreshold.box(e.raw(), boxes(s), s.width(), s.height(), IouAtThreshold.DEFAULT_THRESHOLD),
                    describe(e, "box of the largest component above 0.2 x max vs the labelled boxes")));
            case DeletionInsertion.DELETION -> model(n, (e, s, m) -> DeletionInsertion.deletion(m, s.image(), e.raw(),
                    target(e), DeletionInsertion.DEFAULT_STEPS), "probability as top pixels turn black, 20 steps");
            case DeletionInsertion.INSERTION -> model(n, (e, s, m) -> DeletionInsertion.insertion(m, s.image(), e.raw(),
                    target(e), DeletionInsertion.DEFAULT_STEPS), "probability as top pixels return to a blurred image, 20 steps");
            case ConfidenceChange.DROP -> model(n, (e, s, m) -> ConfidenceChange.of(m, s.image(), e.display(), target(e)).drop(),
                    "relu(Y - Y') / Y with the input times the map");
            case ConfidenceChange.INCREASE -> model(n, (e, s, m) -> ConfidenceChange.of(m, s.image(), e.display(), target(e))
                    .increase(), "1 when the input times the map raises Y");
            default -> throw new CamunitException("Unknown metric '" + name + "'. Known metrics: "
                    + String.join(", ", NAMES) + " (top-N-inside with N a percentage, e.g. top-10-inside).");
        };
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

    /** A region metric's formula. */
    interface RegionFormula {
        double apply(Explanation e, Mask region);
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
     * @param measure how it is measured
     */
    record Named(String name, boolean needsModel, Measure measure) implements SampleMetric {
        @Override
        public MetricResult measure(Explanation explanation, LabeledSample sample, CamModel model) {
            return measure.apply(explanation, sample, model);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static SampleMetric region(String name, RegionFormula f, String what) {
        return new Named(name, false, (e, s, model) -> {
            Mask mask = s.mask();
            return new MetricResult(name, s.id(), f.apply(e, mask),
                    describe(e, what + " vs " + s.region().describe() + " in " + s.width() + " x " + s.height()));
        });
    }

    private static SampleMetric model(String name, ModelFormula f, String what) {
        return new Named(name, true, (e, s, m) -> new MetricResult(name, s.id(), f.apply(e, s, m), describe(e, what)));
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
