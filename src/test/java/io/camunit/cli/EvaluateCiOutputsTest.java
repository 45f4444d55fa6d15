package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code evaluate} with --junit-xml, --summary-md and --allure-results on the shortcut model: one
 * run (about ten seconds) whose files every test reads, and the bad paths, refused before the model loads.
 */
class EvaluateCiOutputsTest {

    private static final String[] GATES = {"peak-inside >= 1 for 80%", "mean peak-inside >= 0.01"};

    @TempDir
    static Path dir;
    private static int code;
    private static String stdout;
    private static String stderr;

    @BeforeAll
    static void evaluateTheShortcutModel() throws IOException {
        Files.writeString(dir.resolve("summary.md"), "# earlier step\n\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        code = Main.execute(new PrintWriter(out), new PrintWriter(err), "evaluate", "--model",
                "fixtures/models/shapes-shortcut.pt", "--data", "fixtures/shapes/test-marked/coco.json",
                "--method", "grad-cam", "--metrics", "peak-inside", "--gate", GATES[0], "--gate", GATES[1],
                "--out", dir.resolve("out").toString(), "--junit-xml", dir.resolve("ci/gates.xml").toString(),
                "--summary-md", dir.resolve("summary.md").toString(),
                "--allure-results", dir.resolve("allure-results").toString());
        stdout = out.toString();
        stderr = err.toString();
    }

