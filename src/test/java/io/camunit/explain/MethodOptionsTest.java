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
                "keep-probability=0.25", "seed=7", "augment=yes");
        assertThat(o).isEqualTo(new MethodOptions(32, 8, 0.2, 5, 64, -1.5, 12, 6, 500, 8, 0.25, 7, true));
        MethodOptions again = MethodOptions.DEFAULTS;
        for (var e : o.asMap().entrySet()) {
            again = again.withOption(e.getKey(), e.getValue());
        }
        assertThat(again).isEqualTo(o);
    }

    @Test
    void namesAreCaseInsensitiveAndAcceptUnderscores() {
        assertThat(MethodOptions.DEFAULTS.withOption("CHUNK_SIZE", " 4 ").chunkSize()).isEqualTo(4);
    }

    @Test
    void zeroMeansTheMethodsDefault() {
        assertThat(MethodOptions.orDefault(MethodOptions.DEFAULTS.chunkSize(), 16)).isEqualTo(16);
        assertThat(MethodOptions.orDefault(MethodOptions.DEFAULTS.with("chunk-size=3").chunkSize(), 16)).isEqualTo(3);
        assertThat(MethodOptions.orDefault(0.0, 0.15)).isEqualTo(0.15);
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
                .hasMessage("Option masks must be >= 0 (0 for the method's default); got -1.");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("keep-probability=1.5"))
                .hasMessageContaining("keep-probability must lie in [0, 1]");
        assertThatThrownBy(() -> MethodOptions.DEFAULTS.with("noise-std=NaN"))
                .hasMessageContaining("noise-std must be a finite number >= 0");
    }
}
