package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.explain.Target;
import io.camunit.metric.DegenerateMapException;
import io.camunit.metric.EmptyRegionException;
import io.camunit.metric.GateExpression;
import io.camunit.metric.MetricSummary;
import io.camunit.metric.SampleMetric;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.Npy;
import io.camunit.report.SafeName;

import com.google.gson.GsonBuilder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * {@code camunit evaluate}: explains every sample of a labelled data set with one or more methods
 * and measures the maps against the labelled regions; writes {@code samples.csv} (one row per
 * sample and method), {@code summary.json} (statistics per method, metric and class, from
 * {@link MetricSummary}) and optionally the raw maps, and prints a short table. With
 * {@code --gate} (parsed and judged by {@link GateExpression}) it prints each gate's verdict per
 * method and exits 3 when any gate fails, so a CI step can stop a release.
 *
 * <pre>{@code
 * java -jar target/camunit.jar evaluate --model fixtures/models/shapes-clean.pt \
 *     --data fixtures/shapes/test/coco.json --method grad-cam --method layer-cam \
 *     --metrics mass-inside,peak-inside,rank-accuracy --out out/eval \
 *     --gate "peak-inside >= 1 for 80%" --gate "mean mass-inside >= 0.3"
 * }</pre>
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Explain every sample of a labelled data set and measure the maps against the labelled regions:"
                + " write samples.csv and summary.json (and the raw maps with --save-maps), print a summary table"
                + " and, with --gate, each gate's verdict per method.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ran to the end and every --gate passed (or none was given)",
            "1:bad input, including a malformed --gate or one on a metric not in --metrics (message on stderr)",
            "2:usage error (unknown or missing option)",
            "3:ran to the end but at least one --gate failed (FAIL lines on stdout, \"gates\" in summary.json)"})
final class EvaluateCommand implements Callable<Integer> {

    /** Exit code when the run completed but a gate failed; distinct from 1 so CI can tell bad input from a bad model. */
    static final int GATE_FAILED = 3;

