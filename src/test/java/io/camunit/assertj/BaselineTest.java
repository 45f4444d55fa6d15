package io.camunit.assertj;

import static io.camunit.assertj.CamAssertions.assertThat;
import static io.camunit.assertj.CamAssertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSamples;
import io.camunit.gate.Baseline;
import io.camunit.region.LabeledSample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baseline files and the paired no-regression gate on hand-made samples. */
class BaselineTest {

    @TempDir
    Path dir;

    private final ExplainedSamples accepted = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 8),
            Synthetic.sample("b.png", "square", 5), Synthetic.sample("c.png", "circle", 6)));

    private Baseline recorded() {
        return Baseline.record("shapes-clean@1", assertThat(accepted).massInside(LabeledSample::region).sampleValues());
    }

    @Test
    void aBaselineIsRecordedInOneCallSavedAtomicallyAndLoadedBack() throws IOException {
        Path file = dir.resolve("baselines/mass-inside.json");
        recorded().save(file);
        Assertions.assertThat(Files.readString(file)).isEqualTo("""
                {
                  "format": 1,
                  "model": "shapes-clean@1",
                  "metric": "mass-inside",
                  "method": "grad-cam",
                  "layers": [
                    "features.10"
                  ],
                  "samples": {
                    "a.png": 0.8,
                    "b.png": 0.5,
                    "c.png": 0.6
                  }
                }
                """);
        // Nothing but the file itself: the temporary file was renamed into place.
        try (var files = Files.list(file.getParent())) {
            Assertions.assertThat(files).containsExactly(file);
        }
        Baseline loaded = Baseline.load(file);
        Assertions.assertThat(loaded.samples()).containsExactly(Map.entry("a.png", 0.8), Map.entry("b.png", 0.5),
                Map.entry("c.png", 0.6));
        Assertions.assertThat(loaded.toString()).isEqualTo("Baseline[shapes-clean@1, mass-inside, grad-cam at"
                + " features.10, 3 samples]");
        Baseline direct = Baseline.record("shapes-clean@1", "mass-inside", "grad-cam", List.of("features.10"),
                Map.of("a.png", 0.8, "b.png", 0.5, "c.png", 0.6));
        Assertions.assertThat(direct.samples()).isEqualTo(loaded.samples());
    }

    @Test
    void theSameValuesDoNotRegress() {
        assertThat(accepted).massInside(LabeledSample::region).doesNotRegressFrom(recorded(), 0);
        // b drops by exactly the tolerance: allowed.
        ExplainedSamples slightlyWorse = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 8),
                Synthetic.sample("b.png", "square", 4), Synthetic.sample("c.png", "circle", 6)));
        assertThat(slightlyWorse).massInside(LabeledSample::region).doesNotRegressFrom(recorded(), 0.1);
    }

    @Test
    void aSampleThatDropsFailsWithTheWorstDrops() {
        Baseline baseline = recorded().save(dir.resolve("b.json"));
        ExplainedSamples candidate = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 5),
                Synthetic.sample("b.png", "square", 4), Synthetic.sample("c.png", "circle", 7)));
        assertThatThrownBy(() -> assertThat(candidate).massInside(LabeledSample::region)
                        .doesNotRegressFrom(baseline, 0.05))
                .hasMessage(String.format("[mass-inside over 3 samples] %nExpecting mass-inside of grad-cam at"
                        + " features.10 not to drop by more than 0.05 from baseline shapes-clean@1%n  (%s) but%n"
                        + "  2 of 3 samples dropped by more than 0.05 or have no value, worst first:%n"
                        + "    a.png: baseline 0.8000, candidate 0.5000, delta -0.3000%n"
                        + "    b.png: baseline 0.5000, candidate 0.4000, delta -0.1000%n"
                        + "  mean over 3 paired samples: baseline 0.6333, candidate 0.5333, delta -0.1000 (more than the"
                        + " tolerance)", dir.resolve("b.json")));
    }

    @Test
    void aDropSharedByEverySampleFailsTheMeanToleranceThoughEachSampleIsWithinItsOwn() {
        Baseline baseline = recorded().save(dir.resolve("b.json"));
        ExplainedSamples candidate = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 7),
                Synthetic.sample("b.png", "square", 4), Synthetic.sample("c.png", "circle", 5)));
        assertThat(candidate).massInside(LabeledSample::region).doesNotRegressFrom(baseline, 0.15);
        assertThatThrownBy(() -> assertThat(candidate).massInside(LabeledSample::region)
                        .doesNotRegressFrom(baseline, 0.15, 0.05))
                .hasMessage(String.format("[mass-inside over 3 samples] %nExpecting mass-inside of grad-cam at"
                        + " features.10 not to drop by more than 0.15 per sample or 0.05 in the mean from baseline"
                        + " shapes-clean@1%n  (%s) but%n"
                        + "  no sample dropped by more than 0.15, yet%n"
                        + "  mean over 3 paired samples: baseline 0.6333, candidate 0.5333, delta -0.1000 (more than the"
                        + " mean tolerance 0.05)", dir.resolve("b.json")));
    }

    @Test
    void aCandidateWithoutAnyValueIsReportedWithoutAMean() {
        ExplainedSamples candidate = ExplainedSamples.of(List.of(Synthetic.flat("a.png", "circle"),
                Synthetic.flat("b.png", "square"), Synthetic.flat("c.png", "circle")));
        assertThatThrownBy(() -> assertThat(candidate).massInside(LabeledSample::region)
                        .doesNotRegressFrom(recorded(), 0.05))
                .hasMessageContaining("3 of 3 samples dropped by more than 0.05 or have no value")
                .hasMessageContaining("no sample has both a baseline and a candidate value, so there is no mean")
                .hasMessageNotContaining("NaN");
    }

    @Test
    void aNegativeOrNonNumericToleranceIsRefused() {
        assertThatThrownBy(() -> assertThat(accepted).massInside(LabeledSample::region)
                        .doesNotRegressFrom(recorded(), 0.1, -0.01))
                .isInstanceOf(io.camunit.CamunitException.class)
                .hasMessage("A mean tolerance of doesNotRegressFrom must be a finite number >= 0 (the largest"
                        + " allowed worsening); got -0.01.");
        assertThatThrownBy(() -> assertThat(accepted).massInside(LabeledSample::region)
                        .doesNotRegressFrom(recorded(), Double.NaN))
                .isInstanceOf(io.camunit.CamunitException.class)
                .hasMessageContaining("A sample tolerance");
    }

    @Test
    void missingSamplesAreReportedAndAMissingCandidateValueIsARegression() {
        ExplainedSamples candidate = ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 8),
                Synthetic.flat("b.png", "square"), Synthetic.sample("new.png", "circle", 9)));
        assertThatThrownBy(() -> assertThat(candidate).massInside(LabeledSample::region)
                        .doesNotRegressFrom(recorded(), 0.05))
                .hasMessage(String.format("[mass-inside over 3 samples] %nExpecting mass-inside of grad-cam at"
                        + " features.10 not to drop by more than 0.05 from baseline shapes-clean@1%n  ((not saved)) but%n"
                        + "  2 of 3 samples dropped by more than 0.05 or have no value, worst first:%n"
                        + "    b.png: baseline 0.5000, no candidate value (%s)%n"
                        + "    c.png: baseline 0.6000, no candidate value (not in the candidate's samples)%n"
                        + "  mean over 1 paired samples: baseline 0.8000, candidate 0.8000, delta +0.0000%n"
                        + "  1 samples are not in the baseline and were not compared: new.png",
                        DatasetGateSyntheticTest.reasonOfFlat()));
    }

    @Test
    void softRegressionsAreCollected() {
        CamSoftAssertions softly = new CamSoftAssertions();
        softly.assertThat(ExplainedSamples.of(List.of(Synthetic.sample("a.png", "circle", 1))))
                .massInside(LabeledSample::region)
                .doesNotRegressFrom(recorded(), 0.05)
                .isAtLeast(0.5);
        softly.assertThat(accepted).massInside(LabeledSample::region).doesNotRegressFrom(recorded(), 0.05);
        Assertions.assertThat(softly.errorsCollected()).hasSize(2);
        Assertions.assertThat(softly.errorsCollected().get(0)).hasMessageContaining(
                "3 of 3 samples dropped by more than 0.05 or have no value")
                .hasMessageContaining("a.png: baseline 0.8000, candidate 0.1000, delta -0.7000");
        Assertions.assertThat(softly.errorsCollected().get(1)).hasMessageContaining("mass-inside >= 0.5");
    }

    @Test
    void aBaselineOfAnotherMetricOrMethodIsAClearError() throws IOException {
        Path file = dir.resolve("other.json");
        Baseline.record("m@1", "rank-accuracy", "grad-cam", List.of("features.10"), Map.of("a.png", 0.5)).save(file);
        assertThatThrownBy(() -> assertThat(accepted).massInside(LabeledSample::region)
                        .doesNotRegressFrom(Baseline.load(file), 0.05))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Baseline " + file + " of m@1 does not match: field \"metric\" is rank-accuracy but the"
                        + " candidate's is mass-inside. Compare like with like, or record a baseline for mass-inside.");
        Baseline.record("m@1", "mass-inside", "grad-cam++", List.of("features.10"), Map.of()).save(file);
        assertThatThrownBy(() -> assertThat(accepted).massInside(LabeledSample::region)
                        .doesNotRegressFrom(Baseline.load(file), 0.05))
                .hasMessageContaining("field \"method\" is grad-cam++ but the candidate's is grad-cam");
    }

    @Test
    void malformedFilesNameTheFileAndTheField() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"format\": 2}");
        assertThatThrownBy(() -> Baseline.load(file)).isInstanceOf(CamunitException.class)
                .hasMessage("Baseline " + file + " is malformed: field \"format\" must be 1 (this version of camunit"
                        + " reads format 1). See the Baseline Javadoc for the format.");
        Files.writeString(file, "{\"format\": 1, \"model\": \"m\", \"metric\": \"mass-inside\", \"method\": \"grad-cam\","
                + " \"layers\": [\"l\"], \"samples\": {\"a.png\": \"high\"}}");
        assertThatThrownBy(() -> Baseline.load(file))
                .hasMessage("Baseline " + file + " is malformed: field \"samples.a.png\" must be a number. See the"
                        + " Baseline Javadoc for the format.");
        Files.writeString(file, "{\"format\": 1, \"layers\": [], \"samples\": {}}");
        assertThatThrownBy(() -> Baseline.load(file)).hasMessageContaining("field \"model\" must be a non-empty string");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> Baseline.load(file)).hasMessageStartingWith("Baseline " + file + " is not valid JSON");
        assertThatThrownBy(() -> Baseline.load(dir.resolve("none.json")))
                .hasMessageStartingWith("Cannot read baseline " + dir.resolve("none.json"));
    }
}
