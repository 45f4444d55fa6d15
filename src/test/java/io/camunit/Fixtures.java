package io.camunit;

import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.nio.file.Path;

/** Paths of the committed fixtures the tests run on (see fixtures/generators). */
public final class Fixtures {

    public static final Path TINY_CNN = Path.of("fixtures/models/tiny-cnn.pt");
    public static final Path TINY_CNN_PLAIN = Path.of("fixtures/models/tiny-cnn-plain.pt");
    public static final Path TINY_CNN_BROKEN_CUT = Path.of("fixtures/models/tiny-cnn-broken-cut.pt");
    public static final Path GOLDENS = Path.of("fixtures/goldens/tiny-cnn");

    private Fixtures() {}

    /**
     * @return tiny-cnn.pt, loaded once and shared by the test classes that only read it; it lives
     *     as long as the test JVM
     */
    public static TorchScriptModel tinyCnn() {
        return SharedTinyCnn.MODEL;
    }

    private static final class SharedTinyCnn {
        static final TorchScriptModel MODEL = TorchScriptModel.load(TINY_CNN);
    }

    /** @return a committed 64 x 64 scene: index 0 a circle, 1 a square, 2 a triangle */
    public static InputImage scene(int index) {
        String[] names = {"sample0-circle.png", "sample1-square.png", "sample2-triangle.png"};
        return InputImage.read(GOLDENS.resolve(names[index]));
    }
}
