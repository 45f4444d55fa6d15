package io.camunit.report;

import io.camunit.explain.Explanation;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a reader needs to see why a camunit check failed (or, with the {@code always} policy, what
 * a test looked at): one sample ({@link SampleEvidence}), a data-set gate ({@link DatasetEvidence}),
 * or the explanations a test computed ({@link ExplainedEvidence}). Immutable; assertions create it,
 * {@link EvidenceAttachments} turns it into files, an {@link EvidenceSink} keeps them.
 *
 * <pre>{@code
 * catch (CamAssertionError failure) {
 *     Evidence evidence = failure.evidence().withContext(recorded::lookup);
 *     EvidenceAttachments.of(evidence, 12).forEach(sink::attach);
 * }
 * }</pre>
 */
public sealed interface Evidence permits SampleEvidence, DatasetEvidence, ExplainedEvidence {

    /**
     * An assertion sees explanations only; the explainer's listener also saw the model and the
     * sample or image. This fills those in where {@code recorded} knows the explanation.
     *
     * @param recorded what the listener heard of an explanation (looked up by identity, as
     *     {@link SampleEvidence#explained}), if anything
     * @return the evidence with model, sample and image filled in where known
     */
    Evidence withContext(Function<Explanation, Optional<SampleEvidence>> recorded);

    /** @return the distinct names of the models involved, in order of appearance */
    List<String> models();

    /** @return the explanations involved, for the method and layer labels */
    List<Explanation> explanations();

    /** @return the distinct method ids, e.g. {@code grad-cam} */
    default List<String> methods() {
        return explanations().stream().map(e -> e.method().id()).distinct().toList();
    }

    /** @return the distinct layers */
    default List<String> layers() {
        return explanations().stream().flatMap(e -> e.layers().stream()).distinct().toList();
    }
}
