package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.heatmap.Heatmap;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NpyTest {

    private static final Heatmap MAP = Heatmap.of(3, 2, new float[] {0, 0.5f, 1, -2, 3.25f, 1e-7f});

    @Test
    void headerIsNumPyVersionOneWithA64ByteAlignedDictionary() {
        byte[] bytes = Npy.toBytes(MAP);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x93 - 256, 'N', 'U', 'M', 'P', 'Y', 1, 0);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertThat((10 + headerLength) % 64).isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
        assertThat(bytes).hasSize(10 + headerLength + 6 * 4);
    }

    @Test
    void whatIsWrittenReadsBackBitForBit() {
        assertThat(Npy.read(new ByteArrayInputStream(Npy.toBytes(MAP)), "map.npy")).isEqualTo(MAP);
    }

    @Test
    void truncatedDataIsAClearError() {
        byte[] bytes = Npy.toBytes(MAP);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 5)), "cut.npy"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("cut.npy")
                .hasMessageContaining("truncated");
    }

    @Test
    void otherFilesAreRefused() {
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream("not numpy".getBytes(StandardCharsets.US_ASCII)), "x.npy"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("magic");
    }
}
