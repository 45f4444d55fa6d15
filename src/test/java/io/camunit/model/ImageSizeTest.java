package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import org.junit.jupiter.api.Test;

/** Sizes are written WIDTHxHEIGHT everywhere; the other order is refused with a message that says which is which. */
class ImageSizeTest {

    @Test
    void theWidthComesFirst() {
        ImageSize s = ImageSize.parse("224x160", "Option --size");
        assertThat(s.width()).isEqualTo(224);
        assertThat(s.height()).isEqualTo(160);
        assertThat(s).hasToString("224x160");
        assertThat(ImageSize.parse(" 64X32 ", "Option --size")).isEqualTo(new ImageSize(64, 32));
        assertThat(ImageSize.format(8000, 8000)).isEqualTo("8000x8000");
    }

    @Test
    void aPyTorchShapeIsRefusedSayingWhichOrderCamunitMeans() {
        assertThatThrownBy(() -> ImageSize.parse("(160, 224)", "Option --size")).isInstanceOf(CamunitException.class)
                .hasMessage("Option --size must be WIDTHxHEIGHT in pixels, e.g. 224x160 for an image 224 wide and 160"
                        + " high; got '(160, 224)', which reads like a tensor shape (HEIGHT, WIDTH) as PyTorch writes"
                        + " it. camunit writes sizes width first, as images are described: if you mean 224 wide and"
                        + " 160 high, write 224x160.");
        for (String text : new String[] {"160,224", "[160, 224]", "160 224", "160*224"}) {
            assertThatThrownBy(() -> ImageSize.parse(text, "@UseModel size")).as(text)
                    .hasMessageContaining("reads like a tensor shape (HEIGHT, WIDTH)");
        }
    }

    @Test
    void aSingleNumberZeroAndNonsenseAreRefused() {
        assertThatThrownBy(() -> ImageSize.parse("224", "Option --size"))
                .hasMessageEndingWith("got '224', a single number. Write both, e.g. 224x224 for a square input.");
        assertThatThrownBy(() -> ImageSize.parse("0x5", "Option --size"))
                .hasMessageEndingWith("got '0x5'. Both numbers must be from 1 to 999999999.");
        assertThatThrownBy(() -> ImageSize.parse("99999999999x5", "Option --size"))
                .hasMessageContaining("from 1 to 999999999");
        assertThatThrownBy(() -> ImageSize.parse("wide", "Option --size"))
                .hasMessage("Option --size must be WIDTHxHEIGHT in pixels, e.g. 224x160 for an image 224 wide and 160"
                        + " high; got 'wide'.");
        assertThatThrownBy(() -> new ImageSize(0, 3)).hasMessageContaining("at least 1x1");
    }
}
