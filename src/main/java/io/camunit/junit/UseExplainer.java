package io.camunit.junit;

import io.camunit.explain.Method;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects an {@link io.camunit.explain.Explainer} into a test method parameter or an instance
 * field. What is left out comes from the configuration parameters {@code camunit.default.method}
 * and {@code camunit.default.layer}. When the method (or class) has exactly one {@link UseModel},
 * the layers are checked against that model at injection time, so a wrong layer fails with the
 * model's layer list before the test runs.
 *
 * <pre>{@code
 * void test(@UseModel("fixtures/models/shapes-clean.pt") CamModel model,
 *           @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam)
 * void fused(@UseExplainer(method = LAYER_CAM, layer = {"features.6", "features.10"}) Explainer layerCam)
 * void scored(@UseExplainer(method = SCORE_CAM, layer = "features.10", options = "chunk-size=32") Explainer s)
 * void blackBox(@UseExplainer(method = OCCLUSION, options = {"window=8", "stride=4"}) Explainer occlusion)
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UseExplainer {

    /**
     * @return the method (at most one; an array only so that it can be left out, then
     *     {@code camunit.default.method} applies)
     */
    Method[] method() default {};

    /**
     * @return the layers (several are fused); empty means {@code camunit.default.layer}. Methods
     *     that work at the input ({@code GRADIENT}, {@code OCCLUSION}, ...) take none.
     */
    String[] layer() default {};

    /**
     * @return method options as {@code name=value}, e.g. {@code {"chunk-size=32", "seed=7"}};
     *     see {@link io.camunit.explain.MethodOptions}
     */
    String[] options() default {};

    /** @return true for test-time augmentation (six passes: flip x brightness) */
    boolean augment() default false;
}
