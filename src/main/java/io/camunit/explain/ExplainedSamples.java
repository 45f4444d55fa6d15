package io.camunit.explain;

import com.google.errorprone.annotations.CheckReturnValue;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The explained samples of a data set, read in order: either explained batch by batch as they are
 * read ({@link Explainer#over}: each pass explains again and holds one batch at a time, so a gate
 * over any number of samples runs in constant memory), or a list already in memory
 * ({@link #of(List)}). Data-set assertions read them once per check.
 *
 * <pre>{@code
 * ExplainedSamples explained = gradCam.over(model, LabeledDataset.open(coco).samples());
 * explained.size();                  // the number of samples, known without explaining
 * for (ExplainedSample s : explained) { ... }   // explains, 16 images per pass
 * }</pre>
 */
public interface ExplainedSamples extends Iterable<ExplainedSample> {

    /** @return the number of samples */
    int size();

    /** @return true when there are no samples */
    default boolean isEmpty() {
        return size() == 0;
    }

    /**
     * @return true when every item is one labelled object explained for its box (a detector's
     *     {@link io.camunit.region.LabeledSample#perObject()} items), so that counts say "objects";
     *     known without explaining; false unless an implementation knows
     */
    default boolean ofObjects() {
        return false;
    }

    /** @return a pass over the samples, in order */
    default Stream<ExplainedSample> stream() {
        return StreamSupport.stream(Spliterators.spliterator(iterator(), size(), Spliterator.ORDERED), false);
    }

    /**
     * @param explained samples explained already
     * @return them, read from memory
     */
    @CheckReturnValue
    static ExplainedSamples of(List<ExplainedSample> explained) {
        List<ExplainedSample> copy = List.copyOf(Objects.requireNonNull(explained, "explained"));
        // A box target's explanation always says what matched, or why nothing did.
        boolean objects = !copy.isEmpty() && copy.stream().allMatch(s -> s.explanation().match().isPresent());
        return new ExplainedSamples() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public boolean ofObjects() {
                return objects;
            }

            @Override
            public Iterator<ExplainedSample> iterator() {
                return copy.iterator();
            }

            @Override
            public String toString() {
                return copy.size() + " explained samples";
            }
        };
    }
}
