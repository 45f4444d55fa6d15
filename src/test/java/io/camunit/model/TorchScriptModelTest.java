package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class TorchScriptModelTest {

    @Test
    void smoke() {
        try (TorchScriptModel model = TorchScriptModel.load(Path.of("fixtures/models/tiny-cnn.pt"));
                NDManager scope = model.newScope()) {
            assertThat(model.layers()).containsExactly("features.4", "features.9");
            NDArray x = model.toBatch(scope, List.of(InputImage.read(Path.of("fixtures/goldens/tiny-cnn/sample0-circle.png"))));
            float[] logits = model.forward(x).toFloatArray();
            assertThat(logits[0]).isCloseTo(0.7389150857925415f, within(1e-4f));
            NDList acts = model.features(x, "features.9");
            NDArray a = acts.get(0);
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = model.head(acts, "features.9");
                gc.backward(out.get(0, 0));
            }
            System.out.println(a.getGradient().getShape() + " " + a.getGradient().sum());
        }
    }
}
