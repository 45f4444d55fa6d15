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
 * {@link #perClass()} or {@link #perObject()}, then {@link #classes()}, then {@link #limit()}. The data set is read once
 * per test run. With {@code perClass = true} an image with objects of several classes gives one
 * invocation per class (the pointing game), each sample holding that class's objects only, so
 * {@code s.label()} and {@code s.region()} are the class and its objects. With {@code perObject = true}
 * every labelled object is one invocation (for detectors: the explainer explains that object's
 * best-matching candidate box, {@code Target.box}).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @LabeledSamples(value = "fixtures/shapes/test/coco.json", classes = {"square", "star"}, limit = 5)
 * void test(LabeledSample s, @UseModel("fixtures/models/shapes-clean.pt") CamModel model) { ... }
 *
 * @ParameterizedTest
 * @LabeledSamples(value = "VOC2012/Annotations", perClass = true)      // one invocation per (image, class)
 * void pointingGame(LabeledSample s, @UseModel("voc.pt") CamModel model,
 *         @UseExplainer(method = GRAD_CAM, layer = "layer4") Explainer gradCam) {
 *     assertThat(gradCam.explain(model, s)).hasPeakInside(s.region());
 * }
 *
 * @ParameterizedTest
 * @LabeledSamples(value = "fixtures/shapes/test-multi/coco.json", perObject = true)   // one per object
 * void detectorLooksAtEachObject(LabeledSample object, @UseModel("fixtures/models/shapes-detector.pt") CamModel model,
 *         @UseExplainer(method = GRAD_CAM, layer = "features.6") Explainer gradCam) {
 *     assertThat(gradCam.explain(model, object)).hasPeakInside(object.region());
 * }
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

    /**
     * @return one invocation per image and labelled class ({@link io.camunit.region.LabeledSample#perClass()},
     *     ids {@code <image id>#<class>}) instead of one per image
     */
    boolean perClass() default false;

    /**
     * @return one invocation per labelled object ({@link io.camunit.region.LabeledSample#perObject()},
     *     ids {@code <image id>#<index>}), the unit a detector is explained on: an explainer given such
     *     a sample and a detector explains that object's best-matching candidate box
     */
    boolean perObject() default false;

    /** @return at most this many samples, the first in file order; 0 means no limit */
    int limit() default 0;
}
