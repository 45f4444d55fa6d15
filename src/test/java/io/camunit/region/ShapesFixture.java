package io.camunit.region;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The committed synthetic shapes fixture (fixtures/shapes/README.md) and small test utilities. */
final class ShapesFixture {

    static final Path ROOT = Path.of("fixtures/shapes");
    static final Path TEST = ROOT.resolve("test");
    static final Path TEST_MARKED = ROOT.resolve("test-marked");
    static final Path VAL = ROOT.resolve("val");
    static final List<String> CLASSES = List.of("circle", "square", "triangle", "star");

    private ShapesFixture() {}

    /** @return the number part of a sample id, e.g. "0004" for "images/0004.png" */
    static String stem(LabeledSample s) {
        String name = s.id().substring(s.id().lastIndexOf('/') + 1);
        return name.substring(0, name.lastIndexOf('.'));
    }

    /** @return object k's binary mask of a sample, masks/<id>_<k>.png */
    static Mask objectMask(Path split, LabeledSample s, int k) {
        return MaskFile.binary(split.resolve("masks").resolve(stem(s) + "_" + k + ".png")).toMask(s.width(),
                s.height());
    }

    static double iou(Mask a, Mask b) {
        boolean[] x = a.toArray();
        boolean[] y = b.toArray();
        int inter = 0;
        int union = 0;
        for (int i = 0; i < x.length; i++) {
            inter += x[i] && y[i] ? 1 : 0;
            union += x[i] || y[i] ? 1 : 0;
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    /** A mask from rows of '#' (inside) and '.' (outside), for exact expectations that read as pictures. */
    static Mask picture(String... rows) {
        int h = rows.length;
        int w = rows[0].length();
        boolean[] in = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                in[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return Mask.of(w, h, in);
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
