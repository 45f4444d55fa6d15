package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;

import java.util.List;

/**
 * The entry point of camunit's AssertJ assertions.
 *
 * <pre>{@code
 * import static io.camunit.assertj.CamAssertions.assertThat;
 *
 * assertThat(gradCam.explain(model, image, Target.predicted())).massInside(box).isGreaterThan(0.6);
 * assertThat(gradCam).isSensitiveToModelWeights(model, samples);
 * }</pre>
 */
public final class CamAssertions {

    private CamAssertions() {}

    /**
     * @param actual an explanation
     * @return assertions on where it looks
     */
    public static ExplanationAssert assertThat(Explanation actual) {
        return new ExplanationAssert(actual);
    }

    /**
     * @param actual explained samples of a data set
     * @return release gates over them
     */
    public static DatasetAssert assertThat(List<ExplainedSample> actual) {
        return new DatasetAssert(actual);
    }

    /**
     * @param actual an explanation method at its layers
     * @return assertions on the method itself, such as the randomisation sanity check
     */
    public static ExplainerAssert assertThat(Explainer actual) {
        return new ExplainerAssert(actual);
    }
}
