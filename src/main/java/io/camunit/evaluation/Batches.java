package io.camunit.evaluation;

import io.camunit.region.LabeledSample;

import java.util.ArrayList;
import java.util.List;

/** How an evaluation cuts the data set into passes. */
final class Batches {

    private Batches() {}

    /**
     * Consecutive runs of at most {@code size} samples; for a model without a fixed input size a run
     * also ends where the image size changes, since a batch is one tensor.
     *
     * @param samples the samples
     * @param size the largest batch
     * @param fixedSize whether the model resizes every image to one size
     * @return the indices of each batch, in order
     */
    static List<List<Integer>> of(List<LabeledSample> samples, int size, boolean fixedSize) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            LabeledSample s = samples.get(i);
            boolean sizeChanges = !fixedSize && !current.isEmpty() && (samples.get(current.get(0)).width() != s.width()
                    || samples.get(current.get(0)).height() != s.height());
            if (current.size() == size || sizeChanges) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(i);
        }
        out.add(current);
        return out;
    }
}
