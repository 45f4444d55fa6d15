package io.camunit.assertj;

import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;

import com.google.errorprone.annotations.CheckReturnValue;

import org.assertj.core.api.SoftAssertions;

/**
 * Soft assertions for every camunit assertion (explanations, data-set gates with their navigated
 * metrics and statistics, explainers) and, since it extends AssertJ's {@link SoftAssertions}, for
 * AssertJ's own: every failure is collected and reported together by {@link #assertAll()} (or by
 * AssertJ's {@code SoftAssertionsExtension}, which can inject this class).
 *
 * <pre>{@code
 * CamSoftAssertions softly = new CamSoftAssertions();
 * softly.assertThat(clean).massInside(box).isGreaterThan(0.6);
 * softly.assertThat(shortcut).hasPeakInside(box);
 * softly.assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.5, forAtLeast(0.9));
 * softly.assertThat(model.layers()).hasSize(2);
 * softly.assertAll();     // reports every failure, if any
 * }</pre>
 */
public class CamSoftAssertions extends SoftAssertions {

    /** Creates an empty collection of soft assertions. */
    public CamSoftAssertions() {}

    /**
     * @param actual the explanation under test
     * @return a soft assertion on it
     */
    @CheckReturnValue
    public ExplanationAssert assertThat(Explanation actual) {
        ExplanationAssert softly = proxy(ExplanationAssert.class, Explanation.class, actual);
        softly.collectInto(this);
        return softly;
    }

    /**
     * @param actual samples explained batch by batch or from a list
     * @return soft release gates over them; navigated metrics, gates and statistics are soft too
     */
    @CheckReturnValue
    public DatasetAssert assertThat(ExplainedSamples actual) {
        DatasetAssert softly = proxy(DatasetAssert.class, ExplainedSamples.class, actual);
        softly.collectInto(this);
        return softly;
    }

    /**
     * @param actual an explanation method
     * @return soft assertions on it, such as the randomisation sanity check
     */
    @CheckReturnValue
    public ExplainerAssert assertThat(Explainer actual) {
        return proxy(ExplainerAssert.class, Explainer.class, actual);
    }
}
