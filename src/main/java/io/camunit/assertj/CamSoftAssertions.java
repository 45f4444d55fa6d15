package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.Explanation;

import java.util.List;

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
 * softly.assertThat(explained).massInside(LabeledSample::region).isAtLeast(0.5).forAtLeast(0.9);
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

    /**
     * @param actual explained samples of a data set
     * @return soft release gates over them; navigated metrics, gates and statistics are soft too
     */
    @SuppressWarnings("unchecked")
    public DatasetAssert assertThat(List<ExplainedSample> actual) {
        DatasetAssert softly = proxy(DatasetAssert.class, List.class, actual);
        softly.collectInto(this);
        return softly;
    }
}
