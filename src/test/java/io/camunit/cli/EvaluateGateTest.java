package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --gate}: verdicts on stdout and in summary.json, exit 3 when a gate fails, 1 for a bad gate. */
class EvaluateGateTest {

    private static final String CLEAN = "fixtures/models/shapes-clean.pt";
    private static final String SHORTCUT = "fixtures/models/shapes-shortcut.pt";
    private static final String TEST = "fixtures/shapes/test/coco.json";
    private static final String MARKED = "fixtures/shapes/test-marked/coco.json";

    private record Run(int code, String out, String err, Path dir) {
        JsonArray gates() throws IOException {
            JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
            return summary.getAsJsonArray("gates");
        }

        /** The method's peak-inside cells of samples.csv (ids and labels of the fixture hold no commas). */
        List<String> column(String method, String metric) throws IOException {
            List<String> lines = Files.readAllLines(dir.resolve("samples.csv"));
            List<String> header = List.of(lines.get(0).split(",", -1));
            List<String> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells[header.indexOf("method")].equals(method)) {
                    out.add(cells[header.indexOf(metric)]);
                }
            }
            return out;
        }
    }

    private static Run run(Path dir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("evaluate"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", dir.toString()));
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString(), dir);
    }

    /** The verdict line the CSV implies for "peak-inside >= 1 for 80%", without the worst samples. */
    private static String expectedLine(Run r, String method, int width) throws IOException {
        List<String> cells = r.column(method, "peak-inside");
        long passing = cells.stream().filter(c -> !c.isEmpty() && Double.parseDouble(c) >= 1).count();
        boolean passed = passing >= 0.8 * cells.size() - 1e-9;
        return String.format(Locale.ROOT, "%s  %-" + width + "s  peak-inside >= 1 for 80%%: %d/%d samples (%.1f %%)",
                passed ? "PASS" : "FAIL", method, passing, cells.size(), 100.0 * passing / cells.size());
    }

    @Test
    void theCleanModelPassesItsGatesAndExitsZero(@TempDir Path dir) throws IOException {
        Run r = run(dir, "--model", CLEAN, "--data", TEST, "--method", "grad-cam", "--metrics", "mass-inside,peak-inside",
                "--gate", "peak-inside >= 1 for 80%", "--gate", "mean peak-inside >= 0.8",
                "--gate", "mass-inside > 0 for 100%");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).contains(expectedLine(r, "grad-cam", 8));
        assertThat(lines).anyMatch(l -> l.matches("PASS  grad-cam  mean peak-inside >= 0\\.8: mean 0\\.\\d{3} over 60 samples"))
                .anyMatch(l -> l.startsWith("PASS  grad-cam  mass-inside > 0 for 100%: 60/60 samples (100.0 %)"))
                .noneMatch(l -> l.startsWith("FAIL"));
        JsonArray gates = r.gates();
        assertThat(gates).hasSize(3);
        JsonObject first = gates.get(0).getAsJsonObject();
        assertThat(first.get("gate").getAsString()).isEqualTo("peak-inside >= 1 for 80%");
        assertThat(first.get("method").getAsString()).isEqualTo("grad-cam");
        assertThat(first.get("passed").getAsBoolean()).isTrue();
        assertThat(first.get("samples").getAsInt()).isEqualTo(60);
        assertThat(first.get("required_fraction").getAsDouble()).isEqualTo(0.8);
        assertThat(first.get("lower_bound").isJsonNull()).isTrue();
        assertThat(gates.get(1).getAsJsonObject().get("statistic").getAsString()).isEqualTo("mean");
    }

    @Test
    void theShortcutModelFailsTheGateWithItsWorstSamplesAndExitsThree(@TempDir Path dir) throws IOException {
        Run r = run(dir, "--model", SHORTCUT, "--data", MARKED, "--method", "grad-cam,layer-cam",
                "--gate", "peak-inside >= 1 for 80%");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(EvaluateCommand.GATE_FAILED).isEqualTo(3);
        List<String> lines = r.out().lines().toList();
        String gradCam = lines.stream().filter(l -> l.contains("  grad-cam   peak-inside")).findFirst().orElseThrow();
        assertThat(gradCam).startsWith(expectedLine(r, "grad-cam", 9) + ", worst: images/")
                .matches("FAIL .*, worst: (images/\\S+ (0\\.000|no value)(, )?){5}");
        String layerCam = expectedLine(r, "layer-cam", 9);
        assertThat(lines).anyMatch(l -> l.startsWith(layerCam));
        assertThat(r.err()).contains("gate verdicts failed; exit code 3");
        JsonObject verdict = r.gates().get(0).getAsJsonObject();
        assertThat(verdict.get("method").getAsString()).isEqualTo("grad-cam");
        assertThat(verdict.get("passed").getAsBoolean()).isFalse();
        assertThat(verdict.getAsJsonArray("worst")).hasSize(5);
        assertThat(verdict.getAsJsonArray("worst").get(0).getAsJsonObject().get("id").getAsString()).startsWith("images/");
        assertThat(r.gates()).hasSize(2);
    }

    @Test
    void aMalformedGateExitsWithOneBeforeAnyWork(@TempDir Path dir) {
        Run r = run(dir.resolve("out"), "--model", CLEAN, "--data", TEST, "--gate", "peak-inside => 1 for 80%");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("camunit: Option --gate: Cannot read gate \"peak-inside => 1 for 80%\" at column 13:"
                + " expected an operator (>=, >, <=, <) but found '=>'.")
                .contains("    peak-inside => 1 for 80%\n                ^\n", "Gates look like \"peak-inside >= 1 for 80%\"")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("out")).as("nothing written before the check").doesNotExist();
    }

    @Test
    void aGateOnAMetricNotComputedExitsWithOneListingTheRunsMetrics(@TempDir Path dir) {
        Run r = run(dir.resolve("out"), "--model", CLEAN, "--data", TEST, "--metrics", "mass-inside,peak-inside",
                "--gate", "rank-accuracy >= 0.5 for 50%");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("camunit: Option --gate \"rank-accuracy >= 0.5 for 50%\" gates metric"
                + " 'rank-accuracy', which this run does not compute; its metrics (--metrics) are mass-inside,"
                + " peak-inside. Add it to --metrics or gate one of these." + System.lineSeparator());
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void helpDocumentsTheGrammarAndTheExitCodes() {
        StringWriter out = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "evaluate", "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("--gate=EXPR", "METRIC OP THRESHOLD for PERCENT%",
                "STATISTIC METRIC OP THRESHOLD", "Exit codes:", "at least one --gate or --baseline failed");
    }
}
