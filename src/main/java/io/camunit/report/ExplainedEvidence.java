package io.camunit.report;

import io.camunit.explain.Explanation;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The explanations a test computed, in order, as the explainer's listener heard them: the evidence
 * of a passing test under the {@code always} policy, and of a failing test whose failure carries no
 * camunit evidence of its own.
 *
 * <pre>{@code
 * ExplainedEvidence e = new ExplainedEvidence(events.stream().map(SampleEvidence::explained).toList());
 * }</pre>
 *
 * @param explained one entry per explanation, in the order they were computed; not empty
 */
public record ExplainedEvidence(List<SampleEvidence> explained) implements Evidence {

    /** Copies the list. */
    public ExplainedEvidence {
        explained = List.copyOf(explained);
        if (explained.isEmpty()) {
            throw new IllegalArgumentException("ExplainedEvidence needs at least one explanation");
        }
    }

    @Override
    public ExplainedEvidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded) {
        return new ExplainedEvidence(explained.stream().map(e -> e.withContext(recorded)).toList());
    }

    @Override
    public List<String> models() {
        return explained.stream().flatMap(e -> e.model().stream()).distinct().toList();
    }

    @Override
    public List<Explanation> explanations() {
        return explained.stream().map(SampleEvidence::explanation).toList();
    }
}
