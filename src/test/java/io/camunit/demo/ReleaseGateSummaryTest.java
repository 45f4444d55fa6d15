package io.camunit.demo;

import io.camunit.gate.Gate;
import io.camunit.gate.SampleValue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's verdicts, from hand-written Allure results laid out as allure-jupiter writes them. */
class ReleaseGateSummaryTest {

    @TempDir
    Path results;

    private final Map<String, ReleaseGateSummary.Verdict> expected = new LinkedHashMap<>();

    @BeforeEach
    void expectTheDemosVerdicts() {
        expected.put("shapes-clean", ReleaseGateSummary.Verdict.PASS);
        expected.put("shapes-shortcut", ReleaseGateSummary.Verdict.CAUGHT);
    }

    @Test
    void cleanPassingAndShortcutFailingIsTheExpectedOutcome() throws IOException {
        gate("a", "shapes-clean", "passed", 58);
        gate("b", "shapes-shortcut", "failed", 3);
        sample("c", "shapes-clean", "passed");
        sample("d", "shapes-shortcut", "failed");
        sample("e", "shapes-shortcut", "failed");

        String[] printed = new String[1];
        List<String> problems = summarise(printed);

        assertThat(problems).isEmpty();
        assertThat(printed[0]).contains("""
                shapes-clean on fixtures/shapes/test/coco.json
                  JUnit  grad-cam at features.10   peak-inside >= 1 for 80%   58/60 (96.7 %)   PASS
                  JUnit                            per-sample hasPeakInside   1/1 passed
                  => PASS (as expected)

                shapes-shortcut on fixtures/shapes/test/coco.json
                  JUnit  grad-cam at features.10   peak-inside >= 1 for 80%   3/60 (5.0 %)     CAUGHT
                  JUnit                            per-sample hasPeakInside   0/2 passed
                  => CAUGHT (as expected)
                """).contains("Every model got its expected verdict");
    }

    @Test
    void resultsOfTheCommandLineInTheSameDirectoryAreNotCountedAsJUnitTests() throws IOException {
        gate("a", "shapes-clean", "passed", 58);
        gate("b", "shapes-shortcut", "failed", 3);
        // As camunit evaluate --allure-results writes them (story = model), even if tagged like the suite.
        Files.writeString(results.resolve("c-result.json"), """
                {"uuid": "c", "name": "grad-cam: peak-inside >= 1 for 80%", "status": "passed",
                 "labels": [{"name": "parentSuite", "value": "camunit evaluate"}, {"name": "story", "value":
                 "shapes-shortcut"}, {"name": "tag", "value": "release-gate-demo"}], "attachments": []}
                """);

        String[] printed = new String[1];
        assertThat(summarise(printed)).isEmpty();
        assertThat(printed[0]).doesNotContain("per-sample hasPeakInside").contains("=> CAUGHT (as expected)");
    }

    @Test
    void aShortcutModelThatPassesIsReported() throws IOException {
        gate("a", "shapes-clean", "passed", 58);
        gate("b", "shapes-shortcut", "passed", 55);

        assertThat(summarise(new String[1]))
                .containsExactly("shapes-shortcut: expected CAUGHT but the gates say PASS");
    }

    @Test
    void aGateTestThatBrokeIsAnErrorNotACatch() throws IOException {
        gate("a", "shapes-clean", "broken", 0);
        gate("b", "shapes-shortcut", "failed", 3);

        assertThat(summarise(new String[1])).containsExactly(
                "shapes-clean: the gate test is broken, not passed or failed: boom",
                "shapes-clean: expected PASS but the gates say ERROR");
    }

    @Test
    void aRecordedPassRateThatContradictsTheTestIsReported() throws IOException {
        gate("a", "shapes-clean", "passed", 30);
        gate("b", "shapes-shortcut", "failed", 3);

        assertThat(summarise(new String[1]))
                .containsExactly("shapes-clean: the recorded pass rate 30/60 (50.0 %) disagrees with the test's result "
                        + "(passed)");
    }

    @Test
    void aModelWithoutAGateResultIsReported() throws IOException {
        gate("a", "shapes-clean", "passed", 58);

        assertThat(summarise(new String[1])).containsExactly("shapes-shortcut: no gate test result in " + results,
                "shapes-shortcut: expected CAUGHT but the gates say ERROR");
    }

    @Test
    void theOutcomeIsTheGatesOwnVerdict() {
        Gate gate = Gate.parse("peak-inside >= 1 for 80%");
        // 48 of 60 is exactly 80 %: the gate's tolerance lets it pass; 47 does not.
        assertThat(GateOutcome.of("m", "d", "e", gate.judge(hits(48, 60))).met()).isTrue();
        assertThat(GateOutcome.of("m", "d", "e", gate.judge(hits(47, 60)))).extracting(GateOutcome::met,
                GateOutcome::passing, GateOutcome::samples, GateOutcome::gate)
                .containsExactly(false, 47, 60, "peak-inside >= 1 for 80%");
    }

    private static List<SampleValue> hits(int hits, int samples) {
        List<SampleValue> values = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            values.add(new SampleValue("s" + i, "circle", i < hits ? 1.0 : 0.0, null));
        }
        return values;
    }

    private List<String> summarise(String[] printed) throws IOException {
        Path report = Files.writeString(results.resolve("index.html"), "<html></html>");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> problems = new ReleaseGateSummary(results, report, expected, List.of())
                .print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        printed[0] = bytes.toString(StandardCharsets.UTF_8);
        return problems;
    }

    private void gate(String uuid, String model, String status, int passing) throws IOException {
        GateOutcome outcome = new GateOutcome(model, "fixtures/shapes/test/coco.json", "grad-cam at features.10",
                "peak-inside >= 1 for 80%", 60, passing, passing >= 48);
        Files.writeString(results.resolve(uuid + "-attachment.json"), outcome.toJson());
        write(uuid, model, status, "[{\"name\": \"gate outcome\", \"source\": \"" + uuid
                + "-attachment.json\", \"type\": \"application/json\"}]");
    }

    private void sample(String uuid, String model, String status) throws IOException {
        write(uuid, model, status, "[]");
    }

    private void write(String uuid, String model, String status, String attachments) throws IOException {
        Files.writeString(results.resolve(uuid + "-result.json"), """
                {"uuid": "%s", "name": "a test", "status": "%s", "statusDetails": {"message": "boom"},
                 "labels": [{"name": "tag", "value": "release-gate-demo"}, {"name": "story", "value": "%s"}],
                 "attachments": %s}
                """.formatted(uuid, status, model, attachments));
    }
}
