package io.camunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a {@link io.camunit.model.CamModel} into a test method parameter or an instance field of
 * a {@link CamTest} class. Every parameter or field with the same (normalised) values shares one
 * model, loaded once per test run and closed when the run ends; do not close it yourself.
 *
 * <pre>{@code
 * void clean(@UseModel("fixtures/models/shapes-clean.pt") CamModel model)
 * void resized(@UseModel(value = "fixtures/models/tiny-cnn-plain.pt", size = "64x64",
 *                        mean = {0.5, 0.5, 0.5}, std = {0.25, 0.25, 0.25}) CamModel model)
 * void block(@UseModel(factory = ShapesBlockFactory.class) CamModel model)
 *
 * // An annotation of your own that carries it (meta-annotation), for a model many tests use:
 * @Target({ElementType.PARAMETER, ElementType.FIELD})
 * @Retention(RetentionPolicy.RUNTIME)
 * @UseModel("fixtures/models/shapes-clean.pt")
 * public @interface ShapesModel {}
 *
 * void test(@ShapesModel CamModel model)
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UseModel {

    /** @return the TorchScript file, relative to the working directory; passed to a factory as is */
    String value() default "";

    /**
     * @return the input size as {@code WIDTHxHEIGHT}, e.g. {@code 224x160} for 224 wide and 160 high
     *     (camunit writes every size so, see {@link io.camunit.model.ImageSize}); empty keeps the file's
     */
    String size() default "";

    /** @return channel means on the [0, 1] scale (three values, with {@link #std()}); empty keeps the file's */
    double[] mean() default {};

    /** @return channel standard deviations (three values, with {@link #mean()}) */
    double[] std() default {};

    /** @return class names by output index; empty keeps the file's */
    String[] classes() default {};

    /** @return a factory for models that are not TorchScript files; the default means "load {@link #value()}" */
    Class<? extends CamModelFactory> factory() default CamModelFactory.class;
}
