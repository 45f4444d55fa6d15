package io.camunit.junit;

import io.camunit.assertj.CamAssertionError;
import io.camunit.report.Attachment;
import io.camunit.report.DirectorySink;
import io.camunit.report.Evidence;
import io.camunit.report.EvidenceAttachments;
import io.camunit.report.EvidenceSink;
import io.camunit.report.EvidenceSinks;
import io.camunit.report.ExplainedEvidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.opentest4j.MultipleFailuresError;
import org.opentest4j.TestAbortedException;

/**
 * Decides and writes a finished test's evidence; plain code, so that {@link CamExtension} only
 * adapts JUnit's callback to it.
 *
 * <ul>
 *   <li>A failed test: the evidence of every {@link CamAssertionError} in its failure (the failure
 *       itself, causes, suppressed errors, and each failure of a soft-assertion
 *       {@link MultipleFailuresError}), with model and image filled in from the recorder. A failure
 *       without camunit evidence gets the explanations the test computed, if any.</li>
 *   <li>A passed test, with policy {@code always}: the explanations it computed.</li>
 *   <li>Any test that explained something or failed with evidence: labels {@code model},
 *       {@code method}, {@code layer}, and {@code tag} labels {@code model:...}, {@code method:...},
 *       {@code layer:...} (Allure 2 shows tags on the test page), whatever the policy.</li>
 * </ul>
 */
final class EvidenceAttacher {

    private final CamSettings settings;
    private final ExplanationRecorder recorder;
    private final Supplier<EvidenceSink> sinks;
    private EvidenceSink sink;

    /**
     * @param settings the run's settings (policy, worst N)
     * @param recorder what the test's injected explainers explained
     * @param sinks makes the test's sink, on first use
     */
    EvidenceAttacher(CamSettings settings, ExplanationRecorder recorder, Supplier<EvidenceSink> sinks) {
        this.settings = settings;
        this.recorder = recorder;
        this.sinks = sinks;
    }

    /**
     * @param settings the run's settings
     * @param recorder the test's recorder
     * @param test the test
     * @return an attacher whose sink is Allure's test case when Allure runs this test, else the test's
     *     directory under {@code <camunit.report.dir>/evidence/}
     */
    static EvidenceAttacher forTest(CamSettings settings, ExplanationRecorder recorder, TestIdentity test) {
        return new EvidenceAttacher(settings, recorder, () -> EvidenceSinks.forTest(test.uniqueId(),
                new DirectorySink(test.directory(settings.reportDir()))));
    }

    /**
     * Attaches and labels; then forgets the recorded explanations.
     *
     * @param failure the test's failure, empty when it passed
     * @throws io.camunit.CamunitException when evidence cannot be drawn or kept
     */
    void finish(Optional<Throwable> failure) {
        Optional<ExplainedEvidence> recorded = recorder.heard();
        try {
            List<Evidence> evidence = choose(settings.evidencePolicy(), failure, recorded, recorder);
            for (Evidence e : evidence) {
                for (Attachment a : EvidenceAttachments.of(e, settings.evidenceWorst())) {
                    sink().attach(a);
                }
            }
            labels(evidence, recorded).forEach((name, values) -> values.forEach(v -> {
                sink().label(name, v);
                sink().label("tag", name + ":" + v);
            }));
        } finally {
            recorder.clear();
        }
    }

    private EvidenceSink sink() {
        if (sink == null) {
            sink = sinks.get();
        }
        return sink;
    }

    /**
     * @param policy the policy
     * @param failure the test's failure, if any
     * @param recorded what the test explained, if anything
     * @param recorder where model, sample and image of an explanation are looked up
     * @return the evidence to attach, in order
     */
    static List<Evidence> choose(EvidencePolicy policy, Optional<Throwable> failure, Optional<ExplainedEvidence> recorded,
            ExplanationRecorder recorder) {
        if (policy == EvidencePolicy.NEVER || failure.filter(f -> f instanceof TestAbortedException).isPresent()) {
            return List.of();
        }
        if (failure.isPresent()) {
            List<Evidence> carried = camFailures(failure.get()).stream()
                    .map(f -> f.evidence().withContext(recorder::lookup)).toList();
            if (!carried.isEmpty()) {
                return carried;
            }
        } else if (policy != EvidencePolicy.ALWAYS) {
            return List.of();
        }
        return recorded.<List<Evidence>>map(List::of).orElse(List.of());
    }

    /** Every CamAssertionError in a failure: itself, causes, suppressed errors, soft-assertion failures. */
    static List<CamAssertionError> camFailures(Throwable failure) {
        List<CamAssertionError> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(failure));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (t instanceof CamAssertionError cam) {
                out.add(cam);
            }
            if (t instanceof MultipleFailuresError multiple) {
                todo.addAll(multiple.getFailures());
            }
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }

    private static Map<String, Set<String>> labels(List<Evidence> evidence, Optional<ExplainedEvidence> recorded) {
        Map<String, Set<String>> labels = new LinkedHashMap<>();
        labels.put("model", new LinkedHashSet<>());
        labels.put("method", new LinkedHashSet<>());
        labels.put("layer", new LinkedHashSet<>());
        List<Evidence> all = new ArrayList<>(evidence);
        recorded.ifPresent(all::add);
        for (Evidence e : all) {
            labels.get("model").addAll(e.models());
            labels.get("method").addAll(e.methods());
            labels.get("layer").addAll(e.layers());
        }
        return labels;
    }
}
