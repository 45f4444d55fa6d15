package io.camunit.assertj;

import io.camunit.explain.Explanation;

/**
 * The entry point of camunit's AssertJ assertions.
 *
 * <pre>{@code
 * import static io.camunit.assertj.CamAssertions.assertThat;
 *
 * assertThat(gradCam.explain(model, image, Target.predicted())).massInside(box).isGreaterThan(0.6);
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
}
