package io.camunit.assertj;

import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.gate.SampleShare;

import com.google.errorprone.annotations.CheckReturnValue;

import org.assertj.core.api.Assertions;

/**
 * The entry point of camunit's AssertJ assertions. It extends AssertJ's {@link Assertions}, so one
 * static import serves camunit's assertions and AssertJ's alike; extend it in turn to add your own.
 *
 * <pre>{@code
 * import static io.camunit.assertj.CamAssertions.*;
 *
 * assertThat(gradCam.explain(model, image, Target.predicted())).massInside(box).isGreaterThan(0.6);
 * assertThat(gradCam.over(model, samples)).peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
 * assertThat(gradCam).isSensitiveToModelWeights(model, samples);
 * assertThat(model.layers()).contains("features.10");            // AssertJ's own
 * }</pre>
 */
public class CamAssertions extends Assertions {

    /** For subclasses that add entry points of their own. */
    protected CamAssertions() {}

    /**
     * @param actual an explanation
     * @return assertions on where it looks
     */
    @CheckReturnValue
    public static ExplanationAssert assertThat(Explanation actual) {
        return new ExplanationAssert(actual);
    }

    /**
     * The data-set gates. AssertJ's {@code assertThat(List)} keeps lists, so a list of explained
     * samples is given as {@code ExplainedSamples.of(list)}.
     *
     * @param actual samples explained batch by batch ({@code Explainer.over}) or {@code ExplainedSamples.of(list)}
     * @return release gates over them
     */
    @CheckReturnValue
    public static DatasetAssert assertThat(ExplainedSamples actual) {
        return new DatasetAssert(actual);
    }

    /**
     * @param actual an explanation method at its layers
     * @return assertions on the method itself, such as the randomisation sanity check
     */
    @CheckReturnValue
    public static ExplainerAssert assertThat(Explainer actual) {
        return new ExplainerAssert(actual);
    }

    /**
     * @param fraction the least share of samples, in (0, 1], e.g. 0.8
     * @return how many samples a data-set condition must hold for, e.g. in {@code isAtLeast(1, forAtLeast(0.8))}
     */
    @CheckReturnValue
    public static SampleShare forAtLeast(double fraction) {
        return SampleShare.forAtLeast(fraction);
    }

    /** @return every sample, e.g. in {@code isAtMost(0.05, forAll())} (the same as no share at all) */
    @CheckReturnValue
    public static SampleShare forAll() {
        return SampleShare.forAll();
    }
}
