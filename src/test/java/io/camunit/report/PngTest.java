package io.camunit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x123456);
        image.setRGB(2, 1, 0xFEDCBA);
        return image;
    }

    @Test
    void bytesDecodeToTheSamePixels() throws IOException {
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Png.bytes(picture())));
        assertThat(back.getWidth()).isEqualTo(3);
        assertThat(back.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x123456);
        assertThat(back.getRGB(2, 1) & 0xFFFFFF).isEqualTo(0xFEDCBA);
    }

    @Test
    void writeCreatesDirectoriesReplacesAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/picture.png");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");
        assertThat(Png.write(picture(), file)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(Png.bytes(picture()));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        Png.write(picture(), dir.resolve("new/deeper/p.png"));
        assertThat(dir.resolve("new/deeper/p.png")).exists();
    }
}
