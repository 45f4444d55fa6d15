package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.catchThrowableOfType;
import static io.camunit.assertj.CamAssertions.forAtLeast;

import io.camunit.explain.ExplainedSamples;
import io.camunit.gate.Baseline;
import io.camunit.region.LabeledSample;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Numbers in messages and evidence are written the same under every default locale: under
 * {@code de_DE}, where {@code String.format("%.1f", 5.0)} gives {@code 5,0}, a failing gate still
 * says {@code 50.0 %} and {@code 0.2000}. (The suite runs sequentially, so the default locale can be
 * changed for one test.)
 */
class GermanLocaleTest {

    private final ExplainedSamples four = Synthetic.four();

    private Locale before;

    @BeforeEach
    void german() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
    }

    @AfterEach
    void restore() {
        Locale.setDefault(before);
    }

    @Test
    void aFailingGateReadsTheSameAsInAnyLocale() {
        assertThat(String.format("%.1f", 5.0)).as("the default locale is German").isEqualTo("5,0");
        CamAssertionError error = catchThrowableOfType(CamAssertionError.class, () -> assertThat(four)
                .massInside(LabeledSample::region).isAtLeast(0.5, forAtLeast(0.9)));
        assertThat(error).hasMessage(String.format(Locale.ROOT, "[mass-inside over 4 samples] %nExpecting mass-inside"
                + " >= 0.5 for at least 90.0 %% of 4 samples but it held for 2 (50.0 %%)%n  per class: circle 2/2,"
                + " square 0/2%n  worst samples:%n    b.png (square): 0.2000%n    d.png (square): 0.4000"));
    }

    @Test
    void aRegressionReadsTheSameAsInAnyLocale() {
        Baseline baseline = Baseline.record("m@1", "mass-inside", "grad-cam", List.of("features.10"),
                Map.of("b.png", 0.5));
        assertThat(catchThrowableOfType(CamAssertionError.class, () -> assertThat(four)
                        .massInside(LabeledSample::region).doesNotRegressFrom(baseline, 0.05)))
                .hasMessageContaining("b.png: baseline 0.5000, candidate 0.2000, delta -0.3000");
    }
}
