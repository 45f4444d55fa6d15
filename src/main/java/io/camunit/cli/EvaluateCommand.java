package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.evaluation.Evaluation;
import io.camunit.evaluation.EvaluationListener;
import io.camunit.evaluation.EvaluationResult;
import io.camunit.evaluation.MeasuredSample;
import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.gate.Baseline;
import io.camunit.gate.Gate;
import io.camunit.gate.Regression;
import io.camunit.metric.SampleMetric;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.DatasetFormats;
import io.camunit.region.DatasetOptions;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.EvidenceAttachments;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code camunit evaluate}: runs an {@link Evaluation} (every sample of a labelled data set explained
 * by one or more methods and measured against the labelled regions) and prints it: {@code samples.csv}
 * (one row per sample and method), {@code summary.json} ({@link SummaryJson}), optionally the raw
 * maps and baselines, and a short table. With {@code --gate} (judged by {@link Gate}) and
 * {@code --baseline} (judged by {@link Regression}) it prints each verdict per method and exits 3
 * when any fails, so a CI step can stop a release. For CI it also writes the checks as a JUnit XML
 * report ({@link JUnitXml}), appends a Markdown summary ({@link SummaryMarkdown}) and writes Allure
 * results with the gates' evidence ({@link AllureResults}).
 *
 * <pre>{@code
 * java -jar target/camunit.jar evaluate --model fixtures/models/shapes-clean.pt \
 *     --data fixtures/shapes/test/coco.json --method grad-cam --method layer-cam \
 *     --metrics mass-inside,peak-inside,rank-accuracy --out out/eval \
 *     --gate "peak-inside >= 1 for 80%" --gate "mean mass-inside >= 0.3" \
 *     --junit-xml out/camunit-gates.xml --summary-md "$GITHUB_STEP_SUMMARY" --allure-results target/allure-results
 * }</pre>
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Explain every sample of a labelled data set and measure the maps against the labelled regions:"
                + " write samples.csv and summary.json (and the raw maps with --save-maps), print a summary table"
                + " and, with --gate or --baseline, each verdict per method. --junit-xml, --summary-md and"
                + " --allure-results write the verdicts for CI.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ran to the end and every --gate and --baseline passed (or none was given)",
            "1:bad input, including a malformed --gate or one on a metric not in --metrics (message on stderr)",
            "2:usage error (unknown or missing option)",
            "3:ran to the end but at least one --gate or --baseline failed (FAIL lines on stdout, \"gates\" and"
                    + " \"baselines\" in summary.json)"})
final class EvaluateCommand implements Callable<Integer> {

    /** Exit code when the run completed but a gate failed; distinct from 1 so CI can tell bad input from a bad model. */
    static final int GATE_FAILED = 3;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Labelled data: COCO .json, VOC directory, YOLO directory, or .csv/.json manifest.")
    Path data;

    @Option(names = "--allow-paths-outside-data",
            description = "Let the annotation file name images and masks outside its folder (absolute paths, '..');"
                    + " refused by default, so an annotation file cannot make camunit read arbitrary files.")
    boolean allowPathsOutsideData;

    @Option(names = "--method", paramLabel = "NAME", split = ",",
            description = "Method; repeat (or separate with commas) for several, each evaluated on every sample"
                    + " (default: grad-cam). " + ExplainerOptions.METHOD_IDS + ".")
    List<String> methods;

    @Mixin
    ExplainerOptions explainerOptions;

    @Option(names = "--metrics", defaultValue = Evaluation.DEFAULT_METRICS, paramLabel = "LIST",
            description = "Comma-separated metrics (default: ${DEFAULT-VALUE}); also peak-inside-Npx, top-N-inside,"
                    + " iou-T, box-iou, deletion-auc, insertion-auc, average-drop, increase-in-confidence, road,"
                    + " road-morf-P, road-lerf-P (P the percentage of pixels kept).")
    String metrics;

