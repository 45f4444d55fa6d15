package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import org.junit.jupiter.api.Test;

class MethodOptionsTest {

    @Test
    void everyOptionIsSetByItsNameAndRoundTripsThroughItsMap() {
        MethodOptions o = MethodOptions.DEFAULTS.with("chunk-size=32", "top-channels=8", "noise-std=0.2", "samples=5",
                "steps=64", "baseline=-1.5", "window=12", "stride=6", "masks=500", "cell-size=8",
                "keep-probability=0.25", "k-sigma=1.5", "kernel=RBF", "gamma=0.1", "alpha=0.5", "comparisons=2", "seed=7",
                "augment=yes");
        assertThat(o).isEqualTo(MethodOptions.builder().optChunkSize(32).optTopChannels(8).optNoiseStd(0.2).optSamples(5)
                .optSteps(64).optBaseline(-1.5).optWindow(12).optStride(6).optMasks(500).optCellSize(8)
                .optKeepProbability(0.25).optKSigma(1.5).optKernel(MethodOptions.Kernel.RBF).optGamma(0.1).optAlpha(0.5)
                .optComparisons(2).optSeed(7).optAugment(true).build());
        MethodOptions again = MethodOptions.DEFAULTS;
        for (var e : o.asMap().entrySet()) {
            again = again.withOption(e.getKey(), e.getValue());
        }
        assertThat(again).isEqualTo(o);
    }

    @Test
    void namesAreCaseInsensitiveAndAcceptUnderscores() {
        assertThat(MethodOptions.DEFAULTS.withOption("CHUNK_SIZE", " 4 ").chunkSize()).hasValue(4);
    }

    @Test
    void anOptionLeftOutTakesTheMethodsDefaultAndDefaultResetsOne() {
        assertThat(MethodOptions.DEFAULTS.chunkSize()).isEmpty();
        assertThat(MethodOptions.DEFAULTS.chunkSize().orElse(16)).isEqualTo(16);
        assertThat(MethodOptions.DEFAULTS.with("chunk-size=3").chunkSize().orElse(16)).isEqualTo(3);
        assertThat(MethodOptions.DEFAULTS.with("chunk-size=3", "chunk-size=default")).isEqualTo(MethodOptions.DEFAULTS);
        assertThat(MethodOptions.DEFAULTS.asMap()).containsEntry("noise-std", "default").containsEntry("seed", "0");
    }

    @Test
    void zeroNoiseIsNoNoiseNotTheDefault() {
        MethodOptions none = MethodOptions.builder().optNoiseStd(0).build();
        assertThat(none.noiseStd()).hasValue(0.0);
        assertThat(none).isNotEqualTo(MethodOptions.DEFAULTS);
        assertThat(MethodOptions.DEFAULTS.with("noise-std=0")).isEqualTo(none);
        assertThat(none.noiseStd().orElse(0.15)).isZero();
    }

    @Test
    void zeroIsAValueForTheThresholdAndTheComparisonStrengthButNotForGamma() {
        MethodOptions o = MethodOptions.DEFAULTS.with("k-sigma=0", "alpha=0");
        assertThat(o.kSigma()).hasValue(0.0);
        assertThat(o.alpha()).hasValue(0.0);
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("gamma=0"))
                .hasMessage("Option gamma must be a finite number > 0 (leave it out for the method's default, 1 /"
                        + " channels); got 0.0.");
    }

    @Test
    void anUnknownKernelIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("kernel=laplacian"))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Option kernel must be one of rbf, sigmoid, cosine, poly, linear; got 'laplacian'.");
        assertThat(MethodOptions.DEFAULTS.with("kernel=cosine").asMap()).containsEntry("kernel", "cosine");
    }

    @Test
    void aCountOfZeroIsRefusedSayingHowToAskForTheDefault() {
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("chunk-size=0"))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Option chunk-size must be at least 1 (leave it out for the method's default); got 0.");
        assertThatThrownBy(() -> MethodOptions.builder().optKeepProbability(0).build())
                .hasMessage("Option keep-probability must lie in (0, 1] (leave it out for the method's default); got"
                        + " 0.0.");
    }

    @Test
    void aBuilderChangedAfterBuildChangesNothingBuilt() {
        MethodOptions.Builder b = MethodOptions.builder().optSteps(8);
        MethodOptions built = b.build();
        b.optSteps(100);
        assertThat(built.steps()).hasValue(8);
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.withOption("chunks", "4"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Unknown method option 'chunks'")
                .hasMessageContaining("chunk-size, top-channels, noise-std");
    }

    @Test
    void aValueThatDoesNotParseNamesTheOption() {
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("steps=many"))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Option steps needs a whole number; got 'many'.");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("augment=maybe"))
                .hasMessage("Option augment needs true or false; got 'maybe'.");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("steps"))
                .hasMessageContaining("must have the form name=value");
    }

    @Test
    void negativeCountsAndImpossibleProbabilitiesAreRefused() {
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("masks=-1"))
                .hasMessage("Option masks must be at least 1 (leave it out for the method's default); got -1.");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("keep-probability=1.5"))
                .hasMessageContaining("keep-probability must lie in (0, 1]");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("noise-std=NaN"))
                .hasMessageContaining("noise-std must be a finite number >= 0");
    }
}
