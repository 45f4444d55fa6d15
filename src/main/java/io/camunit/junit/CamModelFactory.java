package io.camunit.junit;

import io.camunit.model.CamModel;

/**
 * Builds a model that is not a TorchScript file, typically a DJL {@link io.camunit.model.BlockModel},
 * for {@link UseModel#factory()}. The class needs a public no-argument constructor; it is called
 * once per distinct {@link ModelSpec} per test run, and the model it returns is closed when the
 * run ends.
 *
 * <pre>{@code
 * public class ShapesBlockFactory implements CamModelFactory {
 *     public CamModel create(ModelSpec spec) {
 *         return BlockModel.builder().setBlock(network()).setInput(InputSpec.of(64, 64))
 *                 .optParameters(Path.of(spec.path())).build();
 *     }
 * }
 *
 * void test(@UseModel(value = "fixtures/models/shapes-djl.params", factory = ShapesBlockFactory.class) CamModel m)
 * }</pre>
 */
@FunctionalInterface
public interface CamModelFactory {

    /**
     * @param spec the annotation's values, normalised (path absolute, or empty when not given)
     * @return a new model; the extension owns it and closes it
     * @throws io.camunit.CamunitException when the model cannot be built
     */
    CamModel create(ModelSpec spec);
}
