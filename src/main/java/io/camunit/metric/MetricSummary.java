package io.camunit.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The distribution of one metric over many samples, overall and per labelled class: how many
 * values, how many samples the metric could not be computed for, and mean, median, 10th
 * percentile, minimum and maximum. Plain Java; reports and gates build on it.
 *
 * <p>Percentiles use linear interpolation between order statistics, as NumPy's default
 * ({@code numpy.percentile(values, p)}, method {@code linear}): for the sorted values
 * {@code x[0] <= ... <= x[n-1]} and {@code h = (n - 1) * p / 100}, the percentile is
 * {@code x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)])}. The median is the
 * 50th percentile.
 *
 * <pre>{@code
 * MetricSummary mass = new MetricSummary();
 * mass.add("square", 0.8);
 * mass.add("circle", 0.4);
 * mass.addFailed("circle");                  // e.g. a degenerate map
 * mass.overall().mean();                     // 0.6
 * mass.overall().failed();                   // 1
 * mass.perClass().get("circle").count();     // 1
 * }</pre>
 *
 * <p>Not thread-safe: fill it from one thread.
 */
public final class MetricSummary {

    private final Group all = new Group();
    private final Map<String, Group> byClass = new LinkedHashMap<>();

    /** Creates an empty summary. */
    public MetricSummary() {}

    /**
     * Records one computed value.
     *
     * @param label the sample's labelled class
     * @param value the metric's value, finite
     * @throws IllegalArgumentException for NaN or infinity: a value that cannot be computed is
     *     recorded with {@link #addFailed} instead
     */
    public void add(String label, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Metric values must be finite; got " + value + " for class "
                    + label + ". Record a value that cannot be computed with addFailed.");
        }
        all.values.add(value);
        group(label).values.add(value);
    }

    /**
     * Records a sample whose value could not be computed (degenerate map, empty region).
     *
     * @param label the sample's labelled class
     */
    public void addFailed(String label) {
        all.failed++;
        group(label).failed++;
    }

    /** @return the statistics over all samples */
    public Statistics overall() {
        return all.statistics();
    }

    /** @return the statistics per labelled class, in order of each class's first sample */
    public Map<String, Statistics> perClass() {
        Map<String, Statistics> out = new LinkedHashMap<>();
        byClass.forEach((label, g) -> out.put(label, g.statistics()));
        return Collections.unmodifiableMap(out);
    }

    private Group group(String label) {
        return byClass.computeIfAbsent(Objects.requireNonNull(label, "label"), l -> new Group());
    }

    /**
     * The arithmetic mean, summed in ascending order so that every surface (assertions, gates,
     * {@code summary.json}) gets the same last bit whatever order the samples came in.
     *
     * <pre>{@code
     * MetricSummary.mean(new double[] {0.1, 0.2, 0.6});   // 0.3
     * }</pre>
     *
     * @param sorted the values in ascending order, at least one
     * @return their mean
     */
    public static double mean(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("A mean needs at least one value");
        }
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return sum / sorted.length;
    }

    /**
     * The percentile of sorted values by linear interpolation between order statistics (NumPy's
     * default).
     *
     * <pre>{@code
     * MetricSummary.percentile(new double[] {10, 20, 30, 40, 50}, 10);   // 14.0
     * }</pre>
     *
     * @param sorted the values in ascending order, at least one
     * @param percent the percentile, from 0 to 100
     * @return the interpolated value
     */
    public static double percentile(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("A percentile needs at least one value");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("A percentile must be between 0 and 100; got " + percent);
        }
        double h = (sorted.length - 1) * percent / 100;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }

    /**
     * Statistics of a set of values. When no value was computed ({@code count == 0}) mean, median,
     * p10, min and max are NaN, and {@link #isEmpty()} says so: write them as "no value", never as
     * a number.
     *
     * <pre>{@code
     * Statistics s = Statistics.of(new double[] {1, 2, 3, 4}, 0);
     * s.median();   // 2.5
     * s.p10();      // 1.3
     * }</pre>
     *
     * @param count the number of computed values
     * @param failed the number of samples the metric could not be computed for
     * @param mean the arithmetic mean
     * @param median the 50th percentile
     * @param p10 the 10th percentile
     * @param min the smallest value
     * @param max the largest value
     */
    public record Statistics(int count, int failed, double mean, double median, double p10, double min, double max) {

        /**
         * @param values the computed values, in any order, all finite
         * @param failed the number of samples without a value
         * @return their statistics
         */
        public static Statistics of(double[] values, int failed) {
            if (values.length == 0) {
                return new Statistics(0, failed, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            for (double v : sorted) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("Metric values must be finite; got " + v);
                }
            }
            return new Statistics(sorted.length, failed, MetricSummary.mean(sorted), percentile(sorted, 50),
                    percentile(sorted, 10), sorted[0], sorted[sorted.length - 1]);
        }

        /** @return true when no value was computed, so the statistics are undefined */
        public boolean isEmpty() {
            return count == 0;
        }
    }

    /** The values and failure count of one group of samples. */
    private static final class Group {
        final List<Double> values = new ArrayList<>();
        int failed;

        Statistics statistics() {
            return Statistics.of(values.stream().mapToDouble(Double::doubleValue).toArray(), failed);
        }
    }
}
