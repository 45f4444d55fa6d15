package io.camunit.junit;

import io.camunit.explain.Explanation;
import io.camunit.explain.ExplanationEvent;
import io.camunit.report.SampleEvidence;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The listener of every explainer the extension injects: remembers, per test, each explanation with
 * its model's name and its sample or image ({@link SampleEvidence#explained}, taken when heard, so
 * no model is kept or asked after it closes). Failure evidence gets model and image from here, and
 * the {@code always} policy shows what a passing test explained. Lives in the test's
 * {@code ExtensionContext.Store}; thread-safe.
 */
final class ExplanationRecorder implements Consumer<ExplanationEvent> {

    private final List<SampleEvidence> heard = new ArrayList<>();
    private final Map<Explanation, SampleEvidence> byExplanation = new IdentityHashMap<>();

    @Override
    public synchronized void accept(ExplanationEvent event) {
        SampleEvidence e = SampleEvidence.explained(event);
        heard.add(e);
        byExplanation.putIfAbsent(event.explanation(), e);
    }

    /**
     * @param e an explanation
     * @return what was heard of that very instance, if anything
     */
    synchronized Optional<SampleEvidence> lookup(Explanation e) {
        return Optional.ofNullable(byExplanation.get(e));
    }

    /** @return the explanations heard so far, in order */
    synchronized List<SampleEvidence> heard() {
        return List.copyOf(heard);
    }

    /** Forgets everything: a recorder shared by a class's tests (per-class lifecycle) starts afresh per test. */
    synchronized void clear() {
        heard.clear();
        byExplanation.clear();
    }
}
