package io.camunit.report;

import io.camunit.explain.Explanation;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The explanations a test computed, as the explainer's listener heard them: the evidence of a
 * passing test under the {@code always} policy, and of a failing test whose failure carries no
 * camunit evidence of its own. It keeps the first few with their maps (for the contact sheet) and a
 * one-line description of every one (for the JSON list), so that a test explaining a whole
 * validation set does not keep every map.
 *
 * <pre>{@code
 * ExplainedEvidence e = new ExplainedEvidence(List.of(SampleEvidence.explained(event)),
 *         List.of(ExplainedEvidence.Described.of(SampleEvidence.explained(event))));
 * }</pre>
 *
 * @param shown the first explanations with their maps, in the order they were computed; not empty
 * @param all a description of every explanation, in order; starts with those of {@code shown}
 */
public record ExplainedEvidence(List<SampleEvidence> shown, List<Described> all) implements Evidence {

    /** Copies the lists. */
    public ExplainedEvidence {
        shown = List.copyOf(shown);
        all = List.copyOf(all);
        if (shown.isEmpty() || all.size() < shown.size()) {
            throw new IllegalArgumentException("ExplainedEvidence needs at least one explanation shown, and a"
                    + " description of each; got " + shown.size() + " shown of " + all.size());
        }
    }

    /**
     * @param explained explanations, all shown
     * @return the evidence of them
     */
    public static ExplainedEvidence of(List<SampleEvidence> explained) {
        return new ExplainedEvidence(explained, explained.stream().map(Described::of).toList());
    }

    /**
     * One explanation in a line of the JSON list: what was explained, how, and what the model said.
     *
     * <pre>{@code
     * ExplainedEvidence.Described.of(SampleEvidence.explained(event)).sample();   // "images/0001.png"
     * }</pre>
     *
     * @param sample the sample's or image's id
     * @param model the model's name, when known
     * @param method the method's id
     * @param layers the layers
     * @param target the explained class's label
     * @param targetClass its index, or -1
     * @param predictedClass the predicted class, or -1
     * @param score the target score
     */
    public record Described(String sample, Optional<String> model, String method, List<String> layers, String target,
            int targetClass, int predictedClass, double score) {

        /** Copies the list. */
        public Described {
            Objects.requireNonNull(sample, "sample");
            Objects.requireNonNull(model, "model");
            layers = List.copyOf(layers);
        }

        /**
         * @param e an explanation's evidence
         * @return its description, without the maps
         */
        public static Described of(SampleEvidence e) {
            Explanation x = e.explanation();
            return new Described(x.sampleId(), e.model(), x.method().id(), x.layers(), x.targetLabel(), x.targetClass(),
                    x.predictedClass(), x.score());
        }
    }

    @Override
    public ExplainedEvidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded) {
        return new ExplainedEvidence(shown.stream().map(e -> e.withContext(recorded)).toList(), all);
    }

    @Override
    public List<String> models() {
        return all.stream().flatMap(e -> e.model().stream()).distinct().toList();
    }

    @Override
    public List<Explanation> explanations() {
        return shown.stream().map(SampleEvidence::explanation).toList();
    }

    @Override
    public List<String> methods() {
        return all.stream().map(Described::method).distinct().toList();
    }

    @Override
    public List<String> layers() {
        return all.stream().flatMap(e -> e.layers().stream()).distinct().toList();
    }
}
