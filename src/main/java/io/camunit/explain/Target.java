package io.camunit.explain;

import ai.djl.ndarray.NDArray;

import java.util.Objects;
import java.util.function.Function;

/**
 * What an explanation explains: the scalar score {@code S} of one sample whose gradient drives the
 * map. By default a class logit (never the softmax, unless a {@link #score} function applies it).
 *
 * <pre>{@code
 * Target.classIndex(2);                       // the logit of class 2
 * Target.predicted();                         // the logit of the arg-max class
 * Target.score("mean of channel 1", row -> row.get(1).mean());   // regression, segmentation
 * }</pre>
 */
public sealed interface Target {

    /**
     * @param index a class index, from 0
     * @return the target that explains the logit of that class
     */
    static Target classIndex(int index) {
        return new ClassIndex(index);
    }

    /** @return the target that explains the logit of the class the model predicts */
    static Target predicted() {
        return Predicted.INSTANCE;
    }

    /**
     * @param description what the score is, for reports and messages
     * @param score maps one sample's output (without the batch axis) to a scalar NDArray; it must
     *     be built from NDArray operations so that it can be differentiated
     * @return the target
     */
    static Target score(String description, Function<NDArray, NDArray> score) {
        return new Score(description, score);
    }

    /** @return a short description, e.g. {@code class 2} or {@code predicted class} */
    String description();

    /**
     * The logit of a fixed class.
     *
     * @param index the class index
     */
    record ClassIndex(int index) implements Target {
        @Override
        public String description() {
            return "class " + index;
        }
    }

    /** The logit of the predicted (arg-max) class. */
    final class Predicted implements Target {
        static final Predicted INSTANCE = new Predicted();

        private Predicted() {}

        @Override
        public String description() {
            return "predicted class";
        }

        @Override
        public String toString() {
            return description();
        }
    }

    /**
     * Any differentiable scalar function of one sample's output.
     *
     * @param description what the score is
     * @param function output row to scalar
     */
    record Score(String description, Function<NDArray, NDArray> function) implements Target {
        /** Checks for nulls. */
        public Score {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(function, "function");
        }
    }
}
