package io.camunit.bench;

import io.camunit.heatmap.Heatmap;
import io.camunit.metric.IouAtThreshold;
import io.camunit.metric.MassInside;
import io.camunit.metric.PeakInside;
import io.camunit.metric.RankAccuracy;
import io.camunit.metric.RankCorrelation;
import io.camunit.metric.Ssim;
import io.camunit.metric.TopPercentInside;
import io.camunit.region.Box;
import io.camunit.region.Mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Benchmark (not a test): the cost of each region metric on 1,000 maps of 224 x 224 against box
 * regions, as a median of 5 timed rounds after 2 warm-up rounds. Run with
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dcamunit.skipPython -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.camunit.bench.MetricBenchmark
 * </pre>
 */
public final class MetricBenchmark {

    private static final int SIZE = 224;
    private static final int MAPS = 1000;

    private MetricBenchmark() {}

    public static void main(String[] args) {
        Random random = new Random(1);
        List<Heatmap> maps = new ArrayList<>();
        List<Mask> regions = new ArrayList<>();
        for (int i = 0; i < MAPS; i++) {
            maps.add(blobs(random));
            double x = random.nextInt(150);
            double y = random.nextInt(150);
            regions.add(Box.coco(x, y, 20 + random.nextInt(54), 20 + random.nextInt(54)).toMask(SIZE, SIZE));
        }
        Map<String, BiConsumer<Heatmap, Mask>> metrics = new LinkedHashMap<>();
        metrics.put("mass-inside", MassInside::of);
        metrics.put("peak-inside (15 px)", (m, r) -> PeakInside.of(m, r, 15));
        metrics.put("rank-accuracy", RankAccuracy::of);
        metrics.put("top-10-inside", (m, r) -> TopPercentInside.of(m, r, 10));
        metrics.put("iou (mask, 0.2)", (m, r) -> IouAtThreshold.mask(m, r, 0.2));
        metrics.put("box-iou (0.2)", (m, r) -> IouAtThreshold.box(m, List.of(r.boundingBox()), SIZE, SIZE, 0.2));
        metrics.put("spearman (map vs map)", (m, r) -> RankCorrelation.spearman(m, maps.get(0)));
        metrics.put("ssim (map vs map)", (m, r) -> Ssim.of(m, maps.get(0), 1));
        metrics.put("region toMask (box)", (m, r) -> Box.coco(10, 10, 50, 50).toMask(SIZE, SIZE));
        System.out.printf("%-24s %14s %12s%n", "metric", "ms / 1000 maps", "us / map");
        for (Map.Entry<String, BiConsumer<Heatmap, Mask>> e : metrics.entrySet()) {
            long[] rounds = new long[7];
            for (int round = 0; round < rounds.length; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < MAPS; i++) {
                    e.getValue().accept(maps.get(i), regions.get(i));
                }
                rounds[round] = System.nanoTime() - start;
            }
            long[] timed = Arrays.copyOfRange(rounds, 2, rounds.length);
            Arrays.sort(timed);
            double ms = timed[timed.length / 2] / 1e6;
            System.out.printf("%-24s %14.1f %12.1f%n", e.getKey(), ms, ms * 1000 / MAPS);
        }
    }

    /** A smooth positive map: a few Gaussian blobs, like a CAM after ReLU and upsampling. */
    private static Heatmap blobs(Random random) {
        float[] v = new float[SIZE * SIZE];
        for (int b = 0; b < 3; b++) {
            double cx = random.nextInt(SIZE);
            double cy = random.nextInt(SIZE);
            double s = 10 + random.nextInt(30);
            double a = random.nextDouble();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    v[y * SIZE + x] += (float) (a * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s)));
                }
            }
        }
        return Heatmap.of(SIZE, SIZE, v);
    }
}
