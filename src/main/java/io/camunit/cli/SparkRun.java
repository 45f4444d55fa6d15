package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.evaluation.Evaluation;
import io.camunit.evaluation.EvaluationListener;
import io.camunit.evaluation.EvaluationResult;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code camunit evaluate --spark}: the bridge to {@code io.camunit.spark}, whose classes are loaded only
 * here, after a check that Spark is on the class path (it is a provided dependency, not in the jar).
 *
 * <pre>{@code
 * java -cp camunit.jar:$(cat target/spark.classpath) io.camunit.cli.Main evaluate ... --spark local[2]
 * }</pre>
 */
final class SparkRun {

    /** A class every Spark 3.5 and 4 installation has. */
    static final String SPARK_CLASS = "org.apache.spark.api.java.JavaSparkContext";

    private final String master;
    private final EvaluateRecipe recipe;

    private SparkRun(String master, EvaluateRecipe recipe) {
        this.master = master;
        this.recipe = recipe;
    }

    /**
     * @param command the parsed command
     * @param args its arguments as given, which every executor parses again
     * @return the run, checked: Spark on the class path, the data where executors can get it
     * @throws CamunitException naming what to do when Spark is missing
     */
    static SparkRun of(EvaluateCommand command, List<String> args) {
        requireOnClassPath(SPARK_CLASS, SparkRun.class.getClassLoader());
        if (command.sparkMaster.isEmpty() && System.getProperty("spark.master") == null) {
            // spark-submit passes its --master to the driver as this property, which SparkConf reads.
            throw new CamunitException("Option --spark without a master is for spark-submit, which sets the master"
                    + " (--master); outside it give one, e.g. --spark local[2], --spark spark://host:7077 or --spark yarn.");
        }
        Path data = command.data.toAbsolutePath().normalize();
        if (!command.sparkSharedData && command.allowPathsOutsideData) {
            throw new CamunitException("Option --allow-paths-outside-data names images outside the data folder, which"
                    + " Spark ships to the executors alone; add --spark-shared-data and make those paths readable on"
                    + " every executor.");
        }
        // The folder that holds the annotations and the images they name: a data directory, or an annotation file's.
        Path folder = Files.isDirectory(data) ? data : data.getParent();
        return new SparkRun(command.sparkMaster, new EvaluateRecipe(List.copyOf(args),
                command.modelOptions.model.toAbsolutePath().normalize().toString(), data.toString(),
                command.sparkSharedData ? null : folder.toString()));
    }

    /** Fails with what to do when a Spark class is missing. */
    static void requireOnClassPath(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CamunitException(String.format(Locale.ROOT, "Option --spark needs Apache Spark on the class path"
                    + " (%s not found); camunit.jar does not include it. Run under spark-submit (--class"
                    + " io.camunit.cli.Main), or locally with java @src/main/spark/java17-jvm.options"
                    + " -cp camunit.jar:$(cat target/spark.classpath) io.camunit.cli.Main after mvn -B -q dependency:build-classpath"
                    + " -Dmdep.includeScope=provided -Dmdep.outputFile=target/spark.classpath (docs/spark.md).",
                    className), e);
        }
    }

    /**
     * @param evaluation the driver's evaluation
     * @param listener told of every row, in order
     * @param err where progress notes go
     * @return the result, as the local run's
     */
    EvaluationResult run(Evaluation evaluation, EvaluationListener listener, PrintWriter err) {
        err.printf(Locale.ROOT, "Running on Spark (master %s)%n", master.isEmpty() ? "from spark-submit" : master);
        return io.camunit.spark.SparkEvaluation.run(master, evaluation, recipe, listener);
    }
}
