package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.report.Attachment;
import io.camunit.report.AtomicFile;
import io.camunit.report.EvidenceAttachments;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * {@code evaluate --allure-results DIR}: each check a test result in Allure 2's results format,
 * beside those of JUnit tests run with Allure, so one report shows both. Per check:
 * {@code <uuid>-result.json} (status {@code passed} or {@code failed}, the verdict as the status
 * message and its details as the trace) and, for a gate, its evidence as attachments in the same
 * directory ({@code <uuid>-attachment.<ext>}): the contact sheet of the worst samples, the per-class
 * table and the metrics JSON, the files the JUnit extension attaches to a failed data-set gate
 * ({@link EvidenceAttachments}). Labels: {@code parentSuite} {@value #SUITE}, {@code suite} the
 * model, {@code subSuite} the method; {@code feature} {@value #FEATURE} and {@code story} the model
 * for the Behaviors view; {@code tag} {@value #TAG}; {@code model}, {@code method} and
 * {@code layer} as the JUnit extension labels its tests. {@code historyId} is the MD5 of the full
 * name, so that Allure's history follows a check from run to run.
 *
 * <pre>{@code
 * List<Path> written = AllureResults.write(Path.of("target/allure-results"), run, checks, 12);
 * }</pre>
 */
final class AllureResults {

    /** The {@code parentSuite} label of every result: how to tell them from JUnit tests' results. */
    static final String SUITE = "camunit evaluate";
    /** The {@code feature} label. */
    static final String FEATURE = "camunit evaluate --gate";
    /** The {@code tag} label. */
    static final String TAG = "camunit-evaluate";

    private AllureResults() {}

    /**
     * @param dir Allure's results directory, created when missing
     * @param run what was evaluated
     * @param checks the checks
     * @param worst how many samples a contact sheet shows
     * @return the files written, result files and attachments
     * @throws CamunitException when a file cannot be written
     */
    static List<Path> write(Path dir, EvaluationRun run, List<CheckOutcome> checks, int worst) {
        List<Path> written = new ArrayList<>();
        for (CheckOutcome c : checks) {
            String uuid = UUID.randomUUID().toString();
            JsonArray attachments = new JsonArray();
            if (c.evidence().isPresent()) {
                for (Attachment a : EvidenceAttachments.of(c.evidence().get(), worst)) {
                    String source = UUID.randomUUID() + "-attachment." + a.extension();
                    written.add(AtomicFile.write(dir.resolve(source), out -> out.write(a.bytes())));
                    JsonObject j = new JsonObject();
                    j.addProperty("name", a.name());
                    j.addProperty("source", source);
                    j.addProperty("type", a.mimeType());
                    attachments.add(j);
                }
            }
            JsonObject result = result(uuid, run, c, attachments);
            written.add(AtomicFile.writeString(dir.resolve(uuid + "-result.json"),
                    new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(result) + "\n"));
        }
        return written;
    }

    private static JsonObject result(String uuid, EvaluationRun run, CheckOutcome c, JsonArray attachments) {
        String name = c.method() + ": " + c.check();
        String fullName = SUITE + " " + run.modelName() + " " + name;
        JsonObject r = new JsonObject();
        r.addProperty("uuid", uuid);
        r.addProperty("historyId", md5(fullName));
        r.addProperty("testCaseId", md5(fullName));
        r.addProperty("name", name);
        r.addProperty("fullName", fullName);
        r.addProperty("description", c.check() + " with " + c.method()
                + (run.layers().isEmpty() ? "" : " at " + String.join("+", run.layers())) + " on " + run.model()
                + " over " + run.data() + " (" + run.samples() + " samples, " + run.target() + " class): "
                + c.summary());
        r.addProperty("status", c.passed() ? "passed" : "failed");
        JsonObject details = new JsonObject();
        details.addProperty("known", false);
        details.addProperty("muted", false);
        details.addProperty("flaky", false);
        details.addProperty("message", c.summary());
        details.addProperty("trace", String.join("\n", c.details()));
        r.add("statusDetails", details);
        r.addProperty("stage", "finished");
        r.add("steps", new JsonArray());
        r.add("attachments", attachments);
        JsonArray parameters = new JsonArray();
        parameters.add(nameValue("model", run.model()));
        parameters.add(nameValue("data", run.data()));
        r.add("parameters", parameters);
        r.add("links", new JsonArray());
        JsonArray labels = new JsonArray();
        labels.add(label("parentSuite", SUITE));
        labels.add(label("suite", run.modelName()));
        labels.add(label("subSuite", c.method()));
        labels.add(label("feature", FEATURE));
        labels.add(label("story", run.modelName()));
        labels.add(label("tag", TAG));
        labels.add(label("framework", "camunit"));
        labels.add(label("language", "java"));
        labels.add(label("host", host()));
        labels.add(label("model", Path.of(run.model()).getFileName().toString()));
        labels.add(label("method", c.method()));
        run.layers().forEach(l -> labels.add(label("layer", l)));
        r.add("labels", labels);
        r.addProperty("start", run.start());
        r.addProperty("stop", run.stop());
        return r;
    }

    private static JsonObject label(String name, String value) {
        return nameValue(name, value);
    }

    /** Labels and parameters alike are {@code {"name": ..., "value": ...}}. */
    private static JsonObject nameValue(String name, String value) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("value", value);
        return o;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A label only: the result is complete without the host's name.
            return "unknown";
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has MD5", e);
        }
    }
}
