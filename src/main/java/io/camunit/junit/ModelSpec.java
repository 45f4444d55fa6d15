package io.camunit.junit;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;
import io.camunit.model.ImageSize;
import io.camunit.model.TorchScriptModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The normalised values of a {@link UseModel}: two annotations that mean the same model give equal
 * specs, which is what models are shared by. The path is absolute and normalised, so
 * {@code "fixtures/m.pt"} and {@code "./fixtures/m.pt"} share one model.
 *
 * <pre>{@code
 * ModelSpec spec = ModelSpec.of(parameter.getAnnotation(UseModel.class));
 * spec.path();   // "/work/project/fixtures/models/shapes-clean.pt"
 * }</pre>
 *
 * @param path the absolute model path, or empty when the annotation gave none
 * @param width the input width, or 0 to keep the model's
 * @param height the input height, or 0 to keep the model's
 * @param mean channel means, or empty to keep the model's
 * @param std channel standard deviations, or empty to keep the model's
 * @param classes class names, or empty to keep the model's
 * @param factory the factory, or {@code CamModelFactory.class} for a TorchScript file
 */
public record ModelSpec(String path, int width, int height, List<Double> mean, List<Double> std,
        List<String> classes, Class<? extends CamModelFactory> factory) {

    /** Copies the lists. */
    public ModelSpec {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        classes = List.copyOf(classes);
    }

    /**
     * @param a the annotation
     * @return its normalised values
     * @throws CamunitException for a malformed size, mean or std, or neither a path nor a factory
     */
    public static ModelSpec of(UseModel a) {
        boolean hasFactory = a.factory() != CamModelFactory.class;
        if (a.value().isBlank() && !hasFactory) {
            throw new CamunitException("@UseModel needs a model path, e.g. @UseModel(\"fixtures/models/shapes-clean.pt\"),"
                    + " or a factory (@UseModel(factory = MyFactory.class)) for a DJL block model; got neither.");
        }
        String path = a.value().isBlank() ? "" : Path.of(a.value()).toAbsolutePath().normalize().toString();
        int w = 0;
        int h = 0;
        if (!a.size().isBlank()) {
            ImageSize size = ImageSize.parse(a.size(), "@UseModel size");
            w = size.width();
            h = size.height();
        }
        if (a.mean().length != a.std().length || (a.mean().length != 0 && a.mean().length != 3)) {
            throw new CamunitException("@UseModel mean and std must both be given with three values (R, G, B on"
                    + " the [0, 1] scale), e.g. mean = {0.485, 0.456, 0.406}, std = {0.229, 0.224, 0.225}; got mean "
                    + Arrays.toString(a.mean()) + " and std " + Arrays.toString(a.std()) + ".");
        }
        return new ModelSpec(path, w, h, boxed(a.mean()), boxed(a.std()), List.of(a.classes()), a.factory());
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /** @return the factory, when the model is not a TorchScript file */
    public Optional<Class<? extends CamModelFactory>> customFactory() {
        return factory == CamModelFactory.class ? Optional.empty() : Optional.of(factory);
    }

    /**
     * Loads the model this spec describes (not shared: {@link SharedResources} does that).
     *
     * @return a new model, owned by the caller
     * @throws CamunitException when the file is missing or invalid, or the factory fails
     */
    CamModel load() {
        Optional<Class<? extends CamModelFactory>> custom = customFactory();
        if (custom.isPresent()) {
            CamModelFactory f;
            try {
                f = custom.get().getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new CamunitException("@UseModel factory " + custom.get().getName() + " cannot be created: "
                        + e + ". It needs a public no-argument constructor (and, if nested, to be static).", e);
            }
            CamModel model = f.create(this);
            if (model == null) {
                throw new CamunitException("@UseModel factory " + custom.get().getName() + " returned null; it must"
                        + " return a model.");
            }
            return model;
        }
        TorchScriptModel.Builder b = TorchScriptModel.builder().setPath(Path.of(path));
        if (width > 0) {
            b.optInputSize(width, height);
        }
        if (!mean.isEmpty()) {
            b.optNormalisation(mean, std);
        }
        if (!classes.isEmpty()) {
            b.optClasses(classes);
        }
        return b.build();
    }

    /** @return a short description for messages, e.g. {@code @UseModel("fixtures/models/m.pt")} */
    String describe() {
        return customFactory().map(f -> "@UseModel(factory = " + f.getSimpleName() + ".class)")
                .orElse("@UseModel(\"" + path + "\")");
    }
}
