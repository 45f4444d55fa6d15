package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.heatmap.Heatmap;
import io.camunit.metric.SampleMetric;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.CsvField;
import io.camunit.report.Npy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {

    private static final Path MODELS = Path.of("fixtures/models");
    private static final Path CLEAN = MODELS.resolve("shapes-clean.pt");
    private static final Path SHORTCUT = MODELS.resolve("shapes-shortcut.pt");
    private static final Path SHAPES = Path.of("fixtures/shapes");
    private static final Path TEST_COCO = SHAPES.resolve("test/coco.json");
    private static final List<String> HEADER = List.of("id", "label", "method", "target", "predicted", "score",
            "mass-inside", "peak-inside", "rank-accuracy", "note");

    /** One run shared by several tests: the clean model on test/coco.json with two methods and the maps. */
    @TempDir
    static Path cleanDir;
    static Run clean;

    private record Run(int code, String out, String err, Path dir) {
        List<Map<String, String>> rows() throws IOException {
            return csv(Files.readString(dir.resolve("samples.csv")));
        }

        JsonObject summary() throws IOException {
            return JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
        }

        JsonObject stats(String method, String metric) throws IOException {
            return summary().getAsJsonObject("methods").getAsJsonObject(method).getAsJsonObject(metric);
        }
    }

    private static Run run(Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--out", dir.toString()));
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString(), dir);
    }

    @BeforeAll
    static void runTheCleanModelOnce() {
        clean = run(cleanDir, "evaluate", "--model", CLEAN.toString(), "--data", TEST_COCO.toString(),
                "--method", "grad-cam", "--method", "layer-cam", "--metrics", "mass-inside,peak-inside,rank-accuracy",
                "--save-maps");
        assertThat(clean.code()).as(clean.err()).isZero();
    }

    /** RFC 4180 rows keyed by the header, so the test does not trust the writer's quoting. */
    private static List<Map<String, String>> csv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        assertThat(field.length()).as("the file ends with a line break").isZero();
        List<String> header = records.get(0);
        List<Map<String, String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            assertThat(r).as("cells of %s", r).hasSameSizeAs(header);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), r.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> method(List<Map<String, String>> rows, String method) {
        return rows.stream().filter(r -> r.get("method").equals(method)).toList();
    }

    private static double[] column(List<Map<String, String>> rows, String name) {
        return rows.stream().mapToDouble(r -> Double.parseDouble(r.get(name))).toArray();
    }

    @Test
    void samplesCsvHasOneRowPerSampleAndMethodUnderTheHeader() throws IOException {
        String text = Files.readString(cleanDir.resolve("samples.csv"));
        assertThat(text.lines().findFirst()).hasValue(String.join(",", HEADER));
        List<Map<String, String>> rows = clean.rows();
        assertThat(rows).hasSize(60 * 2);
        assertThat(method(rows, "grad-cam")).hasSize(60);
        assertThat(method(rows, "layer-cam")).hasSize(60);
        assertThat(rows.stream().map(r -> r.get("id")).distinct()).hasSize(60).contains("images/0001.png", "images/0060.png");
        // Rows of one sample are adjacent, in the order of the methods on the command line.
        assertThat(rows.get(0)).containsEntry("id", "images/0001.png").containsEntry("method", "grad-cam");
        assertThat(rows.get(1)).containsEntry("id", "images/0001.png").containsEntry("method", "layer-cam");
        for (Map<String, String> r : rows) {
            assertThat(r.get("target")).as("labelled target of %s", r.get("id")).isEqualTo(r.get("label"));
            assertThat(r.get("label")).isIn("circle", "square", "triangle", "star");
            assertThat(r.get("note")).isEmpty();
            for (String metric : List.of("score", "mass-inside", "peak-inside", "rank-accuracy")) {
                assertThat(r.get(metric)).as(metric).matches("-?\\d+\\.\\d{6}");
            }
            assertThat(r.get("peak-inside")).isIn("0.000000", "1.000000");
        }
    }

    @Test
    void csvValuesEqualTheMetricsMeasuredDirectly() throws IOException {
        List<Map<String, String>> rows = clean.rows();
        LabeledDataset data = LabeledDataset.open(TEST_COCO);
        try (TorchScriptModel model = TorchScriptModel.load(CLEAN)) {
            for (int index : new int[] {0, 17, 59}) {
                LabeledSample sample = data.samples().get(index);
                Target target = Target.classIndex(model.classes().indexOf(sample.label()));
                for (Method m : List.of(Method.GRAD_CAM, Method.LAYER_CAM)) {
                    Explanation e = Explainer.of(m, "features.10").explain(model, sample.image(), target);
                    double mass = SampleMetric.parse("mass-inside").measure(e, sample, model).value();
                    double rank = SampleMetric.parse("rank-accuracy").measure(e, sample, model).value();
                    Map<String, String> row = rows.stream()
                            .filter(r -> r.get("id").equals(sample.id()) && r.get("method").equals(m.id())).findFirst().orElseThrow();
                    // %.6f rounds by at most 5e-7; a batch of 16 and a batch of 1 agree far closer than that.
                    assertThat(Double.parseDouble(row.get("mass-inside"))).as("%s %s", sample.id(), m).isCloseTo(mass, within(1e-6));
                    assertThat(Double.parseDouble(row.get("rank-accuracy"))).isCloseTo(rank, within(1e-6));
                    assertThat(Double.parseDouble(row.get("score"))).isCloseTo(e.score(), within(1e-5));
                    assertThat(row.get("predicted")).isEqualTo(model.classes().get(e.predictedClass()));
                }
            }
        }
    }

    @Test
    void summaryMeansEqualTheMeansOfTheCsvColumns() throws IOException {
        List<Map<String, String>> rows = clean.rows();
        JsonObject summary = clean.summary();
        assertThat(summary.get("model").getAsString()).isEqualTo(CLEAN.toString());
        assertThat(summary.get("data").getAsString()).isEqualTo(TEST_COCO.toString());
        assertThat(summary.getAsJsonArray("layers").toString()).isEqualTo("[\"features.10\"]");
        assertThat(summary.get("target").getAsString()).isEqualTo("labelled");
        assertThat(summary.get("samples").getAsInt()).isEqualTo(60);
        assertThat(summary.get("percentile").getAsString()).contains("linear interpolation", "(n - 1) * p / 100");
        assertThat(summary.getAsJsonObject("methods").keySet()).containsExactly("grad-cam", "layer-cam");
        for (String m : List.of("grad-cam", "layer-cam")) {
            for (String metric : List.of("mass-inside", "peak-inside", "rank-accuracy")) {
                double[] values = column(method(rows, m), metric);
                JsonObject s = clean.stats(m, metric);
                assertThat(s.get("count").getAsInt()).isEqualTo(60);
                assertThat(s.get("failed").getAsInt()).isZero();
                assertThat(s.get("mean").getAsDouble()).as("%s %s", m, metric)
                        .isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-6));
                assertThat(s.get("min").getAsDouble()).isCloseTo(Arrays.stream(values).min().orElseThrow(), within(1e-6));
                assertThat(s.get("max").getAsDouble()).isCloseTo(Arrays.stream(values).max().orElseThrow(), within(1e-6));
                assertThat(s.get("p10").getAsDouble()).isBetween(s.get("min").getAsDouble(), s.get("median").getAsDouble());
                JsonObject perClass = s.getAsJsonObject("per_class");
                assertThat(perClass.keySet()).as("the data set's class order").containsExactly("circle", "square", "triangle", "star");
                double weighted = 0;
                for (String label : perClass.keySet()) {
                    JsonObject c = perClass.getAsJsonObject(label);
                    assertThat(c.get("count").getAsInt()).as(label).isEqualTo(15);
                    double[] own = column(method(rows, m).stream().filter(r -> r.get("label").equals(label)).toList(), metric);
                    assertThat(c.get("mean").getAsDouble()).isCloseTo(Arrays.stream(own).average().orElseThrow(), within(1e-6));
                    weighted += 15 * c.get("mean").getAsDouble();
                }
                assertThat(weighted / 60).isCloseTo(s.get("mean").getAsDouble(), within(1e-12));
            }
        }
    }

    @Test
    void stdoutHoldsOnlyTheTableAndStderrTheProgress() {
        List<String> lines = clean.out().lines().toList();
        assertThat(lines).hasSize(1 + 2 * 3);
        assertThat(lines.get(0)).matches("method\\s+metric\\s+mean\\s+p10\\s+count\\s+failed");
        assertThat(lines.get(1)).matches("grad-cam\\s+mass-inside\\s+0\\.\\d{6}\\s+0\\.\\d{6}\\s+60\\s+0");
        assertThat(lines.get(6)).startsWith("layer-cam").contains("rank-accuracy");
        assertThat(clean.err()).contains("Evaluating 60 samples", "60/60 samples (100 %)").doesNotContain("\r");
        // Not a terminal: a line per 10 % crossed (batches of 16 cross at 16, 32, 48 and 60), not one per sample.
        assertThat(clean.err().lines().filter(l -> l.endsWith("%)"))).containsExactly(
                "16/60 samples (26 %)", "32/60 samples (53 %)", "48/60 samples (80 %)", "60/60 samples (100 %)");
    }

    @Test
    void saveMapsWritesOneRawMapPerSampleAndMethodInsideOut() throws IOException {
        for (String m : List.of("grad-cam", "layer-cam")) {
            try (Stream<Path> files = Files.list(cleanDir.resolve("maps").resolve(m))) {
                assertThat(files.map(f -> f.getFileName().toString())).hasSize(60).allMatch(n -> n.matches("images_\\d{4}\\.png\\.npy"));
            }
        }
        Heatmap saved;
        try (InputStream in = Files.newInputStream(cleanDir.resolve("maps/layer-cam/images_0002.png.npy"))) {
            saved = Npy.read(in, "images_0002.png.npy");
        }
        LabeledSample sample = LabeledDataset.open(TEST_COCO).samples().get(1);
        try (TorchScriptModel model = TorchScriptModel.load(CLEAN)) {
            Explanation e = Explainer.of(Method.LAYER_CAM, "features.10").explain(model, sample.image(),
                    Target.classIndex(model.classes().indexOf(sample.label())));
            assertThat(saved.maxAbsDifference(e.raw())).isLessThan(1e-5);
        }
        List<Map<String, String>> index = csv(Files.readString(cleanDir.resolve("maps/index.csv")));
        assertThat(index).hasSize(60);
        assertThat(index.get(0)).containsEntry("id", "images/0001.png").containsEntry("file", "images_0001.png.npy");
    }

    @Test
    void theShortcutModelPeaksOutsideTheObjectOnMarkedData(@TempDir Path dir) throws IOException {
        Run shortcut = run(dir, "evaluate", "--model", SHORTCUT.toString(),
                "--data", SHAPES.resolve("test-marked/coco.json").toString(), "--method", "grad-cam");
        assertThat(shortcut.code()).as(shortcut.err()).isZero();
        double cleanPeak = clean.stats("grad-cam", "peak-inside").get("mean").getAsDouble();
        double shortcutPeak = shortcut.stats("grad-cam", "peak-inside").get("mean").getAsDouble();
        double cleanMass = clean.stats("grad-cam", "mass-inside").get("mean").getAsDouble();
        double shortcutMass = shortcut.stats("grad-cam", "mass-inside").get("mean").getAsDouble();
        System.out.printf("evaluate, grad-cam at features.10: peak-inside mean clean/test %.4f, shortcut/test-marked %.4f;"
                + " mass-inside %.4f vs %.4f%n", cleanPeak, shortcutPeak, cleanMass, shortcutMass);
        // The fixture: the clean model peaks in the object for ~50/60 scenes, the shortcut one for ~0/60.
        assertThat(cleanPeak).isGreaterThanOrEqualTo(0.7);
        assertThat(shortcutPeak).isLessThanOrEqualTo(0.25);
        assertThat(cleanPeak - shortcutPeak).isGreaterThanOrEqualTo(0.5);
        assertThat(shortcutMass).isLessThan(cleanMass / 2);
    }

    @Test
    void vocAndManifestGiveTheSamplesOfCoco(@TempDir Path dir) throws IOException {
        List<String> same = List.of("id", "label", "method", "target", "predicted", "score");
        List<Map<String, String>> coco = method(clean.rows(), "grad-cam");
        for (String data : List.of("voc", "manifest.csv")) {
            Run r = run(dir.resolve(data), "evaluate", "--model", CLEAN.toString(),
                    "--data", SHAPES.resolve("test").resolve(data).toString(), "--metrics", "peak-inside");
            assertThat(r.code()).as(r.err()).isZero();
            List<Map<String, String>> rows = r.rows();
            assertThat(rows).hasSameSizeAs(coco);
            for (int i = 0; i < rows.size(); i++) {
                for (String column : same) {
                    assertThat(rows.get(i).get(column)).as("%s row %d %s", data, i, column).isEqualTo(coco.get(i).get(column));
                }
            }
        }
    }

    @Test
    void predictedTargetExplainsTheArgMax(@TempDir Path dir) throws IOException {
        Run r = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", SHAPES.resolve("val/coco.json").toString(),
                "--target", "predicted", "--batch", "5", "--method", "grad-cam++,hires-cam");
        assertThat(r.code()).as(r.err()).isZero();
        List<Map<String, String>> rows = r.rows();
        assertThat(rows).hasSize(24 * 2);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("target")).isEqualTo(row.get("predicted")));
        assertThat(rows.stream().filter(row -> !row.get("target").equals(row.get("label")))).as("val has errors").isNotEmpty();
        assertThat(r.summary().get("target").getAsString()).isEqualTo("predicted");
        assertThat(r.err().lines().filter(l -> l.endsWith("%)"))).hasSize(5);   // 5 batches cross 5 tenths
    }

    /**
     * Awkward sample ids (a path out of the data directory, commas and quotes, a name that collides
     * once made safe) and a sample without objects, whose region metrics cannot be computed.
     */
    @Test
    void awkwardIdsAndAnEmptyRegionAreHandled(@TempDir Path dir) throws IOException {
        Path image = SHAPES.resolve("val/images/0001.png");
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("images"));
        Files.createDirectories(dir.resolve("outside"));
        Files.copy(image, dir.resolve("outside/x.png"));
        Files.copy(image, data.resolve("images/odd, \"name\".png"));
        Files.copy(image, data.resolve("images/odd___name_.png"));
        Files.writeString(data.resolve("manifest.json"), """
                [{"image": "../outside/x.png", "label": "square", "box": [10, 10, 30, 30]},
                 {"image": "images/odd, \\"name\\".png", "label": "circle", "box": [0, 0, 50, 50]},
                 {"image": "images/odd___name_.png", "label": ""}]
                """);
        Path out = dir.resolve("out");
        // ../outside/x.png leads out of the data folder: allowed for this trusted file.
        Run r = run(out, "evaluate", "--model", CLEAN.toString(), "--data", data.resolve("manifest.json").toString(),
                "--target", "predicted", "--metrics", "mass-inside,peak-inside", "--save-maps",
                "--allow-paths-outside-data");
        assertThat(r.code()).as(r.err()).isZero();

        assertThat(Files.readString(out.resolve("samples.csv"))).contains("\"images/odd, \"\"name\"\".png\",circle,grad-cam,");
        List<Map<String, String>> rows = r.rows();
        assertThat(rows).extracting(row -> row.get("id"))
                .containsExactly("../outside/x.png", "images/odd, \"name\".png", "images/odd___name_.png");
        Map<String, String> empty = rows.get(2);
        assertThat(empty.get("label")).isEmpty();
        assertThat(empty.get("mass-inside")).isEmpty();
        assertThat(empty.get("peak-inside")).isEmpty();
        assertThat(empty.get("note")).startsWith("mass-inside, peak-inside: The region is empty");
        assertThat(rows.get(0).get("mass-inside")).matches("0\\.\\d{6}");

        JsonObject mass = r.stats("grad-cam", "mass-inside");
        assertThat(mass.get("count").getAsInt()).isEqualTo(2);
        assertThat(mass.get("failed").getAsInt()).isEqualTo(1);
        JsonObject none = mass.getAsJsonObject("per_class").getAsJsonObject("(none)");
        assertThat(none.get("count").getAsInt()).isZero();
        assertThat(none.get("failed").getAsInt()).isEqualTo(1);
        assertThat(none.get("mean").isJsonNull()).as("no value is null, never NaN").isTrue();
        assertThat(Files.readString(out.resolve("summary.json"))).doesNotContain("NaN");

        try (Stream<Path> files = Files.list(out.resolve("maps/grad-cam"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("_outside_x.png.npy", "images_odd___name_.png.npy", "images_odd___name_.png-2.npy");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(f -> f.toString().endsWith(".npy")))
                    .hasSize(3).allMatch(f -> f.toAbsolutePath().normalize().startsWith(out.toAbsolutePath().normalize()));
        }
    }

    @Test
    void mapFileNamesAreSafeAndUnique() {
        Map<String, String> names = MapFiles.names(List.of("images/0001.png", "../../x", "..", "a/b", "a_b",
                "A_B", "-rf", "dir\\evil.png", "x".repeat(300)));
        assertThat(names.values()).containsExactly("images_0001.png.npy", "_.._x.npy", "sample.npy", "a_b.npy",
                "a_b-2.npy", "A_B-3.npy", "rf.npy", "dir_evil.png.npy", "x".repeat(120) + ".npy");
        assertThat(names.values()).allMatch(n -> n.matches("[A-Za-z0-9_][A-Za-z0-9._-]*\\.npy"));
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenNeeded() {
        assertThat(CsvField.of("images/0001.png")).isEqualTo("images/0001.png");
        assertThat(CsvField.of("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvField.of("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvField.of("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvField.of("")).isEmpty();
    }

    @Test
    void progressIsABarOnATerminalAndTenLinesOtherwise() {
        StringWriter plain = new StringWriter();
        Progress p = new Progress(new PrintWriter(plain), "samples", 100, false);
        for (int i = 0; i < 100; i++) {
            p.advance(1);
        }
        p.done();
        assertThat(plain.toString().lines()).hasSize(10).startsWith("10/100 samples (10 %)").endsWith("100/100 samples (100 %)");

        StringWriter bar = new StringWriter();
        Progress t = new Progress(new PrintWriter(bar), "samples", 4, true);
        t.advance(1);
        t.advance(3);
        t.done();
        assertThat(bar.toString()).startsWith("\r[").contains("1/4 samples  25 %", "4/4 samples 100 %").endsWith(System.lineSeparator());
        assertThat(bar.toString().chars().filter(c -> c == '\r')).as("one redraw per update").hasSize(2);
        assertThat(bar.toString().chars().filter(c -> c == '\n')).as("one line in all").hasSize(1);
    }

    @Test
    void unknownMetricExitsWithOne(@TempDir Path dir) {
        Run r = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", TEST_COCO.toString(),
                "--metrics", "mass-inside,mass-insid");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("camunit: Unknown metric 'mass-insid'").contains("peak-inside").doesNotContain("\tat ");
    }

    @Test
    void unknownMethodExitsWithOne(@TempDir Path dir) {
        Run r = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", TEST_COCO.toString(), "--method", "grad-cammm");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("camunit: Unknown method 'grad-cammm'");
    }

    @Test
    void aLabelTheModelDoesNotKnowExitsWithOneNamingItAndTheClasses(@TempDir Path dir) {
        Run r = run(dir.resolve("out"), "evaluate", "--model", Fixtures.TINY_CNN.toString(), "--data", TEST_COCO.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("camunit: engine check: ")
                .contains("\ncamunit: Model tiny-cnn.pt does not know the label 'star' (15 samples, e.g. images/")
                .contains("[circle, square, triangle]", "--target predicted");
        assertThat(dir.resolve("out")).as("nothing written before the check").doesNotExist();
    }

    @Test
    void aMissingDataPathExitsWithOne(@TempDir Path dir) {
        Run r = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", "fixtures/shapes/nowhere/coco.json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("camunit: ").contains("nowhere/coco.json");
    }

    @Test
    void badTargetAndBatchExitWithOne(@TempDir Path dir) {
        Run target = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", TEST_COCO.toString(), "--target", "3");
        assertThat(target.code()).isEqualTo(1);
        assertThat(target.err()).contains("--target must be 'labelled'", "'predicted'");
        Run batch = run(dir, "evaluate", "--model", CLEAN.toString(), "--data", TEST_COCO.toString(), "--batch", "0");
        assertThat(batch.code()).isEqualTo(1);
        assertThat(batch.err()).contains("--batch must be a positive number");
    }

    @Test
    void missingRequiredOptionsAreAUsageError(@TempDir Path dir) {
        Run r = run(dir, "evaluate", "--model", CLEAN.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option", "--data");
    }
}
