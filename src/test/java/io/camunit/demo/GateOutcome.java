package io.camunit.demo;

import io.camunit.CamunitException;
import io.camunit.gate.Verdict;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;

import io.qameta.allure.Allure;

import java.nio.charset.StandardCharsets;

/**
 * The numbers behind one data-set gate of a model: how many samples met the condition, and the
 * gate's verdict ({@link Verdict}, the same judgement the assertion makes). A gate test attaches it
 * to its Allure result (name {@value #ATTACHMENT}) before asserting, so the report and
 * {@link ReleaseGateSummary} show the pass rate of passing and failing gates alike.
 *
 * <pre>{@code
 * Gate gate = Gate.parse("peak-inside >= 1 for 80%");
 * DatasetMetricAssert peak = assertThat(explained).peakInside(LabeledSample::region);
 * GateOutcome.of("shapes-clean", "fixtures/shapes/test/coco.json", "grad-cam at features.10",
 *         gate.judge(peak.sampleValues().values())).attach();
 * peak.meets(gate);
 * }</pre>
 *
 * @param model the model's name
 * @param data the data set's path
 * @param explainer the method and layers, e.g. {@code grad-cam at features.10}
 * @param gate the gate, in the words of {@code camunit evaluate --gate}
 * @param samples how many samples were judged
 * @param passing how many met the condition (a sample without a value does not)
 * @param passed whether the gate holds
 */
public record GateOutcome(String model, String data, String explainer, String gate, int samples, int passing,
        boolean passed) {

    /** Name of the attachment in the Allure result. */
    public static final String ATTACHMENT = "gate outcome";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * @param model the model's name
     * @param data the data set's path
     * @param explainer the method and layers
     * @param verdict the gate's verdict on the samples
     * @return the outcome
     */
    public static GateOutcome of(String model, String data, String explainer, Verdict verdict) {
        return new GateOutcome(model, data, explainer, verdict.gate().toString(), verdict.total(), verdict.passing(),
                verdict.passed());
    }

    /** @return the share of samples meeting the condition, in [0, 1]; 0 for no samples */
    public double rate() {
        return samples == 0 ? 0 : (double) passing / samples;
    }

    /** @return whether the gate holds, as its verdict said */
    public boolean met() {
        return passed;
    }

    /** Attaches this outcome as JSON to the running test's Allure result. */
    public void attach() {
        Allure.addAttachment(ATTACHMENT, "application/json", toJson(), ".json");
    }

    /** @return this outcome as JSON */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * @param json an outcome written by {@link #toJson()}
     * @param where the file it came from, for the message
     * @return the outcome
     * @throws CamunitException when the JSON is not an outcome
     */
    public static GateOutcome fromJson(byte[] json, String where) {
        try {
            GateOutcome o = GSON.fromJson(new String(json, StandardCharsets.UTF_8), GateOutcome.class);
            if (o == null || o.model() == null || o.gate() == null) {
                throw new CamunitException("Gate outcome " + where + " lacks 'model' or 'gate'.");
            }
            return o;
        } catch (JsonParseException e) {
            throw new CamunitException("Gate outcome " + where + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
