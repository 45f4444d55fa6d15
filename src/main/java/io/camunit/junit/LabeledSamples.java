package io.camunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * The samples of a labelled data set as the arguments of a {@code @ParameterizedTest}: one
 * {@link io.camunit.region.LabeledSample} per invocation, named by its id and labels (e.g.
 * {@code [3] shapes-test-0003 (square)}). Filters apply in order: {@link #ids()}, then
 * {@link #classes()}, then {@link #limit()}. The data set is read once per test run.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @LabeledSamples(value = "fixtures/shapes/test/coco.json", classes = {"square", "star"}, limit = 5)
 * void test(LabeledSample s, @UseModel("fixtures/models/shapes-clean.pt") CamModel model) { ... }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(LabeledSamplesProvider.class)
public @interface LabeledSamples {

    /** @return the annotation file or directory, relative to the working directory */
    String value();

    /** @return keep only samples with an object of one of these classes; empty keeps all */
    String[] classes() default {};

    /** @return keep only these sample ids (each must exist); empty keeps all */
    String[] ids() default {};

    /** @return at most this many samples, the first in file order; 0 means no limit */
    int limit() default 0;
}
