package io.camunit.junit;

import io.camunit.explain.Explanation;
import io.camunit.explain.ExplanationEvent;
import io.camunit.report.ExplainedEvidence;
import io.camunit.report.SampleEvidence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The listener of every explainer the extension injects: remembers, per test, what was explained
 * with its model's name and its sample or image ({@link SampleEvidence#explained}, taken when heard,
 * so no model is kept or asked after it closes). Failure evidence gets model and image from here,
 * and the {@code always} policy shows what a passing test explained.
 *
 * <p>Memory stays bounded however much a test explains (a data-set gate over a whole validation
 * set): the first {@code shown} explanations are kept with their maps, the last {@value #RECENT}
 * too (to name the model and image of a failing assertion on one of them), and every other one as a
 * one-line description. Lives in the test's {@code ExtensionContext.Store}; thread-safe.
 */
final class ExplanationRecorder implements Consumer<ExplanationEvent> {

    /** How many of the latest explanations stay known by identity for failure evidence. */
    static final int RECENT = 32;

    private final int shown;
    private final List<SampleEvidence> first = new ArrayList<>();
    private final Deque<SampleEvidence> recent = new ArrayDeque<>();
    private final Map<Explanation, SampleEvidence> byExplanation = new IdentityHashMap<>();
    private final List<ExplainedEvidence.Described> all = new ArrayList<>();

    /** @param shown how many explanations to keep with their maps for the contact sheet, at least 1 */
    ExplanationRecorder(int shown) {
        if (shown < 1) {
            throw new IllegalArgumentException("shown must be at least 1; got " + shown);
        }
        this.shown = shown;
    }

    @Override
    public synchronized void accept(ExplanationEvent event) {
        SampleEvidence e = SampleEvidence.explained(event);
        all.add(ExplainedEvidence.Described.of(e));
        if (first.size() < shown) {
            first.add(e);
        }
        byExplanation.putIfAbsent(event.explanation(), e);
        recent.addLast(e);
        if (recent.size() > RECENT) {
            Explanation old = recent.removeFirst().explanation();
            if (!references(first, old) && !references(recent, old)) {
                byExplanation.remove(old);
            }
        }
    }

    private static boolean references(Iterable<SampleEvidence> kept, Explanation e) {
        for (SampleEvidence k : kept) {
            if (k.explanation() == e) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param e an explanation
     * @return what was heard of that very instance, if it is among the first or latest heard
     */
    synchronized Optional<SampleEvidence> lookup(Explanation e) {
        return Optional.ofNullable(byExplanation.get(e));
    }

    /** @return the evidence of what was heard, empty when nothing was */
    synchronized Optional<ExplainedEvidence> heard() {
        return first.isEmpty() ? Optional.empty() : Optional.of(new ExplainedEvidence(first, all));
    }

    /** @return how many explanations are kept with their maps: for tests of the bound */
    synchronized int keptWithMaps() {
        return byExplanation.size();
    }

    /** Forgets everything: a recorder shared by a class's tests (per-class lifecycle) starts afresh per test. */
    synchronized void clear() {
        first.clear();
        recent.clear();
        byExplanation.clear();
        all.clear();
    }
}
