package io.camunit.explain;

import io.camunit.model.CamModel;
import io.camunit.region.LabeledSample;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Labelled samples explained batch by batch as an iterator reaches them: {@link Explainer#over}.
 * Only the current batch's explanations are referenced from here.
 */
final class ExplainedInBatches implements ExplainedSamples {

    private final Explainer explainer;
    private final CamModel model;
    private final List<LabeledSample> samples;
    private final int batchSize;

    ExplainedInBatches(Explainer explainer, CamModel model, List<LabeledSample> samples, int batchSize) {
        this.explainer = explainer;
        this.model = model;
        this.samples = List.copyOf(samples);
        this.batchSize = batchSize;
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public boolean ofObjects() {
        // A detector explains each item for its one object's box (Explainer.labelledTarget).
        return model.isDetector() && !samples.isEmpty();
    }

    @Override
    public Iterator<ExplainedSample> iterator() {
        return new Iterator<>() {
            private int next;
            private Iterator<ExplainedSample> batch = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                return batch.hasNext() || next < samples.size();
            }

            @Override
            public ExplainedSample next() {
                if (!batch.hasNext()) {
                    if (next >= samples.size()) {
                        throw new NoSuchElementException();
                    }
                    int end = Math.min(samples.size(), next + batchSize);
                    batch = explainer.explainBatch(model, samples.subList(next, end)).iterator();
                    next = end;
                }
                return batch.next();
            }
        };
    }

    @Override
    public String toString() {
        return samples.size() + " samples explained by " + explainer.method().id()
                + (explainer.layers().isEmpty() ? "" : " at " + String.join("+", explainer.layers())) + " in model "
                + model.name() + ", " + batchSize + " per pass";
    }
}
