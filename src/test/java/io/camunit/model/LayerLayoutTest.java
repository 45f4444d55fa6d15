package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerLayoutTest {

    @ParameterizedTest
    @ValueSource(strings = {"nchw", "nhwc", "tokens:1:14x14", "tokens:0:7x9", "tokens:2:4x4"})
    void readsWhatTheExporterWritesAndWritesItBack(String text) {
        assertThat(LayerLayout.parse(text)).hasToString(text);
    }

    @Test
    void aTokenLayoutHasItsPrefixAndGrid() {
        LayerLayout vit = LayerLayout.parse("tokens:1:14x14");
        assertThat(vit.kind()).isEqualTo(LayerLayout.Kind.TOKENS);
        assertThat(vit.prefixTokens()).isEqualTo(1);
        assertThat(vit.gridHeight()).isEqualTo(14);
        assertThat(vit.gridWidth()).isEqualTo(14);
        assertThat(vit.isNchw()).isFalse();
    }

    @Test
    void aGridIsWrittenWidthFirstLikeEverySize() {
        LayerLayout wide = LayerLayout.parse("tokens:0:6x4");
        assertThat(wide.gridWidth()).isEqualTo(6);
        assertThat(wide.gridHeight()).isEqualTo(4);
        assertThat(LayerLayout.tokens(0, 4, 6)).hasToString("tokens:0:6x4");
        assertThat(wide.describe()).isEqualTo("no prefix token, then a grid of 6x4 tokens");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "NCHW", "tokens", "tokens:1", "tokens:1:14", "tokens:-1:2x2", "tokens:1:0x4", "tokens:1:4x4x4"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> LayerLayout.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nchw', 'nhwc' or 'tokens:P:WxH'");
    }

    @Test
    void describesWhatTheCutDoes() {
        assertThat(LayerLayout.NCHW.describe()).isEqualTo("channels first (N x C x h x w)");
        assertThat(LayerLayout.NHWC.describe()).isEqualTo("channels last (N x h x w x C), permuted to channels first at the cut");
        assertThat(LayerLayout.tokens(1, 8, 8).describe())
                .isEqualTo("1 prefix token (carried across the cut, no map), then a grid of 8x8 tokens");
        assertThat(LayerLayout.tokens(2, 4, 4).describe()).startsWith("2 prefix tokens (");
        assertThat(LayerLayout.tokens(0, 7, 7).describe()).isEqualTo("no prefix token, then a grid of 7x7 tokens");
    }

    @Test
    void onlyTokenLayoutsHavePrefixTokensAndAGrid() {
        assertThatThrownBy(() -> new LayerLayout(LayerLayout.Kind.NHWC, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LayerLayout.tokens(1, 0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
