package io.camunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class whose tests take camunit parameters: a {@link io.camunit.model.CamModel}
 * ({@link UseModel}), an {@link io.camunit.explain.Explainer} ({@link UseExplainer}), a
 * {@link io.camunit.region.LabeledDataset} ({@link UseDataset}) or {@link CamSettings}, and
 * labelled samples from {@link LabeledSamples}. Shorthand for
 * {@code @ExtendWith(CamExtension.class)}.
 *
 * <pre>{@code
 * @CamTest
 * class ReleaseGateTest {
 *     @ParameterizedTest
 *     @LabeledSamples(value = "fixtures/shapes/test/coco.json", limit = 10)
 *     void looksAtTheObject(LabeledSample s, @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
 *                           @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
 *         assertThat(gradCam.explain(model, s)).hasPeakInside(s.region(), 15);
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(CamExtension.class)
public @interface CamTest {
}
