package io.camunit.bench;

import io.camunit.cli.Main;
import io.camunit.engine.EngineThreads;
import io.camunit.region.Box;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;
import io.camunit.report.CsvField;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark (not a test): the same {@code camunit evaluate} of N samples (the 64 x 64 shapes scenes over
 * and over, linked into {@code target/bench/spark-data}) run locally and with {@code --spark local[2]}
 * in this JVM, for each method given; it prints the seconds of each and the difference, and checks that
 * both wrote the same {@code samples.csv}. Spark needs its Java 17 options (src/main/spark/java17-jvm.options):
 *
 * <pre>
 * mvn -B -q test-compile exec:exec -Dcamunit.skipPython -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-Xmx1g @src/main/spark/java17-jvm.options -classpath %classpath io.camunit.bench.SparkEvaluateBenchmark 2000 grad-cam,eigen-cam"
 * </pre>
 */
public final class SparkEvaluateBenchmark {

    private static final Path DATA = Path.of("target/bench/spark-data");
    private static final Path OUT = Path.of("target/bench/spark-out");

    private SparkEvaluateBenchmark() {}

    /** @param args the number of samples (default 2000) and the methods, comma-separated (default grad-cam) */
    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        String[] methods = (args.length > 1 ? args[1] : "grad-cam").split(",");
        // As the camunit command: a process of its own, one PyTorch thread per core.
        System.setProperty(EngineThreads.POLICY, "all");
        System.setProperty("spark.ui.enabled", "false");
        List<LabeledSample> scenes = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples();
        Path manifest = manifest(scenes, count);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "camunit evaluate of %,d samples (64x64 shapes scenes, shapes-clean, batch 16),"
                + " %d cores, max heap %.0f MiB%n%n", count, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576.0);
        // Warm-up: the engine's start and check, the JIT, Spark's classes.
        evaluate(DATA.resolve("manifest-warm-up.csv"), "grad-cam", "warm-up-local", null);
        evaluate(DATA.resolve("manifest-warm-up.csv"), "grad-cam", "warm-up-spark", "local[2]");
        out.println("| method | local, s | --spark local[2], s | difference, s | samples.csv equal |");
        out.println("|---|---|---|---|---|");
        for (String method : methods) {
            double local = evaluate(manifest, method, method + "-local", null);
            double spark = evaluate(manifest, method, method + "-spark", "local[2]");
            boolean same = Files.readString(OUT.resolve(method + "-local/samples.csv"))
                    .equals(Files.readString(OUT.resolve(method + "-spark/samples.csv")));
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %+.1f | %s |%n", method, local, spark, spark - local,
                    same ? "yes" : "NO");
        }
    }

    /** @return the seconds of one {@code camunit evaluate}; fails on any exit code but 0 */
    private static double evaluate(Path manifest, String method, String name, String master) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", "fixtures/models/shapes-clean.pt",
                "--data", manifest.toString(), "--method", method, "--batch", "16", "--metrics",
                "mass-inside,peak-inside", "--out", OUT.resolve(name).toString()));
        if (master != null) {
            args.addAll(List.of("--spark", master));
        }
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("camunit evaluate " + args + " exited " + code + ":\n" + err);
        }
        return seconds;
    }

    /** Links to the scenes and a manifest of the first {@code count}, with the scenes' boxes (and one of 32). */
    private static Path manifest(List<LabeledSample> scenes, int count) throws IOException {
        Files.createDirectories(DATA.resolve("images"));
        for (int i = 0; i < count; i++) {
            Path link = DATA.resolve("images/" + i + ".png");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, scenes.get(i % scenes.size()).imagePath().toAbsolutePath());
            }
        }
        write(scenes, 32, DATA.resolve("manifest-warm-up.csv"));
        return write(scenes, count, DATA.resolve("manifest-" + count + ".csv"));
    }

    private static Path write(List<LabeledSample> scenes, int count, Path file) throws IOException {
        StringBuilder csv = new StringBuilder("image,label,box,width,height\n");
        for (int i = 0; i < count; i++) {
            LabeledSample s = scenes.get(i % scenes.size());
            for (LabeledObject o : s.objects()) {
                Box b = o.region().toMask(s.width(), s.height()).boundingBox();
                csv.append(CsvField.row(List.of("images/" + i + ".png", o.label(), (long) b.x() + ";" + (long) b.y()
                        + ";" + (long) b.width() + ";" + (long) b.height(), Integer.toString(s.width()),
                        Integer.toString(s.height())))).append('\n');
            }
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }
}
