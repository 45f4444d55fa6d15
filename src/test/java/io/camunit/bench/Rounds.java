package io.camunit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interleaved timing of a few operations: after warm-up, each round runs every operation in turn
 * (enough calls for a round to last {@code minRoundMillis}), so that load from other processes on a
 * shared machine hits all of them alike; ratios are taken per round, then their median.
 *
 * <pre>{@code
 * Rounds r = Rounds.measure(List.of(bare, gradCam), 2, 7, 200);
 * r.median(1);          // ms per call of gradCam
 * r.medianRatio(1, 0);  // gradCam / bare
 * }</pre>
 */
final class Rounds {

    /** Milliseconds per call, {@code [operation][round]}. */
    private final double[][] millis;

    private Rounds(double[][] millis) {
        this.millis = millis;
    }

    static Rounds measure(List<Runnable> ops, int warmupRounds, int rounds, double minRoundMillis) {
        int[] calls = new int[ops.size()];
        Arrays.fill(calls, 1);
        for (int w = 0; w < warmupRounds; w++) {
            for (int i = 0; i < ops.size(); i++) {
                double ms = timeCalls(ops.get(i), calls[i]) / calls[i];
                // Size each round from the last warm-up, so one round lasts about minRoundMillis.
                calls[i] = Math.max(1, (int) Math.ceil(minRoundMillis / Math.max(ms, 1e-3)));
            }
        }
        double[][] out = new double[ops.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ops.size(); i++) {
                out[i][r] = timeCalls(ops.get(i), calls[i]) / calls[i];
            }
        }
        return new Rounds(out);
    }

    private static double timeCalls(Runnable op, int calls) {
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            op.run();
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** @return the median milliseconds per call of operation {@code op} */
    double median(int op) {
        return median(millis[op]);
    }

    /** @return the median over rounds of {@code time(a) / time(b)} */
    double medianRatio(int a, int b) {
        double[] ratios = new double[millis[a].length];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = millis[a][r] / millis[b][r];
        }
        return median(ratios);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double median(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        return median(copy.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