    @Option(names = "--target", defaultValue = "labelled", paramLabel = "MODE",
            description = "labelled (default): explain each sample's labelled class; predicted: the arg-max class.")
    String target;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS,...",
            description = "Evaluate only these classes: with --target labelled the (image, class) items of these"
                    + " classes, with --target predicted the samples with an object of one of them (default: all).")
    List<String> classes = List.of();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the output files.")
    Path out;

    @Option(names = "--save-maps", description = "Also write each raw map as DIR/maps/<method>/<id>.npy.")
    boolean saveMaps;

    @Option(names = "--gate", paramLabel = "EXPR", description = {
        // picocli formats descriptions with String.format: a literal % is written %%.
        "Release gate, repeatable; judged for every --method separately, exit 3 when any fails. Grammar:",
        "  METRIC OP THRESHOLD for PERCENT%% [with CONFIDENCE%% confidence]",
        "  STATISTIC METRIC OP THRESHOLD",
        "METRIC one of --metrics; OP >=, >, <=, <; PERCENT in (0, 100]: at least that share of samples must have"
                + " value OP THRESHOLD (a sample without a value fails); with a CONFIDENCE in (0, 100), the Wilson"
                + " lower bound of the pass rate must reach PERCENT. STATISTIC is mean, median or pNN (NumPy-linear"
                + " percentile, e.g. p10); it is undefined, so the gate fails, when a sample has no value.",
        "Examples: \"peak-inside >= 1 for 80%%\", \"mass-inside > 0.2 for 90%% with 95%% confidence\","
                + " \"mean mass-inside >= 0.3\", \"p10 mass-inside >= 0.05\"."})
    List<String> gateTexts;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Baseline file of an accepted model (written by --save-baselines or Baseline.save), repeatable:"
                    + " its method and metric must be in this run; no sample may get worse by more than"
                    + " --baseline-tolerance (drop, or rise for deletion-auc, average-drop and road-morf-P), else exit 3.")
    List<Path> baselineFiles;

    @Option(names = "--baseline-tolerance", paramLabel = "T",
            description = "The largest worsening a sample may show against --baseline (required with it).")
    Double baselineTolerance;

    @Option(names = "--baseline-mean-tolerance", paramLabel = "T",
            description = "The largest worsening of the mean over the paired samples (default: --baseline-tolerance).")
    Double baselineMeanTolerance;

    @Option(names = "--save-baselines", paramLabel = "DIR",
            description = "Write a baseline of every method and metric to DIR/<method>/<metric>.json.")
    Path saveBaselines;

    @Option(names = "--baseline-name", paramLabel = "NAME",
            description = "The model version the saved baselines name (default: the model file's name).")
    String baselineName;

    @Option(names = "--junit-xml", paramLabel = "FILE",
            description = "Also write the checks as a JUnit XML report (one test case per gate and method, and per"
                    + " baseline), for Jenkins, GitLab and GitHub test reporters.")
    Path junitXml;

    @Option(names = "--summary-md", paramLabel = "FILE",
            description = "Also append a Markdown summary (checks and statistics) to FILE, e.g. $GITHUB_STEP_SUMMARY;"
                    + " created when missing.")
    Path summaryMd;

    @Option(names = "--allure-results", paramLabel = "DIR",
            description = "Also write each check as an Allure test result into DIR, a gate with its contact sheet,"
                    + " per-class table and metrics JSON attached, beside the results of JUnit tests.")
    Path allureResults;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
            description = "Images explained per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER",
            description = "Run on Apache Spark: executors explain the samples in batches, the outputs and exit codes are"
                    + " those of a local run. MASTER is e.g. local[2], spark://host:7077 or yarn; left out under"
                    + " spark-submit, which sets --master. Needs Spark on the class path (docs/spark.md).")
    String sparkMaster;

    @Option(names = "--spark-shared-data",
            description = "With --spark: executors read --data at the same path (a shared file system) instead of a"
                    + " copy Spark distributes to each executor.")
    boolean sparkSharedData;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Options are checked before the model loads, so a typo fails in milliseconds.
        List<Method> chosenMethods = methods();
        Method.requireOptionsRead(chosenMethods, explainerOptions.methodOptions());
        List<SampleMetric> chosenMetrics = metrics();
        Evaluation.TargetMode mode = targetMode();
        List<Gate> gates = gates(chosenMetrics);
        List<Baseline> baselines = baselines();
        if (batch < 1) {
            throw new CamunitException("Option --batch must be a positive number of images; got " + batch);
        }
        if (junitXml != null) {
            OutputPaths.requireFile("--junit-xml", junitXml);
        }
        if (summaryMd != null) {
            OutputPaths.requireFile("--summary-md", summaryMd);
        }
        if (allureResults != null) {
            OutputPaths.requireDirectory("--allure-results", allureResults);
        }
        // Checked before the model loads, so that a missing Spark fails as fast as a typo.
        SparkRun spark = sparkMaster == null ? null : SparkRun.of(this, spec.commandLine().getParseResult()
                .originalArgs());
        LabeledDataset dataset = dataset(data);
        List<LabeledSample> samples = dataset.samples();
        if (samples.isEmpty()) {
            throw new CamunitException("Data set " + data + " has no samples; nothing to evaluate.");
        }
        PrintWriter err = spec.commandLine().getErr();
        try (TorchScriptModel model = modelOptions.load(spec.commandLine().getErr())) {
            List<String> layers = chosenMethods.stream().anyMatch(Method::usesLayers) ? explainerOptions.layersFor(model)
                    : List.of();
            Evaluation evaluation = evaluation(model, samples).optGates(gates).optRegressions(regressions(baselines))
                    .optKeepValues(saveBaselines != null)
                    .optEvidence(allureResults != null ? EvidenceAttachments.DEFAULT_WORST : 0).build();
            MapFiles maps = saveMaps ? new MapFiles(out, evaluation.samples()) : null;
            createDirectories(out);
            if (maps != null) {
                maps.writeIndex();
            }
            err.printf(Locale.ROOT, "Evaluating %d %s of %s with %s at %s (target: %s)%n", evaluation.size(),
                    model.isDetector() ? "labelled objects" : "samples", data,
                    String.join(", ", chosenMethods.stream().map(Method::id).toList()), String.join("+", layers),
                    model.isDetector() ? "each object's best-matching candidate box, IoU >= 0.5"
                            : mode == Evaluation.TargetMode.LABELLED ? "labelled class" : "predicted class");
            long start = System.currentTimeMillis();
            Progress progress = new Progress(err, "samples", evaluation.size(), System.console() != null);
            int[] reported = new int[1];
            Path csv = out.resolve("samples.csv");
            EvaluationResult[] result = new EvaluationResult[1];
            // Every output file appears whole or not at all (AtomicFile): an interrupted run leaves none half-written.
            AtomicFile.write(csv, stream -> {
                SamplesCsv rows = new SamplesCsv(stream, evaluation.metrics().stream().map(SampleMetric::name).toList(),
                        model.classes());
                try {
                    EvaluationListener listener = new EvaluationListener() {
                        @Override
                        public void measured(MeasuredSample row) {
                            rows.write(row);
                            if (maps != null) {
                                maps.write(row.method(), row.sample(), row.explanation());
                            }
                        }

                        @Override
                        public void batchDone(int done, int total) {
                            progress.advance(done - reported[0]);
                            reported[0] = done;
                        }
                    };
                    result[0] = spark == null ? evaluation.run(listener) : spark.run(evaluation, listener, err);
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                rows.flush();
            });
            progress.done();
            EvaluationResult r = result[0];
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("model", modelOptions.model.toString());
            settings.put("data", data.toString());
            settings.put("layers", layers);
            settings.put("target", mode == Evaluation.TargetMode.LABELLED ? "labelled" : "predicted");
            List<String> baselineNames = baselineFiles == null ? List.of()
                    : baselineFiles.stream().map(Path::toString).toList();
            AtomicFile.writeString(out.resolve("summary.json"), SummaryJson.of(settings, dataset.classes(), r,
                    baselineNames));
            ciOutputs(new EvaluationRun(modelOptions.model.toString(), data.toString(), layers,
                    (String) settings.get("target"), r.samples(), start, System.currentTimeMillis()), r,
                    CheckOutcome.of(r, baselineNames));
            if (saveBaselines != null) {
                saveBaselines(r, baselineName != null ? baselineName : model.name());
            }
            ResultLines.print(spec.commandLine().getOut(), r);
            err.printf(Locale.ROOT, "Wrote %s (%d rows) and %s%s%n", csv, evaluation.size() * chosenMethods.size(),
                    out.resolve("summary.json"), saveMaps ? " and the maps under " + out.resolve("maps") : "");
            long failed = r.verdicts().stream().filter(v -> !v.verdict().passed()).count()
                    + r.regressions().stream().filter(x -> !x.result().passed()).count();
            if (failed > 0) {
                err.printf(Locale.ROOT, "%d of %d gate verdicts failed; exit code %d%n", failed,
                        r.verdicts().size() + r.regressions().size(), GATE_FAILED);
                return GATE_FAILED;
            }
            return 0;
        }
    }

    /**
     * The evaluation of these options, without gates, baselines and evidence (the driver's concern):
     * the one place that turns the options into an evaluation, for the local run and for every Spark
     * executor, so that both explain the same items in the same batches.
     */
    Evaluation.Builder evaluation(TorchScriptModel model, List<LabeledSample> samples) {
        List<Explainer> explainers = methods().stream().map(m -> explainerOptions.explainer(m, model)).toList();
        return Evaluation.builder().setModel(model).setSamples(samples).setExplainers(explainers)
                .optMetrics(metrics()).optTarget(targetMode()).optClasses(classes).optBatchSize(batch);
    }

    /** @return the data set of {@code --data} at the given path (the option's, or an executor's copy) */
    LabeledDataset dataset(Path dataPath) {
        return DatasetFormats.open(dataPath, DatasetOptions.builder().optAllowPathsOutsideData(allowPathsOutsideData)
                .build());
    }

    /** The CI-native outputs, each only when asked for; every error names its option and path. */
    private void ciOutputs(EvaluationRun run, EvaluationResult r, List<CheckOutcome> checks) {
        PrintWriter err = spec.commandLine().getErr();
        if (junitXml != null) {
            try {
                AtomicFile.writeString(junitXml, JUnitXml.of(run, checks));
            } catch (CamunitException e) {
                throw OutputPaths.cannotWrite("--junit-xml", junitXml, e);
            }
            err.printf(Locale.ROOT, "Wrote %s (%d test cases)%n", junitXml, checks.size());
        }
        if (summaryMd != null) {
            try {
                Path parent = summaryMd.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                // Appended in one write, as GitHub expects of $GITHUB_STEP_SUMMARY (each run adds its block).
                Files.writeString(summaryMd, SummaryMarkdown.of(run, r, checks), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw OutputPaths.cannotWrite("--summary-md", summaryMd, e);
            }
            err.printf(Locale.ROOT, "Appended the summary to %s%n", summaryMd);
        }
        if (allureResults != null) {
            try {
                AllureResults.write(allureResults, run, checks, EvidenceAttachments.DEFAULT_WORST);
            } catch (CamunitException e) {
                throw OutputPaths.cannotWrite("--allure-results", allureResults, e);
            }
            err.printf(Locale.ROOT, "Wrote %d Allure results to %s%n", checks.size(), allureResults);
        }
    }

    private List<Method> methods() {
        Set<Method> chosen = new LinkedHashSet<>();
        for (String m : methods == null || methods.isEmpty() ? List.of("grad-cam") : methods) {
            chosen.add(Method.fromId(m));
        }
        return List.copyOf(chosen);
    }

    private List<SampleMetric> metrics() {
        Map<String, SampleMetric> byName = new LinkedHashMap<>();
        for (SampleMetric m : SampleMetric.parseList(metrics)) {
            byName.putIfAbsent(m.name(), m);
        }
        return List.copyOf(byName.values());
    }

    /** Parses every --gate before any work; a gate on a metric this run does not compute is an error. */
    private List<Gate> gates(List<SampleMetric> chosenMetrics) {
        List<String> names = chosenMetrics.stream().map(SampleMetric::name).toList();
        List<Gate> parsed = new ArrayList<>();
        for (String text : gateTexts == null ? List.<String>of() : gateTexts) {
            Gate gate;
            try {
                gate = Gate.parse(text);
            } catch (Gate.SyntaxException e) {
                throw new CamunitException("Option --gate: " + e.getMessage(), e);
            }
            if (!names.contains(gate.metric())) {
                throw new CamunitException("Option --gate \"" + text + "\" gates metric '" + gate.metric()
                        + "', which this run does not compute; its metrics (--metrics) are " + String.join(", ", names)
                        + ". Add it to --metrics or gate one of these.");
            }
            parsed.add(gate);
        }
        return parsed;
    }

    private List<Baseline> baselines() {
        if (baselineFiles == null || baselineFiles.isEmpty()) {
            if (baselineTolerance != null || baselineMeanTolerance != null) {
                throw new CamunitException("Options --baseline-tolerance and --baseline-mean-tolerance go with"
                        + " --baseline FILE; no baseline was given.");
            }
            return List.of();
        }
        if (baselineTolerance == null) {
            throw new CamunitException("Option --baseline needs --baseline-tolerance T: the largest worsening a sample may"
                    + " show, e.g. 0.05 (0 allows none, but maps differ in the last digits between batch sizes).");
        }
        return baselineFiles.stream().map(Baseline::load).toList();
    }

    private List<Regression> regressions(List<Baseline> baselines) {
        return baselines.stream().map(b -> Regression.of(b, baselineTolerance, baselineMeanTolerance != null
                ? baselineMeanTolerance : baselineTolerance)).toList();
    }

    private void saveBaselines(EvaluationResult r, String modelVersion) {
        for (String method : r.methods()) {
            for (String metric : r.metrics()) {
                Baseline.record(modelVersion, r.sampleValues(method, metric))
                        .save(saveBaselines.resolve(method).resolve(metric + ".json"));
            }
        }
    }

    private Evaluation.TargetMode targetMode() {
        return switch (target.trim().toLowerCase(Locale.ROOT)) {
            case "labelled", "labeled" -> Evaluation.TargetMode.LABELLED;
            case "predicted" -> Evaluation.TargetMode.PREDICTED;
            default -> throw new CamunitException("Option --target must be 'labelled' (explain each sample's labelled"
                    + " class) or 'predicted' (the class the model predicts); got '" + target + "'.");
        };
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CamunitException("Cannot create directory " + dir + ": " + e.getMessage()
                    + ". Check that --out names a writable directory (not a file).", e);
        }
    }
}
