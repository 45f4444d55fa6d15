package io.camunit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a {@link io.camunit.region.LabeledDataset} (COCO, VOC, YOLO or manifest, as
 * {@link io.camunit.region.LabeledDataset#open}) into a test method parameter or an instance
 * field, for data-set gates. Read once per test run and shared by everything that names the same
 * file.
 *
 * <pre>{@code
 * @Test
 * void gate(@UseDataset("fixtures/shapes/test/coco.json") LabeledDataset data,
 *           @UseModel("fixtures/models/shapes-clean.pt") CamModel model,
 *           @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer gradCam) {
 *     assertThat(gradCam.over(model, data.samples()))
 *             .peakInside(LabeledSample::region).isAtLeast(1, forAtLeast(0.8));
 * }
 * }</pre>
 */
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface UseDataset {

    /** @return the annotation file or directory, relative to the working directory */
    String value();
}
