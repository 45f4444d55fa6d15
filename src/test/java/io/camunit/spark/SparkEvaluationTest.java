package io.camunit.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;
import io.camunit.evaluation.Evaluation;
import io.camunit.evaluation.EvaluationListener;
import io.camunit.evaluation.EvaluationResult;
import io.camunit.evaluation.MeasuredSample;
import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleValue;
import io.camunit.metric.SampleMetric;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkEvaluation} in local mode against the local run of the same evaluation: 8 shapes scenes,
 * Grad-CAM and Layer-CAM on shapes-clean, batches of 3, one partition each. The master {@code local[2,2]}
 * runs two executor threads and lets a failed task run twice, as a cluster's {@code spark.task.maxFailures}.
 */
class SparkEvaluationTest {

    private static final Path MODEL = Path.of("fixtures/models/shapes-clean.pt");
    private static final String FAILING_SAMPLE_PROPERTY = MeasureBatches.FAIL_ONCE;

    @TempDir
    static Path data;
    static Path manifest;
    static JavaSparkContext sc;
    static Rows local;

    /** The recipe of these tests: the model and the manifest, the same explainers, metrics and gate anywhere. */
    record Recipe(String model, String manifest) implements EvaluationRecipe {
        @Override
        public List<Path> files() {
            return List.of(Path.of(model));
        }

        @Override
        public List<Path> folders() {
            return List.of(Path.of(manifest).getParent());
        }

        @Override
        public Opened open(UnaryOperator<Path> localCopy) {
            TorchScriptModel m = TorchScriptModel.load(localCopy.apply(Path.of(model)));
            Evaluation e = Evaluation.builder().setModel(m)
                    .setSamples(LabeledDataset.open(localCopy.apply(Path.of(manifest))).samples())
                    .setExplainers(List.of(Explainer.of(Method.GRAD_CAM, "features.10"),
                            Explainer.of(Method.LAYER_CAM, "features.10")))
                    .optMetrics(SampleMetric.parseList("mass-inside,peak-inside,rank-accuracy"))
                    .optGates(List.of(Gate.parse("mean mass-inside >= 0.3"))).optBatchSize(3).build();
            return new Opened(e, m);
        }
    }

    /** The rows a run told its listener of, and its result. */
    record Rows(List<MeasuredSample> rows, List<Integer> batchesDone, EvaluationResult result) {}

    static final class Collect implements EvaluationListener {
        final List<MeasuredSample> rows = new ArrayList<>();
        final List<Integer> done = new ArrayList<>();

        @Override
        public void measured(MeasuredSample row) {
            rows.add(row);
        }

        @Override
        public void batchDone(int done, int total) {
            this.done.add(done);
        }
    }

    @BeforeAll
    static void startSparkAndRunLocally() throws Exception {
        manifest = ShapesSubset.write(data, 8);
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("SparkEvaluationTest")
                .set("spark.ui.enabled", "false"));
        EvaluationRecipe.Opened driver = new Recipe(MODEL.toString(), manifest.toString()).open(UnaryOperator.identity());
        try {
            Collect c = new Collect();
            EvaluationResult r = driver.evaluation().run(c);
            local = new Rows(c.rows, c.done, r);
        } finally {
            driver.resources().close();
        }
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static Rows onSpark(Recipe recipe) throws Exception {
        EvaluationRecipe.Opened driver = new Recipe(MODEL.toString(), manifest.toString()).open(UnaryOperator.identity());
        try {
            Collect c = new Collect();
            EvaluationResult r = SparkEvaluation.run(sc, driver.evaluation(), recipe, 0, c);
            return new Rows(c.rows, c.done, r);
        } finally {
            driver.resources().close();
        }
    }

    /** Same samples, methods, targets, scores, values (1e-6) and maps (1e-6), in the same order. */
    private static void assertSameRows(Rows spark) {
        assertThat(spark.rows()).hasSameSizeAs(local.rows());
        for (int i = 0; i < local.rows().size(); i++) {
            MeasuredSample expected = local.rows().get(i);
            MeasuredSample actual = spark.rows().get(i);
            assertThat(actual.sample().id()).as("row %d", i).isEqualTo(expected.sample().id());
            assertThat(actual.sample().classLabel()).as("row %d", i).isEqualTo(expected.sample().classLabel());
            assertThat(actual.method()).as("row %d", i).isEqualTo(expected.method());
            assertThat(actual.explanation().targetClass()).isEqualTo(expected.explanation().targetClass());
            assertThat(actual.explanation().score()).isCloseTo(expected.explanation().score(), within(1e-6));
            assertThat(actual.explanation().raw().maxAbsDifference(expected.explanation().raw())).as("row %d", i)
                    .isLessThanOrEqualTo(1e-6);
            assertThat(actual.explanation().display().maxAbsDifference(expected.explanation().display()))
                    .isLessThanOrEqualTo(1e-6);
            for (int m = 0; m < expected.values().size(); m++) {
                SampleValue e = expected.values().get(m);
                SampleValue a = actual.values().get(m);
                assertThat(a.reason()).isEqualTo(e.reason());
                if (e.value() != null) {
                    assertThat(a.value()).as("row %d metric %d", i, m).isCloseTo(e.value(), within(1e-6));
                }
            }
        }
        assertThat(spark.batchesDone()).isEqualTo(local.batchesDone());
        assertThat(spark.result().verdicts()).hasSameSizeAs(local.result().verdicts());
        for (int v = 0; v < local.result().verdicts().size(); v++) {
            assertThat(spark.result().verdicts().get(v).verdict().summary())
                    .isEqualTo(local.result().verdicts().get(v).verdict().summary());
        }
    }

    @Test
    void rowsEqualTheLocalRunsInTheSameOrder() throws Exception {
        assertSameRows(onSpark(new Recipe(MODEL.toString(), manifest.toString())));
    }

    @Test
    void aTaskThatDiesOnceIsRetriedWithoutDuplicateOrMissingRows() throws Exception {
        // In the second batch: its partition dies after measuring it, and its rows must come once.
        String failing = local.rows().get(2 * 3 + 1).sample().id();
        System.setProperty(FAILING_SAMPLE_PROPERTY, failing);
        try {
            assertSameRows(onSpark(new Recipe(MODEL.toString(), manifest.toString())));
        } finally {
            System.clearProperty(FAILING_SAMPLE_PROPERTY);
        }
        assertThat(MeasureBatches.failedOnce(failing)).as("the injected failure happened").isTrue();
    }

    @Test
    void aModelThatFailsToLoadOnTheExecutorsFailsTheJobWithTheirMessage(@TempDir Path dir) throws IOException {
        Path broken = Files.write(dir.resolve("broken-on-executors.pt"), new byte[] {1, 2, 3, 4});
        String localMessage = "";
        try {
            TorchScriptModel.load(broken).close();
        } catch (CamunitException e) {
            localMessage = e.getMessage();
        }
        assertThat(localMessage).as("the local load's message").contains("broken-on-executors.pt");
        // The driver's model is fine; the executors get the broken file, which they name by their copy's path.
        int at = localMessage.indexOf(broken.toString());
        assertThatThrownBy(() -> onSpark(new Recipe(broken.toString(), manifest.toString())))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("The Spark job failed (Job aborted due to stage failure: Task")
                .hasMessageContaining("the executor's error: io.camunit.CamunitException: ")
                .hasMessageContaining(localMessage.substring(0, at))
                .hasMessageContaining(broken.getFileName() + localMessage.substring(at + broken.toString().length()));
    }
}
