package io.camunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.assertj.CamAssertionError;
import io.camunit.explain.Explanation;
import io.camunit.explain.ExplanationEvent;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.Box;
import io.camunit.report.Evidence;
import io.camunit.report.ExplainedEvidence;
import io.camunit.report.MetricValue;
import io.camunit.report.SampleEvidence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/**
 * Which evidence a finished test gets under each policy, where its directory is, and how the policy
 * is configured; without running JUnit (the end-to-end runs are in AllureEvidenceTest and
 * DirectoryEvidenceTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidencePolicyTest {

    private final TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/shapes-clean.pt"));

    @AfterAll
    void close() {
        model.close();
    }

    static Explanation explanation(String id) {
        Heatmap map = Heatmap.of(2, 1, new float[] {1, 0});
        return new Explanation(id, 2, 1, Method.GRAD_CAM, List.of("features.10"), "class 0", 0, "circle", 1, 0, map,
                map.normalised(), List.of(map), Explanation.Pipeline.DEFAULT);
    }

    static CamAssertionError camFailure(Explanation e) {
        return new CamAssertionError(new AssertionError("peak elsewhere"), SampleEvidence.failed(e, Box.coco(1, 0, 1, 1),
                new MetricValue("peak-inside", OptionalDouble.of(0), ">= 1", OptionalDouble.of(1), Optional.empty())));
    }

    ExplanationRecorder recorderOf(Explanation... explained) {
        ExplanationRecorder r = new ExplanationRecorder(12);
        for (Explanation e : explained) {
            r.accept(new ExplanationEvent(model, e, Optional.empty(), Optional.empty()));
        }
        return r;
    }

    static List<Evidence> choose(EvidencePolicy policy, Throwable failure, ExplanationRecorder recorder) {
        return EvidenceAttacher.choose(policy, Optional.ofNullable(failure), recorder.heard(), recorder);
    }

    @Test
    void aCamFailureCarriesItsEvidenceCompletedWithTheRecordedModel() {
        Explanation e = explanation("a.png");
        List<Evidence> evidence = choose(EvidencePolicy.ON_FAILURE, camFailure(e), recorderOf(e));
        assertThat(evidence).hasSize(1);
        SampleEvidence s = (SampleEvidence) evidence.get(0);
        assertThat(s.explanation()).isSameAs(e);
        assertThat(s.model()).contains("shapes-clean.pt");
        assertThat(s.metric().orElseThrow().name()).isEqualTo("peak-inside");
    }

    @Test
    void everyCamFailureInsideSoftAssertionErrorsCausesAndSuppressedIsFound() {
        Explanation a = explanation("a.png");
        Explanation b = explanation("b.png");
        Explanation c = explanation("c.png");
        AssertionError wrapper = new AssertionError("wrapped", camFailure(c));
        MultipleFailuresError soft = new MultipleFailuresError("soft", List.of(camFailure(a), new AssertionError("plain"),
                wrapper));
        soft.addSuppressed(camFailure(b));
        List<Evidence> evidence = choose(EvidencePolicy.ALWAYS, soft, recorderOf());
        assertThat(evidence).extracting(ev -> ((SampleEvidence) ev).explanation().sampleId())
                .containsExactlyInAnyOrder("a.png", "b.png", "c.png");
    }

    @Test
    void aFailureWithoutCamEvidenceGetsWhatTheTestExplained() {
        Explanation e = explanation("a.png");
        List<Evidence> evidence = choose(EvidencePolicy.ON_FAILURE, new AssertionError("score too low"), recorderOf(e));
        assertThat(evidence).singleElement().isInstanceOf(ExplainedEvidence.class);
        assertThat(((ExplainedEvidence) evidence.get(0)).shown().get(0).model()).contains("shapes-clean.pt");
        assertThat(choose(EvidencePolicy.ON_FAILURE, new AssertionError("nothing explained"), recorderOf())).isEmpty();
    }

    @Test
    void aPassingTestGetsEvidenceOnlyWithAlways() {
        Explanation e = explanation("a.png");
        assertThat(choose(EvidencePolicy.ON_FAILURE, null, recorderOf(e))).isEmpty();
        assertThat(choose(EvidencePolicy.ALWAYS, null, recorderOf(e))).singleElement().isInstanceOf(ExplainedEvidence.class);
        assertThat(choose(EvidencePolicy.ALWAYS, null, recorderOf())).isEmpty();
    }

    @Test
    void neverAndAnAbortedTestGetNothing() {
        Explanation e = explanation("a.png");
        assertThat(choose(EvidencePolicy.NEVER, camFailure(e), recorderOf(e))).isEmpty();
        assertThat(choose(EvidencePolicy.NEVER, null, recorderOf(e))).isEmpty();
        assertThat(choose(EvidencePolicy.ALWAYS, new TestAbortedException("assumption"), recorderOf(e))).isEmpty();
    }

    @Test
    void thePolicyIsReadCaseInsensitivelyWithOnFailureAsDefault() {
        assertThat(CamSettings.read(k -> Optional.empty()).evidencePolicy()).isEqualTo(EvidencePolicy.ON_FAILURE);
        assertThat(CamSettings.read(k -> Optional.empty()).evidenceWorst()).isEqualTo(12);
        Map<String, String> config = Map.of(CamSettings.EVIDENCE_POLICY, " Always ", CamSettings.EVIDENCE_WORST, "4");
        CamSettings s = CamSettings.read(k -> Optional.ofNullable(config.get(k)));
        assertThat(s.evidencePolicy()).isEqualTo(EvidencePolicy.ALWAYS);
        assertThat(s.evidenceWorst()).isEqualTo(4);
        assertThat(EvidencePolicy.fromId("never")).isEqualTo(EvidencePolicy.NEVER);
        assertThat(EvidencePolicy.fromId("on-failure")).isEqualTo(EvidencePolicy.ON_FAILURE);
    }

    @Test
    void aBadPolicyOrWorstCountIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> CamSettings.read(k -> k.equals(CamSettings.EVIDENCE_POLICY) ? Optional.of("sometimes")
                : Optional.empty())).isInstanceOf(CamunitException.class).hasMessage("Configuration parameter"
                + " camunit.evidence.policy must be on-failure, always or never; got 'sometimes'. Fix it in"
                + " junit-platform.properties or the -Dcamunit.evidence.policy option.");
        assertThatThrownBy(() -> CamSettings.read(k -> k.equals(CamSettings.EVIDENCE_WORST) ? Optional.of("0")
                : Optional.empty())).isInstanceOf(CamunitException.class).hasMessage("Configuration parameter"
                + " camunit.evidence.worst must be a whole number >= 1; got '0'.");
    }

    @Test
    void theDirectoryIsClassThenMethodWithTheInvocationIndexAllMadeSafe() {
        Path reports = Path.of("reports");
        TestIdentity invocation = TestIdentity.of("[engine:junit-jupiter]/[class:com.acme.GateTest]/[test-template:peak"
                + "(io.camunit.region.LabeledSample)]/[test-template-invocation:#12]", "com.acme.GateTest$Nested", "peak");
        assertThat(invocation.invocation()).contains(12);
        assertThat(invocation.directory(reports)).isEqualTo(Path.of("reports/evidence/com.acme.GateTest_Nested/peak[12]"));
        TestIdentity plain = TestIdentity.of("[engine:junit-jupiter]/[class:a.B]/[method:gate()]", "a.B", "gate");
        assertThat(plain.directory(reports)).isEqualTo(Path.of("reports/evidence/a.B/gate"));
    }

    @Test
    void aTestThatExplainsAWholeDataSetKeepsTheMapsOfAFewExplanationsOnly() {
        ExplanationRecorder recorder = new ExplanationRecorder(12);
        List<Explanation> all = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Explanation e = explanation("s" + i + ".png");
            all.add(e);
            recorder.accept(new ExplanationEvent(model, e, Optional.empty(), Optional.empty()));
        }
        // The first 12 for the contact sheet and the latest for failing assertions, never all 1,000.
        assertThat(recorder.keptWithMaps()).isEqualTo(12 + ExplanationRecorder.RECENT);
        assertThat(recorder.lookup(all.get(999))).isPresent();
        assertThat(recorder.lookup(all.get(3))).isPresent();
        assertThat(recorder.lookup(all.get(500))).isEmpty();
        ExplainedEvidence heard = recorder.heard().orElseThrow();
        assertThat(heard.shown()).hasSize(12);
        assertThat(heard.all()).hasSize(1000);
        assertThat(heard.all().get(999).sample()).isEqualTo("s999.png");
        assertThat(heard.models()).containsExactly("shapes-clean.pt");
    }
}
