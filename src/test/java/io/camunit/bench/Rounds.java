package io.camunit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interleaved timing of a few operations: after warm-up, each round runs every operation in turn
 * (enough calls for a round to last {@code minRoundMillis}), so that load from other processes on a
 * shared machine hits all of them alike; ratios are taken per round, then their median. Besides
 * wall time, the process's CPU time is recorded (all threads: the engine's and the JVM's), which
 * other processes on the machine do not inflate.
 *
 * <pre>{@code
 * Rounds r = Rounds.measure(List.of(bare, gradCam), 2, 7, 200);
 * r.median(1);          // ms per call of gradCam
 * r.medianRatio(1, 0);  // gradCam / bare
 * }</pre>
 */
final class Rounds {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Wall milliseconds per call, {@code [operation][round]}. */
    private final double[][] millis;
    /** Process CPU milliseconds per call, {@code [operation][round]}. */
    private final double[][] cpuMillis;

    private Rounds(double[][] millis, double[][] cpuMillis) {
        this.millis = millis;
        this.cpuMillis = cpuMillis;
    }

    static Rounds measure(List<Runnable> ops, int warmupRounds, int rounds, double minRoundMillis) {
        int[] calls = new int[ops.size()];
        Arrays.fill(calls, 1);
        for (int w = 0; w < warmupRounds; w++) {
            for (int i = 0; i < ops.size(); i++) {
                double ms = timeCalls(ops.get(i), calls[i])[0] / calls[i];
                // Size each round from the last warm-up, so one round lasts about minRoundMillis.
                calls[i] = Math.max(1, (int) Math.ceil(minRoundMillis / Math.max(ms, 1e-3)));
            }
        }
        double[][] out = new double[ops.size()][rounds];
        double[][] cpu = new double[ops.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ops.size(); i++) {
                double[] t = timeCalls(ops.get(i), calls[i]);
                out[i][r] = t[0] / calls[i];
                cpu[i][r] = t[1] / calls[i];
            }
        }
        return new Rounds(out, cpu);
    }

    /** @return wall and process CPU milliseconds of {@code calls} calls */
    private static double[] timeCalls(Runnable op, int calls) {
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) {
            op.run();
        }
        return new double[] {(System.nanoTime() - start) / 1e6, (OS.getProcessCpuTime() - cpu) / 1e6};
    }

    /** @return the median milliseconds per call of operation {@code op} */
    double median(int op) {
        return median(millis[op]);
    }

    /** @return the median process CPU milliseconds per call of operation {@code op} */
    double medianCpu(int op) {
        return median(cpuMillis[op]);
    }

    /** @return the median over rounds of {@code time(a) / time(b)}, wall time */
    double medianRatio(int a, int b) {
        return medianRatio(millis, a, b);
    }

    /** @return the median over rounds of {@code time(a) / time(b)}, process CPU time */
    double medianCpuRatio(int a, int b) {
        return medianRatio(cpuMillis, a, b);
    }

    private static double medianRatio(double[][] times, int a, int b) {
        double[] ratios = new double[times[a].length];
        for (int r = 0; r < ratios.length; r++) {
            ratios[r] = times[a][r] / times[b][r];
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
