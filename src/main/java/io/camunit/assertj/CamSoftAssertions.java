package io.camunit.assertj;

import io.camunit.explain.Explanation;

import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Soft assertions on explanations: every failure is collected, including those of navigated
 * metrics, and reported together by {@link #assertAll()} (or by AssertJ's
 * {@code SoftAssertionsExtension}, which can inject this class).
 *
 * <pre>{@code
 * CamSoftAssertions softly = new CamSoftAssertions();
 * softly.assertThat(clean).massInside(box).isGreaterThan(0.6);
 * softly.assertThat(shortcut).hasPeakInside(box);
 * softly.assertAll();     // reports both failures, if any
 * }</pre>
 */
public class CamSoftAssertions extends AbstractSoftAssertions {

    /**
     * @param actual the explanation under test
     * @return a soft assertion on it
     */
    public ExplanationAssert assertThat(Explanation actual) {
        ExplanationAssert softly = proxy(ExplanationAssert.class, Explanation.class, actual);
        softly.collectInto(this);
        return softly;
    }
}
