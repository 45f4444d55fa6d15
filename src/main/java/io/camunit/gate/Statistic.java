package io.camunit.gate;

import io.camunit.CamunitException;
import io.camunit.metric.Decimals;
import io.camunit.metric.MetricSummary;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statistic of a metric's values over a data set, as a statistic gate uses it: the mean, the
 * median or a percentile (NumPy's default linear interpolation, {@link MetricSummary#percentile}).
 * Written {@code mean}, {@code median} or {@code pNN} (e.g. {@code p10}) in a gate.
 *
 * <pre>{@code
 * Statistic.percentile(10).of(new double[] {0.2, 0.4, 0.6, 0.8});   // 0.26
 * Statistic.median().toString();                                     // "median"
 * Statistic.parse("p10");                                            // the 10th percentile
 * }</pre>
 *
 * @param isMean true for the mean
 * @param percent the percentile in [0, 100] (50 for the median); NaN for the mean
 */
public record Statistic(boolean isMean, double percent) {

    private static final Pattern PERCENTILE = Pattern.compile("p(\\d+(?:\\.\\d+)?)");

    /** Refuses a percentile outside [0, 100]. */
    public Statistic {
        if (!isMean && !(percent >= 0 && percent <= 100)) {
            throw new CamunitException("A percentile must be in [0, 100]; got " + percent + ".");
        }
        if (isMean) {
            percent = Double.NaN;
        }
    }

    /** @return the arithmetic mean */
    public static Statistic mean() {
        return new Statistic(true, Double.NaN);
    }

    /** @return the 50th percentile */
    public static Statistic median() {
        return percentile(50);
    }

    /**
     * @param percent in [0, 100]
     * @return that percentile, NumPy-linear
     */
    public static Statistic percentile(double percent) {
        return new Statistic(false, percent);
    }

    /**
     * @param word {@code mean}, {@code median} or {@code pNN}, any case
     * @return the statistic, or null when the word names none
     */
    static Statistic parse(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.equals("mean")) {
            return mean();
        }
        if (w.equals("median")) {
            return median();
        }
        Matcher p = PERCENTILE.matcher(w);
        return p.matches() ? percentile(Double.parseDouble(p.group(1))) : null;
    }

    /**
     * @param values the values, in any order, at least one
     * @return the statistic of them
     */
    public double of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("A statistic needs at least one value");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return isMean ? MetricSummary.mean(sorted) : MetricSummary.percentile(sorted, percent);
    }

    /** @return the statistic as a gate writes it: {@code mean}, {@code median} or e.g. {@code p10} */
    @Override
    public String toString() {
        return isMean ? "mean" : percent == 50 ? "median" : "p" + Decimals.plain(percent);
    }
}