    /** The verdicts as summary.json has them: gate text to passed. */
    private static Map<String, Boolean> summaryJsonVerdicts() throws IOException {
        Map<String, Boolean> out = new TreeMap<>();
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("out/summary.json"))).getAsJsonObject();
        for (JsonElement g : summary.getAsJsonArray("gates")) {
            out.put(g.getAsJsonObject().get("gate").getAsString(), g.getAsJsonObject().get("passed").getAsBoolean());
        }
        return out;
    }

    @Test
    void theRunFailsItsPeakGateAndExitsThree() throws IOException {
        assertThat(code).as(stdout + stderr).isEqualTo(EvaluateCommand.GATE_FAILED);
        assertThat(summaryJsonVerdicts()).isEqualTo(Map.of(GATES[0], false, GATES[1], true));
        assertThat(stderr).contains("Wrote " + dir.resolve("ci/gates.xml") + " (2 test cases)")
                .contains("Appended the summary to " + dir.resolve("summary.md"))
                .contains("Wrote 2 Allure results to " + dir.resolve("allure-results"));
    }

    @Test
    void theJUnitXmlIsSchemaValidWithAFailureForTheFailedGateOnly() throws Exception {
        Path xml = dir.resolve("ci/gates.xml");
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/junit-xml/surefire-test-report.xsd")).newValidator()
                .validate(new StreamSource(xml.toFile()));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("name")).isEqualTo("camunit evaluate shapes-shortcut");
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        NodeList cases = suite.getElementsByTagName("testcase");
        Map<String, Boolean> passed = new TreeMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertThat(c.getAttribute("classname")).isEqualTo("camunit.evaluate.shapes-shortcut.grad-cam");
            passed.put(c.getAttribute("name"), c.getElementsByTagName("failure").getLength() == 0);
        }
        assertThat(passed).isEqualTo(summaryJsonVerdicts());
        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertThat(stdout).contains("FAIL  grad-cam  " + GATES[0] + ": " + failure.getAttribute("message"));
        assertThat(failure.getTextContent()).contains("worst samples:\n  images/");
    }

    @Test
    void theMarkdownIsAppendedAfterWhatTheFileHad() throws IOException {
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md).startsWith("# earlier step\n\n### camunit evaluate: shapes-shortcut on"
                + " fixtures/shapes/test-marked/coco.json\n\n60 samples; grad-cam at features.10; target: labelled"
                + " class. **1 of 2 checks failed.**\n");
        assertThat(md).contains("| ❌ FAIL | grad-cam | `peak-inside >= 1 for 80%` | ")
                .contains("| ✅ PASS | grad-cam | `mean peak-inside >= 0.01` | ");
    }

    @Test
    void eachGateIsAnAllureResultWithItsEvidenceAttached() throws IOException {
        Path results = dir.resolve("allure-results");
        List<JsonObject> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                found.add(JsonParser.parseString(Files.readString(p)).getAsJsonObject());
            }
        }
        assertThat(found).hasSize(2);
        Map<String, Boolean> passed = new TreeMap<>();
        for (JsonObject r : found) {
            for (String field : List.of("uuid", "historyId", "name", "fullName", "status", "stage", "start", "stop",
                    "labels", "attachments")) {
                assertThat(r.has(field)).as(field).isTrue();
            }
            assertThat(r.get("stage").getAsString()).isEqualTo("finished");
            assertThat(r.get("historyId").getAsString()).matches("[0-9a-f]{32}");
            assertThat(r.get("start").getAsLong()).isLessThanOrEqualTo(r.get("stop").getAsLong());
            assertThat(labels(r)).contains("parentSuite=camunit evaluate", "suite=shapes-shortcut", "subSuite=grad-cam",
                    "story=shapes-shortcut", "tag=camunit-evaluate", "model=shapes-shortcut.pt", "method=grad-cam",
                    "layer=features.10");
            String gate = r.get("name").getAsString().substring("grad-cam: ".length());
            passed.put(gate, r.get("status").getAsString().equals("passed"));
            List<String> names = new ArrayList<>();
            for (JsonElement a : r.getAsJsonArray("attachments")) {
                JsonObject att = a.getAsJsonObject();
                names.add(att.get("name").getAsString() + " " + att.get("type").getAsString());
                assertThat(results.resolve(att.get("source").getAsString())).isRegularFile().isNotEmptyFile();
            }
            assertThat(names).containsExactly("worst 12 of 60 peak-inside image/png", "per class peak-inside text/csv",
                    "metrics peak-inside gate application/json");
        }
        assertThat(passed).isEqualTo(summaryJsonVerdicts());
    }

    private static List<String> labels(JsonObject r) {
        List<String> out = new ArrayList<>();
        r.getAsJsonArray("labels").forEach(l -> out.add(l.getAsJsonObject().get("name").getAsString() + "="
                + l.getAsJsonObject().get("value").getAsString()));
        return out;
    }

    // --- bad paths: refused before the model loads -------------------------------------------------------

    private static String refused(String... extra) {
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data",
                "fixtures/shapes/test/coco.json", "--out", dir.resolve("refused").toString()));
        args.addAll(List.of(extra));
        int exit = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args.toArray(String[]::new));
        assertThat(exit).isEqualTo(1);
        assertThat(dir.resolve("refused")).doesNotExist();
        return err.toString().strip();
    }

    @Test
    void aJUnitXmlPathThatIsADirectoryIsRefusedNamingOptionAndPath() {
        Path d = dir.resolve("ci");
        assertThat(refused("--junit-xml", d.toString())).isEqualTo("camunit: Option --junit-xml names " + d
                + ", which is a directory; give a file name, e.g. " + d.resolve("camunit-gates.xml") + ".");
    }

    @Test
    void anAllureResultsPathThatIsAFileIsRefused() {
        Path f = dir.resolve("summary.md");
        assertThat(refused("--allure-results", f.toString())).isEqualTo("camunit: Option --allure-results names " + f
                + ", which is a file; give a directory (Allure's results directory, e.g. target/allure-results).");
    }

    @Test
    void aSummaryUnderAFileIsRefused() {
        Path f = dir.resolve("summary.md").resolve("more/summary.md");
        assertThat(refused("--summary-md", f.toString())).isEqualTo("camunit: Option --summary-md names " + f + ", but "
                + dir.resolve("summary.md") + " is a file, not a directory; give a path whose parents are directories"
                + " (or do not exist yet).");
    }
}
