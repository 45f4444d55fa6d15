package io.camunit.spark;

import io.camunit.CamunitException;
import io.camunit.evaluation.Evaluation;
import io.camunit.evaluation.EvaluationListener;
import io.camunit.evaluation.EvaluationResult;
import io.camunit.evaluation.MeasuredSample;
import io.camunit.region.LabeledSample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs an {@link Evaluation} on Apache Spark. The driver cuts the items into the evaluation's own
 * {@link Evaluation#batches()}, gives consecutive batches to each partition, and ships the model
 * file and the data folder with Spark's file distribution; each executor opens the same evaluation
 * from an {@link EvaluationRecipe} (once per task slot) and measures its batches with
 * {@link Evaluation#measure}; the driver collects the rows a few partitions at a time, in order, and
 * feeds them to {@link Evaluation#tally}: the result, the rows and every output are the local run's.
 *
 * <pre>{@code
 * try (JavaSparkContext sc = new JavaSparkContext("local[2]", "camunit")) {
 *     EvaluationResult r = SparkEvaluation.run(sc, evaluation, recipe, 0, new EvaluationListener() {});
 * }
 * }</pre>
 */
public final class SparkEvaluation {

    private SparkEvaluation() {}

    /**
     * Runs the evaluation in a Spark context of its own, stopped at the end, e.g. for
     * {@code camunit evaluate --spark local[2]} or under {@code spark-submit}.
     *
     * @param master the Spark master, e.g. {@code local[2]}, {@code spark://host:7077} or {@code yarn};
     *     empty to take {@code spark.master} from {@code spark-submit}
     * @param evaluation the driver's evaluation (with its gates, baselines, evidence)
     * @param recipe how executors open the same evaluation
     * @param listener told of every row and batch, in order, on the calling thread
     * @return the result
     * @throws CamunitException for bad input, or when the job fails (with the executor's message)
     */
    public static EvaluationResult run(String master, Evaluation evaluation, EvaluationRecipe recipe,
            EvaluationListener listener) {
        SparkConf conf = new SparkConf();  // takes spark.* system properties, as spark-submit sets them
        if (!master.isEmpty()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            throw new CamunitException("Option --spark without a master is for spark-submit, which sets the master"
                    + " (--master); outside it give one, e.g. --spark local[2], --spark spark://host:7077 or --spark yarn.");
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName("camunit evaluate");
        }
        JavaSparkContext sc;
        try {
            sc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new CamunitException("Spark could not start with master '" + conf.get("spark.master") + "': " + e
                    + ". Check the master URL and that Spark's JVM options are set (docs/spark.md).", e);
        }
        try {
            return run(sc, evaluation, recipe, 0, listener);
        } finally {
            sc.stop();
            // The context that shipped them is gone: its archives are no longer needed.
            for (Path folder : recipe.folders()) {
                FolderArchive.delete(folder);
            }
        }
    }

    /**
     * Runs the evaluation in a given Spark context.
     *
     * @param sc the context; stays open
     * @param evaluation the driver's evaluation
     * @param recipe how executors open the same evaluation
     * @param partitions how many partitions, each a run of consecutive batches; 0 for four per default
     *     parallelism (at most one per batch)
     * @param listener told of every row and batch, in order, on the calling thread
     * @return the result, equal to {@code evaluation.run(listener)}'s
     * @throws CamunitException for bad input, or when the job fails (with the executor's message)
     */
    public static EvaluationResult run(JavaSparkContext sc, Evaluation evaluation, EvaluationRecipe recipe,
            int partitions, EvaluationListener listener) {
        List<List<Integer>> batches = evaluation.batches();
        int slices = Math.min(batches.size(), partitions > 0 ? partitions : 4 * sc.defaultParallelism());
        try {
            SharedFiles shared = new SharedFiles(Path.of(""));
            for (Path file : recipe.files()) {
                requireExists(file);
                sc.addFile(file.toAbsolutePath().toString());
                shared.addFile(file, file.getFileName().toString());
            }
            for (Path folder : recipe.folders()) {
                requireExists(folder);
                Path zip = FolderArchive.write(folder);
                sc.sc().addArchive(zip.toString());
                shared.addFolder(folder, zip.getFileName().toString());
            }
            JavaRDD<ArrayList<Integer>> input = sc.parallelize(batches.stream().map(ArrayList::new).toList(), slices);
            JavaRDD<ArrayList<MeasuredRow>> rows = input.mapPartitions(new MeasureBatches(recipe, shared), true);
            return evaluation.tally(new DriverRows(rows, slices, 2 * sc.defaultParallelism(), evaluation.samples()),
                    listener);
        } catch (IOException e) {
            throw new CamunitException("Could not prepare the data for Spark's executors: " + e, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw jobFailed(e);
        } finally {
            if (sc.isLocal()) {
                // The executors were threads of this JVM: their models are closed with the run.
                ExecutorEvaluations.closeIdle(recipe);
            }
        }
    }

    private static void requireExists(Path path) {
        if (!Files.exists(path)) {
            throw new CamunitException("Spark's executors need " + path + ", which does not exist on the driver.");
        }
    }

    /**
     * The executor's own error, out of Spark's report of a failed job: "... most recent failure: Lost task
     * 0.1 in stage 0.0 (TID 3) (host executor 1): io.camunit.CamunitException: ... \n\tat ...".
     */
    static CamunitException jobFailed(Exception e) {
        if (!(e instanceof SparkException)) {
            return new CamunitException("The Spark job failed: " + e, e);
        }
        String message = String.valueOf(e.getMessage());
        String stage = message.lines().findFirst().orElse(message);
        int recent = message.indexOf("most recent failure: ");
        String executor = stage;
        if (recent >= 0) {
            String failure = message.substring(recent + "most recent failure: ".length());
            int end = failure.indexOf("\n\tat ");
            failure = end >= 0 ? failure.substring(0, end) : failure.lines().findFirst().orElse(failure);
            int origin = failure.indexOf("): ");
            executor = origin >= 0 ? failure.substring(origin + 3) : failure;
            int comma = stage.indexOf(", most recent failure");
            stage = comma >= 0 ? stage.substring(0, comma) : stage;
        }
        return new CamunitException(String.format(Locale.ROOT, "The Spark job failed (%s); the executor's error: %s",
                stage.strip(), executor.strip()), e);
    }

    /**
     * The rows of every partition, in order, collected a window of partitions at a time (one Spark job
     * each, its partitions in parallel), so the driver holds the rows of one window, not of the run.
     */
    private static final class DriverRows implements Iterator<List<MeasuredSample>> {
        private final JavaRDD<ArrayList<MeasuredRow>> rows;
        private final int partitions;
        private final int window;
        private final List<LabeledSample> samples;
        private final Deque<ArrayList<MeasuredRow>> pending = new ArrayDeque<>();
        private int nextPartition;

        DriverRows(JavaRDD<ArrayList<MeasuredRow>> rows, int partitions, int window, List<LabeledSample> samples) {
            this.rows = rows;
            this.partitions = partitions;
            this.window = Math.max(1, window);
            this.samples = samples;
        }

        @Override
        public boolean hasNext() {
            while (pending.isEmpty() && nextPartition < partitions) {
                int[] ids = IntStream.range(nextPartition, Math.min(partitions, nextPartition + window)).toArray();
                nextPartition += ids.length;
                for (List<ArrayList<MeasuredRow>> partition : collect(ids)) {
                    pending.addAll(partition);
                }
            }
            return !pending.isEmpty();
        }

        private List<ArrayList<MeasuredRow>>[] collect(int[] ids) {
            try {
                return rows.collectPartitions(ids);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw jobFailed(e);
            }
        }

        @Override
        public List<MeasuredSample> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<MeasuredSample> batch = new ArrayList<>();
            for (MeasuredRow row : pending.removeFirst()) {
                LabeledSample sample = samples.get(row.item);
                if (!sample.id().equals(row.sampleId)) {
                    throw new CamunitException("An executor measured sample " + row.sampleId + " as item " + row.item
                            + ", where the driver has " + sample.id() + ": the executor's copy of the data differs"
                            + " from the driver's. Give every executor the same data set.");
                }
                batch.add(row.toMeasuredSample(sample));
            }
            return batch;
        }
    }

    /**
     * A folder as a zip archive for {@code addArchive}. Its name holds a fingerprint of the folder's
     * files (paths, sizes, times), because Spark ships a name once per context: changed data gets a
     * new name, the same data the same archive. Kept in the temporary directory while a context may
     * still hand it to new executors.
     */
    static final class FolderArchive {
        private FolderArchive() {}

        static Path write(Path folder) throws IOException {
            Path root = folder.toAbsolutePath().normalize();
            List<Path> files;
            try (var walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            java.util.zip.CRC32 fingerprint = new java.util.zip.CRC32();
            for (Path p : files) {
                fingerprint.update((root.relativize(p) + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p)
                        .toMillis() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Path dir = directory(root);
            Files.createDirectories(dir);
            Path name = root.getFileName();
            Path zip = dir.resolve(String.format(Locale.ROOT, "camunit-%s-%08x.zip", name == null ? "data" : name,
                    fingerprint.getValue()));
            if (Files.exists(zip)) {
                return zip;
            }
            Path partial = Files.createTempFile(dir, "partial-", ".zip");
            try (OutputStream out = Files.newOutputStream(partial);
                    java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
                for (Path p : files) {
                    z.putNextEntry(new java.util.zip.ZipEntry(root.relativize(p).toString().replace('\\', '/')));
                    Files.copy(p, z);
                    z.closeEntry();
                }
            }
            return Files.move(partial, zip, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }

        static void delete(Path folder) {
            Path dir = directory(folder.toAbsolutePath().normalize());
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new CamunitException("Could not delete the data archive under " + dir + ": " + e, e);
            }
        }

        private static Path directory(Path root) {
            return Path.of(System.getProperty("java.io.tmpdir"), "camunit-spark",
                    Integer.toHexString(root.toString().hashCode()));
        }
    }
}
