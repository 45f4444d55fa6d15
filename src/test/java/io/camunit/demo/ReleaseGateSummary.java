package io.camunit.demo;

import io.camunit.CamunitException;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The demo's last step: reads the Allure results of {@link ShapesReleaseGate} (and the
 * {@code summary.json} of the command-line gates), prints one screen of verdicts per model, and
 * fails when a model's verdict is not the expected one. A gate test that passed is {@code PASS}; one
 * that failed its assertion is {@code CAUGHT}; anything else (an error, a skipped or missing test)
 * is {@code ERROR}. The pass rates come from the {@link GateOutcome} each gate test attached.
 *
 * <pre>{@code
 * ReleaseGateSummary --results reports/allure-results --report reports/allure-report/index.html
 *     --expect shapes-clean=PASS --expect shapes-shortcut=CAUGHT
 *     --cli reports/demo/shapes-clean/summary.json --cli reports/demo/shapes-shortcut/summary.json
 * }</pre>
 */
public final class ReleaseGateSummary {

    /** A model's verdict. */
    enum Verdict { PASS, CAUGHT, ERROR }

    /** One gate test's Allure result with the outcome it attached. */
    record GateResult(String model, String status, String message, GateOutcome outcome) {

        Verdict verdict() {
            return switch (status) {
                case "passed" -> Verdict.PASS;
                case "failed" -> Verdict.CAUGHT;
                default -> Verdict.ERROR;
            };
        }
    }

    /** One gate of {@code camunit evaluate}, from its {@code summary.json}. */
    record CliGate(String model, String data, String method, String layers, String gate, int samples, int passing,
            boolean passed) { }

    /** The parentSuite label of the results camunit evaluate --allure-results writes. */
    static final String CLI_SUITE = "camunit evaluate";

    private final Path results;
    private final Path report;
    private final Map<String, Verdict> expected;
    private final List<Path> cliSummaries;