    static final String DEFAULT_METRICS = "mass-inside,peak-inside,rank-accuracy";
    static final String PERCENTILE = "linear interpolation between order statistics (numpy.percentile's default):"
            + " x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]) with h = (n - 1) * p / 100";
    /** Longest map file name stem; long ids keep their end, where ids differ most. */
    private static final int MAX_NAME = 120;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "Labelled data: COCO .json, VOC directory, YOLO directory, or .csv/.json manifest.")
    Path data;

    @Option(names = "--method", paramLabel = "NAME", split = ",",
            description = "Method; repeat (or separate with commas) for several, each evaluated on every sample"
                    + " (default: grad-cam). " + ExplainerOptions.METHOD_IDS + ".")
    List<String> methods;

    @Mixin
    ExplainerOptions explainerOptions;

    @Option(names = "--metrics", defaultValue = DEFAULT_METRICS, paramLabel = "LIST",
            description = "Comma-separated metrics (default: ${DEFAULT-VALUE}).")
    String metrics;

    @Option(names = "--target", defaultValue = "labelled", paramLabel = "MODE",
            description = "labelled (default): explain each sample's labelled class; predicted: the arg-max class.")
    String target;

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

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N",
            description = "Images explained per pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Options are checked before the model loads, so a typo fails in milliseconds.
        List<Method> chosenMethods = methods();
        List<SampleMetric> chosenMetrics = metrics();
        boolean labelled = labelledTarget();
        List<GateExpression> gates = gates(chosenMetrics);
        if (batch < 1) {
            throw new CamunitException("Option --batch must be a positive number of images; got " + batch);
        }
        LabeledDataset dataset = LabeledDataset.open(data);
        List<LabeledSample> samples = dataset.samples();
        if (samples.isEmpty()) {
            throw new CamunitException("Data set " + data + " has no samples; nothing to evaluate.");
        }
        PrintWriter err = spec.commandLine().getErr();
        try (TorchScriptModel model = modelOptions.load(spec.commandLine().getErr())) {
            List<String> chosenLayers = chosenMethods.stream().anyMatch(Method::usesLayers)
                    ? explainerOptions.layersFor(model) : List.of();
            List<Target> targets = labelled ? labelledTargets(samples, model) : samples.stream()
                    .map(s -> Target.predicted()).toList();
            Map<Method, Explainer> explainers = new LinkedHashMap<>();
            Map<Method, Map<String, MetricSummary>> summaries = new LinkedHashMap<>();
            // Per-sample values only for gated metrics: gates need them after the run, the table does not.
            Map<Method, Map<String, List<GateExpression.SampleValue>>> gated = new LinkedHashMap<>();
            for (Method m : chosenMethods) {
                Map<String, List<GateExpression.SampleValue>> gatedValues = new LinkedHashMap<>();
                gates.forEach(g -> gatedValues.putIfAbsent(g.metric(), new ArrayList<>()));
                gated.put(m, gatedValues);
                explainers.put(m, explainerOptions.explainer(m, model));
                Map<String, MetricSummary> perMetric = new LinkedHashMap<>();
                chosenMetrics.forEach(metric -> perMetric.put(metric.name(), new MetricSummary()));
                summaries.put(m, perMetric);
            }
            Map<String, String> mapNames = saveMaps ? mapFileNames(samples.stream().map(LabeledSample::id).toList()) : Map.of();
            createDirectories(out);
            if (saveMaps) {
                for (Method m : chosenMethods) {
                    createDirectories(out.resolve("maps").resolve(m.id()));
                }
                writeMapIndex(samples, mapNames);
            }
            err.printf("Evaluating %d samples of %s with %s at %s (target: %s class)%n", samples.size(), data,
                    String.join(", ", chosenMethods.stream().map(Method::id).toList()), String.join("+", chosenLayers),
                    labelled ? "labelled" : "predicted");
            Progress progress = new Progress(err, "samples", samples.size(), System.console() != null);
            Path csv = out.resolve("samples.csv");
            // Every output file appears whole or not at all (AtomicFile): an interrupted run leaves none half-written.
            AtomicFile.write(csv, stream -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                List<String> header = new ArrayList<>(List.of("id", "label", "method", "target", "predicted", "score"));
                chosenMetrics.forEach(metric -> header.add(metric.name()));
                header.add("note");
                writeRow(w, header);
                for (List<Integer> indices : batches(samples, model.input().hasSize())) {
                    List<InputImage> images = indices.stream().map(i -> samples.get(i).image()).toList();
                    List<Target> batchTargets = indices.stream().map(targets::get).toList();
                    // One pass per layer for all formula methods together (they share activations and gradients).
                    List<List<Explanation>> each = Explainer.explainEach(model, images, batchTargets,
                            List.copyOf(explainers.values()));
                    Map<Method, List<Explanation>> explained = new LinkedHashMap<>();
                    int index = 0;
                    for (Method m : explainers.keySet()) {
                        explained.put(m, each.get(index++));
                    }
                    for (int k = 0; k < indices.size(); k++) {
                        LabeledSample sample = samples.get(indices.get(k));
                        for (Method m : chosenMethods) {
                            Explanation e = explained.get(m).get(k);
                            writeRow(w, row(sample, e, model, chosenMetrics, summaries.get(m), gated.get(m)));
                            if (saveMaps) {
                                writeMap(out.resolve("maps").resolve(m.id()).resolve(mapNames.get(sample.id())), e);
                            }
                        }
                    }
                    progress.advance(indices.size());
                }
                w.flush();
            });
            progress.done();
            Map<Method, List<GateExpression.Verdict>> verdicts = new LinkedHashMap<>();
            gated.forEach((m, values) -> verdicts.put(m, gates.stream().map(g -> g.evaluate(values.get(g.metric())))
                    .toList()));
            writeSummary(chosenLayers, labelled, samples.size(), dataset.classes(), chosenMetrics, summaries, verdicts);
            printTable(summaries);
            printVerdicts(verdicts);
            err.printf("Wrote %s (%d rows) and %s%s%n", csv, samples.size() * chosenMethods.size(),
                    out.resolve("summary.json"), saveMaps ? " and the maps under " + out.resolve("maps") : "");
            long failed = verdicts.values().stream().flatMap(List::stream).filter(v -> !v.passed()).count();
            if (failed > 0) {
                err.printf("%d of %d gate verdicts failed; exit code %d%n", failed,
                        gates.size() * chosenMethods.size(), GATE_FAILED);
                return GATE_FAILED;
            }
            return 0;
        }
    }

    private List<Method> methods() {
        Set<Method> out = new LinkedHashSet<>();
        for (String m : methods == null || methods.isEmpty() ? List.of("grad-cam") : methods) {
            out.add(Method.fromId(m));
        }
        return List.copyOf(out);
    }

    private List<SampleMetric> metrics() {
        Map<String, SampleMetric> byName = new LinkedHashMap<>();
        for (SampleMetric m : SampleMetric.parseList(metrics)) {
            byName.putIfAbsent(m.name(), m);
        }
        return List.copyOf(byName.values());
    }

    /** Parses every --gate before any work; a gate on a metric this run does not compute is an error. */
    private List<GateExpression> gates(List<SampleMetric> chosenMetrics) {
        List<String> names = chosenMetrics.stream().map(SampleMetric::name).toList();
        List<GateExpression> out = new ArrayList<>();
        for (String text : gateTexts == null ? List.<String>of() : gateTexts) {
            GateExpression gate;
            try {
                gate = GateExpression.parse(text);
            } catch (GateExpression.SyntaxException e) {
                throw new CamunitException("Option --gate: " + e.getMessage(), e);
            }
            if (!names.contains(gate.metric())) {
                throw new CamunitException("Option --gate \"" + text + "\" gates metric '" + gate.metric()
                        + "', which this run does not compute; its metrics (--metrics) are " + String.join(", ", names)
                        + ". Add it to --metrics or gate one of these.");
            }
            out.add(gate);
        }
        return out;
    }

    private boolean labelledTarget() {
        return switch (target.trim().toLowerCase(Locale.ROOT)) {
            case "labelled", "labeled" -> true;
            case "predicted" -> false;
            default -> throw new CamunitException("Option --target must be 'labelled' (explain each sample's labelled"
                    + " class) or 'predicted' (the class the model predicts); got '" + target + "'.");
        };
    }

    /** One class-index target per sample; every unknown label is reported at once, before any work. */
    private List<Target> labelledTargets(List<LabeledSample> samples, TorchScriptModel model) {
        List<String> classes = model.classes();
        if (classes.isEmpty()) {
            throw new CamunitException("Model " + model.name() + " names no classes, so a sample's label cannot be"
                    + " mapped to a class index. Give the model its class names (\"classes\" in its camunit.json)"
                    + " or use --target predicted.");
        }
        List<Target> out = new ArrayList<>(samples.size());
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (LabeledSample s : samples) {
            List<String> labels = s.labels();
            if (labels.size() != 1) {
                throw new CamunitException("Sample " + s.id() + " has " + (labels.isEmpty() ? "no labelled objects"
                        : "objects of several classes " + labels) + ", but --target labelled explains one labelled"
                        + " class per sample. Use --target predicted, or leave such samples out of the data.");
            }
            int index = classes.indexOf(labels.get(0));
            if (index < 0) {
                unknown.computeIfAbsent(labels.get(0), l -> new ArrayList<>()).add(s.id());
            }
            out.add(Target.classIndex(Math.max(index, 0)));
        }
        if (!unknown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            unknown.forEach((label, ids) -> parts.add("'" + label + "' (" + ids.size() + " sample"
                    + (ids.size() == 1 ? "" : "s") + ", e.g. " + ids.get(0) + ")"));
            throw new CamunitException("Model " + model.name() + " does not know the label" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", parts) + " of " + data + ": its classes are " + classes + ". Labels are"
                    + " matched to class names exactly; use the model trained on these classes, fix the labels, or"
                    + " use --target predicted.");
        }
        return out;
    }

    /**
     * Consecutive runs of at most {@code --batch} samples; for a model without a fixed input size a
     * run also ends where the image size changes, since a batch is one tensor.
     */
    private List<List<Integer>> batches(List<LabeledSample> samples, boolean fixedSize) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            LabeledSample s = samples.get(i);
            boolean sizeChanges = !fixedSize && !current.isEmpty() && (samples.get(current.get(0)).width() != s.width()
                    || samples.get(current.get(0)).height() != s.height());
            if (current.size() == batch || sizeChanges) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(i);
        }
        out.add(current);
        return out;
    }

    /** Measures every metric; a metric that is undefined for this sample leaves its cell empty and says why. */
    private static List<String> row(LabeledSample sample, Explanation e, TorchScriptModel model,
            List<SampleMetric> metrics, Map<String, MetricSummary> summaries,
            Map<String, List<GateExpression.SampleValue>> gated) {
        String label = label(sample);
        String group = label.isEmpty() ? "(none)" : label;
        List<String> cells = new ArrayList<>(List.of(sample.id(), label, e.method().id(), e.targetLabel(),
                ExplainCommand.label(model.classes(), e.predictedClass()), number(e.score())));
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (SampleMetric metric : metrics) {
            MetricSummary summary = summaries.get(metric.name());
            try {
                double value = metric.measure(e, sample, model).value();
                summary.add(group, value);
                cells.add(number(value));
                record(gated, metric.name(), new GateExpression.SampleValue(sample.id(), group, value, null));
            } catch (DegenerateMapException | EmptyRegionException ex) {
                summary.addFailed(group);
                cells.add("");
                record(gated, metric.name(), new GateExpression.SampleValue(sample.id(), group, null, ex.getMessage()));
                reasons.computeIfAbsent(ex.getMessage(), r -> new ArrayList<>()).add(metric.name());
            }
        }
        // The same reason (e.g. a degenerate map) usually fails every metric: say it once.
        List<String> note = new ArrayList<>();
        reasons.forEach((reason, names) -> note.add(String.join(", ", names) + ": " + reason));
        cells.add(String.join("; ", note));
        return cells;
    }

    private static void record(Map<String, List<GateExpression.SampleValue>> gated, String metric,
            GateExpression.SampleValue value) {
        List<GateExpression.SampleValue> values = gated.get(metric);
        if (values != null) {
            values.add(value);
        }
    }

    /** The sample's labelled class; several classes joined with '+', none as an empty string. */
    private static String label(LabeledSample sample) {
        return String.join("+", sample.labels());
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static void writeRow(BufferedWriter w, List<String> cells) throws IOException {
        List<String> quoted = new ArrayList<>(cells.size());
        for (String c : cells) {
            quoted.add(csvField(c));
        }
        w.write(String.join(",", quoted));
        w.write('\n');
    }

    /**
     * @param value a cell
     * @return the cell as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma, a
     *     quote or a line break
     */
    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * Safe, unique map file names for sample ids. Ids are paths such as {@code images/0001.png} or
     * even {@code ../../x}: every character outside {@code [A-Za-z0-9._-]} becomes {@code _} (so
     * no separator survives), leading dots and dashes go (no {@code ..}, hidden or option-like
     * names), long names keep their last characters, and a name already taken (ignoring case, for
     * case-insensitive file systems) gets {@code -2}, {@code -3}, ...
     *
     * @param ids the sample ids, in order
     * @return for each id its file name, ending in {@code .npy}
     */
    static Map<String, String> mapFileNames(List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String id : ids) {
            if (out.containsKey(id)) {
                continue;
            }
            String base = SafeName.of(id, MAX_NAME, "sample");
            String name = base;
            for (int k = 2; !taken.add(SafeName.clashKey(name)); k++) {
                name = base + "-" + k;
            }
            out.put(id, name + ".npy");
        }
        return out;
    }

    private void writeMapIndex(List<LabeledSample> samples, Map<String, String> names) {
        AtomicFile.write(out.resolve("maps").resolve("index.csv"), stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            writeRow(w, List.of("id", "file"));
            for (LabeledSample s : samples) {
                writeRow(w, List.of(s.id(), names.get(s.id())));
            }
            w.flush();
        });
    }

    private static void writeMap(Path file, Explanation e) {
        AtomicFile.write(file, o -> Npy.write(e.raw(), o));
    }

    private void writeSummary(List<String> chosenLayers, boolean labelled, int sampleCount, List<String> classOrder,
            List<SampleMetric> chosenMetrics, Map<Method, Map<String, MetricSummary>> summaries,
            Map<Method, List<GateExpression.Verdict>> verdicts) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", modelOptions.model.toString());
        json.put("data", data.toString());
        json.put("layers", chosenLayers);
        json.put("target", labelled ? "labelled" : "predicted");
        json.put("samples", sampleCount);
        json.put("metrics", chosenMetrics.stream().map(SampleMetric::name).toList());
        json.put("percentile", PERCENTILE);
        json.put("engine", EngineCheck.verdict().toMap());
        Map<String, Object> byMethod = new LinkedHashMap<>();
        summaries.forEach((m, perMetric) -> {
            Map<String, Object> metricsJson = new LinkedHashMap<>();
            perMetric.forEach((name, summary) -> {
                Map<String, Object> stats = statistics(summary.overall());
                // Classes in the data set's order, then any other label (several classes, none).
                Map<String, MetricSummary.Statistics> byClass = summary.perClass();
                List<String> order = new ArrayList<>(classOrder.stream().filter(byClass::containsKey).toList());
                byClass.keySet().stream().filter(label -> !order.contains(label)).forEach(order::add);
                Map<String, Object> perClass = new LinkedHashMap<>();
                order.forEach(label -> perClass.put(label, statistics(byClass.get(label))));
                stats.put("per_class", perClass);
                metricsJson.put(name, stats);
            });
            byMethod.put(m.id(), metricsJson);
        });
        json.put("methods", byMethod);
        List<Object> gates = new ArrayList<>();
        verdicts.forEach((m, list) -> list.forEach(v -> gates.add(gateJson(m, v))));
        json.put("gates", gates);
        AtomicFile.writeString(out.resolve("summary.json"),
                new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(json) + "\n");
    }

    /** One gate's verdict for one method as JSON; fields that do not apply to the gate's form are null. */
    private static Map<String, Object> gateJson(Method m, GateExpression.Verdict v) {
        GateExpression g = v.gate();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("gate", g.toString());
        j.put("method", m.id());
        j.put("passed", v.passed());
        j.put("metric", g.metric());
        j.put("operator", g.operator().symbol());
        j.put("threshold", g.threshold());
        j.put("statistic", g.statistic());
        j.put("required_fraction", g.isStatistic() ? null : g.fraction());
        j.put("confidence", g.confidence());
        j.put("samples", v.total());
        j.put("passing", v.passing());
        j.put("missing", v.missing());
        j.put("rate", v.rate());
        j.put("lower_bound", v.lowerBound());
        j.put("value", v.statistic());
        List<Object> worst = new ArrayList<>();
        for (GateExpression.SampleValue s : v.worst()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", s.id());
            w.put("label", s.label());
            w.put("value", s.value());
            w.put("reason", s.reason());
            worst.add(w);
        }
        j.put("worst", worst);
        j.put("summary", v.summary());
        return j;
    }

    /** Statistics as JSON; without any computed value they are null, never NaN. */
    private static Map<String, Object> statistics(MetricSummary.Statistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.count());
        m.put("failed", s.failed());
        m.put("mean", s.isEmpty() ? null : s.mean());
        m.put("median", s.isEmpty() ? null : s.median());
        m.put("p10", s.isEmpty() ? null : s.p10());
        m.put("min", s.isEmpty() ? null : s.min());
        m.put("max", s.isEmpty() ? null : s.max());
        return m;
    }

    private void printTable(Map<Method, Map<String, MetricSummary>> summaries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", "metric", "mean", "p10", "count", "failed"});
        summaries.forEach((m, perMetric) -> perMetric.forEach((name, summary) -> {
            MetricSummary.Statistics s = summary.overall();
            rows.add(new String[] {m.id(), name, s.isEmpty() ? "-" : number(s.mean()), s.isEmpty() ? "-" : number(s.p10()),
                    String.valueOf(s.count()), String.valueOf(s.failed())});
        }));
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                // Text left-aligned, numbers right-aligned, as a reader scans them.
                String format = i < 2 ? "%-" + widths[i] + "s" : "%" + widths[i] + "s";
                line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, r[i]));
            }
            o.println(line.toString().stripTrailing());
        }
        o.flush();
    }

    /** One line per gate and method, gates in command-line order, e.g. {@code PASS  grad-cam  peak-inside >= 1 for 80%: ...}. */
    private void printVerdicts(Map<Method, List<GateExpression.Verdict>> verdicts) {
        if (verdicts.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        int width = verdicts.keySet().stream().mapToInt(m -> m.id().length()).max().orElse(0);
        PrintWriter o = spec.commandLine().getOut();
        o.println();
        int gateCount = verdicts.values().iterator().next().size();
        for (int i = 0; i < gateCount; i++) {
            for (Map.Entry<Method, List<GateExpression.Verdict>> e : verdicts.entrySet()) {
                GateExpression.Verdict v = e.getValue().get(i);
                o.println(String.format(Locale.ROOT, "%s  %-" + width + "s  %s: %s", v.passed() ? "PASS" : "FAIL",
                        e.getKey().id(), v.gate(), v.summary()));
            }
        }
        o.flush();
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
