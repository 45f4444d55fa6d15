package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.spark.ShapesSubset;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code camunit evaluate --spark local[2]} against the same command without it, on 8 shapes scenes: the
 * same files, byte for byte, and the same exit code (3: a gate fails).
 */
class EvaluateOnSparkTest {

    @TempDir
    static Path dir;
    static Path manifest;
    static Run local;
    static Run spark;

    private record Run(int code, String out, String err, Path dir) {}

    private static Run run(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", "fixtures/models/shapes-clean.pt",
                "--data", manifest.toString(), "--method", "grad-cam,layer-cam", "--batch", "3", "--save-maps",
                "--gate", "peak-inside >= 1 for 80%", "--gate", "mean mass-inside >= 0.9", "--out", out.toString()));
        args.addAll(List.of(extra));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(new PrintWriter(o), new PrintWriter(e), args.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString(), out);
    }

    @BeforeAll
    static void runLocallyAndOnSpark() throws IOException {
        manifest = ShapesSubset.write(Files.createDirectories(dir.resolve("data")), 8);
        local = run(dir.resolve("local"));
        spark = run(dir.resolve("spark"), "--spark", "local[2]");
    }

    @Test
    void exitsWithTheLocalRunsCodeAndVerdicts() {
        assertThat(local.code()).as(local.err()).isEqualTo(EvaluateCommand.GATE_FAILED);
        assertThat(spark.code()).as(spark.err()).isEqualTo(local.code());
        assertThat(spark.out()).isEqualTo(local.out());
        assertThat(spark.err()).contains("Running on Spark (master local[2])");
    }

    @Test
    void writesTheLocalRunsSamplesCsvAndSummaryJson() throws IOException {
        for (String file : List.of("samples.csv", "summary.json")) {
            assertThat(Files.readString(spark.dir().resolve(file))).as(file)
                    .isEqualTo(Files.readString(local.dir().resolve(file)));
        }
        assertThat(Files.readAllLines(spark.dir().resolve("samples.csv"))).hasSizeGreaterThan(16);
    }

    @Test
    void writesTheLocalRunsMaps() throws IOException {
        List<Path> maps;
        try (Stream<Path> files = Files.walk(local.dir().resolve("maps"))) {
            maps = files.filter(Files::isRegularFile).map(p -> local.dir().relativize(p)).sorted().toList();
        }
        assertThat(maps).hasSizeGreaterThan(16);
        for (Path map : maps) {
            assertThat(Files.readAllBytes(spark.dir().resolve(map))).as(map.toString())
                    .isEqualTo(Files.readAllBytes(local.dir().resolve(map)));
        }
    }

    @Test
    void sparkWithoutAMasterOutsideSparkSubmitAsksForOne() {
        Run r = run(dir.resolve("no-master"), "--spark");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("camunit: Option --spark without a master is for spark-submit, which sets the"
                + " master (--master); outside it give one, e.g. --spark local[2]");
        assertThat(dir.resolve("no-master/samples.csv")).doesNotExist();
    }

    @Test
    void withoutSparkOnTheClassPathTheErrorSaysHowToGetIt() {
        assertThatThrownBy(() -> SparkRun.requireOnClassPath("org.apache.spark.NoSuchClass",
                EvaluateOnSparkTest.class.getClassLoader()))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Option --spark needs Apache Spark on the class path"
                        + " (org.apache.spark.NoSuchClass not found); camunit.jar does not include it.")
                .hasMessageContaining("spark-submit")
                .hasMessageContaining("mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided"
                        + " -Dmdep.outputFile=target/spark.classpath");
    }
}