    ReleaseGateSummary(Path results, Path report, Map<String, Verdict> expected, List<Path> cliSummaries) {
        this.results = results;
        this.report = report;
        this.expected = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expected));
        this.cliSummaries = List.copyOf(cliSummaries);
    }

    /**
     * @param args {@code --results DIR --report FILE [--expect MODEL=PASS|CAUGHT ...] [--cli SUMMARY.json ...]}
     * @throws IllegalStateException when a verdict is not the expected one (fails the Maven build)
     */
    public static void main(String[] args) {
        Path results = null;
        Path report = null;
        Map<String, Verdict> expected = new LinkedHashMap<>();
        List<Path> cli = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("Option " + args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "--results" -> results = Path.of(value);
                case "--report" -> report = Path.of(value);
                case "--cli" -> cli.add(Path.of(value));
                case "--expect" -> {
                    String[] kv = value.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("--expect takes MODEL=PASS or MODEL=CAUGHT; got " + value);
                    }
                    expected.put(kv[0], Verdict.valueOf(kv[1].toUpperCase(Locale.ROOT)));
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i - 1]);
            }
        }
        if (results == null || report == null) {
            throw new IllegalArgumentException("--results and --report are required");
        }
        List<String> problems = new ReleaseGateSummary(results, report, expected, cli).print(System.out);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The release gate demo did not give the expected verdicts:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * Prints the summary: per model, each gate with its pass rate and verdict, then the model's
     * verdict against the expected one.
     *
     * @param out where to print
     * @return what is wrong: unexpected verdicts, missing models, outcomes disagreeing with results
     */
    List<String> print(PrintStream out) {
        List<String> problems = new ArrayList<>();
        Map<String, List<GateResult>> gates = new TreeMap<>();
        Map<String, int[]> perSample = new TreeMap<>();
        for (JsonObject r : readResults()) {
            String model = label(r, "story");
            // camunit evaluate --allure-results writes its gates into the same directory, story = model too:
            // they are counted from their summary.json (--cli), once, not here.
            if (model == null || !hasLabel(r, "tag", ShapesReleaseGate.TAG) || hasLabel(r, "parentSuite", CLI_SUITE)) {
                continue;
            }
            String status = r.get("status").getAsString();
            GateOutcome outcome = attachedOutcome(r);
            if (outcome != null) {
                JsonElement message = r.has("statusDetails") ? r.getAsJsonObject("statusDetails").get("message") : null;
                gates.computeIfAbsent(model, k -> new ArrayList<>()).add(new GateResult(model, status,
                        message == null || message.isJsonNull() ? "" : message.getAsString(), outcome));
            } else {
                int[] counts = perSample.computeIfAbsent(model, k -> new int[2]);
                counts[0] += "passed".equals(status) ? 1 : 0;
                counts[1]++;
            }
        }
        Map<String, List<CliGate>> cli = new TreeMap<>();
        for (Path p : cliSummaries) {
            readCli(p).forEach(g -> cli.computeIfAbsent(g.model(), k -> new ArrayList<>()).add(g));
        }
        java.util.Set<String> models = new java.util.TreeSet<>(gates.keySet());
        models.addAll(cli.keySet());
        models.addAll(expected.keySet());

        // One column for the explainers, as wide as the longest (a ViT's layer names are long).
        int width = Math.max(25, java.util.stream.Stream.concat(
                gates.values().stream().flatMap(List::stream).map(g -> g.outcome().explainer()),
                cli.values().stream().flatMap(List::stream).map(g -> g.method() + " at " + g.layers()))
                .mapToInt(String::length).max().orElse(0));
        out.println();
        out.println("Release gate demo: verdict per model (JUnit suite " + ShapesReleaseGate.class.getSimpleName()
                + ", then camunit evaluate --gate)");
        for (String model : models) {
            List<GateResult> mine = gates.getOrDefault(model, List.of());
            String data = mine.isEmpty() ? cli.getOrDefault(model, List.of()).stream().map(CliGate::data)
                    .findFirst().orElse("?") : mine.get(0).outcome().data();
            out.println();
            out.println(model + " on " + data);
            List<Verdict> verdicts = new ArrayList<>();
            for (GateResult g : mine) {
                GateOutcome o = g.outcome();
                row(out, width, "JUnit", o.explainer(), o.gate(), rate(o.passing(), o.samples()), g.verdict().name());
                verdicts.add(g.verdict());
                if (g.verdict() == Verdict.ERROR) {
                    problems.add(model + ": the gate test is " + g.status() + ", not passed or failed: " + g.message());
                } else if ((g.verdict() == Verdict.PASS) != o.met()) {
                    problems.add(model + ": the recorded pass rate " + rate(o.passing(), o.samples())
                            + " disagrees with the test's result (" + g.status() + ")");
                }
            }
            int[] samples = perSample.get(model);
            if (samples != null) {
                row(out, width, "JUnit", "", "per-sample hasPeakInside", samples[0] + "/" + samples[1] + " passed", "");
            }
            for (CliGate g : cli.getOrDefault(model, List.of())) {
                Verdict v = g.passed() ? Verdict.PASS : Verdict.CAUGHT;
                row(out, width, "CLI", g.method() + " at " + g.layers(), g.gate(), rate(g.passing(), g.samples()), v.name());
                verdicts.add(v);
            }
            Verdict want = expected.get(model);
            if (mine.isEmpty()) {
                problems.add(model + ": no gate test result in " + results);
            }
            Verdict verdict = verdicts.isEmpty() ? Verdict.ERROR
                    : verdicts.stream().allMatch(v -> v == verdicts.get(0)) ? verdicts.get(0) : Verdict.ERROR;
            if (verdict == Verdict.ERROR && !verdicts.isEmpty() && !verdicts.contains(Verdict.ERROR)) {
                problems.add(model + ": the gates disagree: " + verdicts);
            }
            if (want != null && verdict != want) {
                problems.add(model + ": expected " + want + " but the gates say " + verdict);
            }
            out.println("  => " + verdict + (want == null ? "" : verdict == want ? " (as expected)"
                    : " (expected " + want + ")"));
        }

        out.println();
        if (Files.isRegularFile(report)) {
            out.println("HTML report: " + report.toAbsolutePath().normalize()
                    + "  (one file, opens from file://; red tests carry their evidence)");
        } else {
            problems.add("the HTML report " + report + " was not generated");
        }
        out.println(problems.isEmpty() ? "Every model got its expected verdict: catching the shortcut model is the"
                + " demo's success." : "UNEXPECTED VERDICTS: " + String.join("; ", problems));
        out.println();
        return problems;
    }

    private static void row(PrintStream out, int width, String via, String explainer, String gate, String rate,
            String verdict) {
        out.println(String.format("  %-6s %-" + width + "s %-26s %-16s %s", via, explainer, gate, rate, verdict)
                .stripTrailing());
    }

    private static String rate(int passing, int samples) {
        return String.format(Locale.ROOT, "%d/%d (%.1f %%)", passing, samples,
                samples == 0 ? 0.0 : 100.0 * passing / samples);
    }

    private List<JsonObject> readResults() {
        if (!Files.isDirectory(results)) {
            throw new CamunitException("No Allure results directory " + results + ": did the demo suite run?");
        }
        try (Stream<Path> files = Files.list(results)) {
            List<JsonObject> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).sorted().toList()) {
                out.add(json(p));
            }
            return out;
        } catch (IOException e) {
            throw new CamunitException("Cannot list Allure results in " + results + ": " + e.getMessage(), e);
        }
    }

    private GateOutcome attachedOutcome(JsonObject result) {
        if (!result.has("attachments")) {
            return null;
        }
        for (JsonElement a : result.getAsJsonArray("attachments")) {
            JsonObject att = a.getAsJsonObject();
            if (GateOutcome.ATTACHMENT.equals(att.get("name").getAsString())) {
                Path file = results.resolve(att.get("source").getAsString());
                try {
                    return GateOutcome.fromJson(Files.readAllBytes(file), file.toString());
                } catch (IOException e) {
                    throw new CamunitException("Cannot read the gate outcome " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return null;
    }

    private static String label(JsonObject result, String name) {
        for (JsonElement l : result.getAsJsonArray("labels")) {
            JsonObject label = l.getAsJsonObject();
            if (name.equals(label.get("name").getAsString())) {
                return label.get("value").getAsString();
            }
        }
        return null;
    }

    private static boolean hasLabel(JsonObject result, String name, String value) {
        for (JsonElement l : result.getAsJsonArray("labels")) {
            JsonObject label = l.getAsJsonObject();
            if (name.equals(label.get("name").getAsString()) && value.equals(label.get("value").getAsString())) {
                return true;
            }
        }
        return false;
    }

    private static List<CliGate> readCli(Path summary) {
        JsonObject s = json(summary);
        String file = Path.of(s.get("model").getAsString()).getFileName().toString();
        String model = file.endsWith(".pt") ? file.substring(0, file.length() - 3) : file;
        List<String> layerNames = new ArrayList<>();
        s.getAsJsonArray("layers").forEach(l -> layerNames.add(l.getAsString()));
        String layers = String.join(",", layerNames);
        List<CliGate> out = new ArrayList<>();
        for (JsonElement e : s.getAsJsonArray("gates")) {
            JsonObject g = e.getAsJsonObject();
            out.add(new CliGate(model, s.get("data").getAsString(), g.get("method").getAsString(), layers,
                    g.get("gate").getAsString(),
                    g.get("samples").getAsInt(), g.get("passing").getAsInt(), g.get("passed").getAsBoolean()));
        }
        return out;
    }

    private static JsonObject json(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new CamunitException("Cannot read " + file + " as a JSON object: " + e.getMessage(), e);
        }
    }
}
