package io.camunit.junit;

import io.camunit.explain.Explanation;
import io.camunit.explain.ExplanationEvent;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The listener of every explainer the extension injects: remembers, per test, each explanation with
 * its model and sample or image, so that failure evidence can name the model and draw the image,
 * and so that the {@code always} policy can show what a passing test explained. Lives in the test's
 * {@code ExtensionContext.Store}; thread-safe.
 */
final class ExplanationRecorder implements Consumer<ExplanationEvent> {

    private final List<ExplanationEvent> events = new ArrayList<>();
    private final Map<Explanation, ExplanationEvent> byExplanation = new IdentityHashMap<>();

    @Override
    public synchronized void accept(ExplanationEvent event) {
        events.add(event);
        byExplanation.putIfAbsent(event.explanation(), event);
    }

    /**
     * @param e an explanation
     * @return the event of that very instance, if it was recorded
     */
    synchronized Optional<ExplanationEvent> lookup(Explanation e) {
        return Optional.ofNullable(byExplanation.get(e));
    }

    /** @return the events so far, in order */
    synchronized List<ExplanationEvent> events() {
        return List.copyOf(events);
    }

    /** Forgets everything: a recorder shared by a class's tests (per-class lifecycle) starts afresh per test. */
    synchronized void clear() {
        events.clear();
        byExplanation.clear();
    }
}
