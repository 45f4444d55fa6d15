package io.camunit.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The camunit annotations of one parameter or field, found as JUnit finds annotations
 * ({@link AnnotationSupport}): directly present or meta-present, so that users can compose their own,
 * e.g. {@code @ShapesModel} carrying {@code @UseModel("fixtures/models/shapes-clean.pt")}.
 *
 * <pre>{@code
 * CamAnnotations a = CamAnnotations.of(parameterContext);
 * a.model();   // Optional[@UseModel("fixtures/models/shapes-clean.pt")]
 * }</pre>
 *
 * @param model the {@link UseModel}, if any
 * @param explainer the {@link UseExplainer}, if any
 * @param dataset the {@link UseDataset}, if any
 */
record CamAnnotations(Optional<UseModel> model, Optional<UseExplainer> explainer, Optional<UseDataset> dataset) {

    /** @return the annotations of a test method or constructor parameter */
    static CamAnnotations of(ParameterContext parameter) {
        return new CamAnnotations(parameter.findAnnotation(UseModel.class), parameter.findAnnotation(UseExplainer.class),
                parameter.findAnnotation(UseDataset.class));
    }

    /** @return the annotations of a field (or any other element) */
    static CamAnnotations of(AnnotatedElement element) {
        return new CamAnnotations(AnnotationSupport.findAnnotation(element, UseModel.class),
                AnnotationSupport.findAnnotation(element, UseExplainer.class),
                AnnotationSupport.findAnnotation(element, UseDataset.class));
    }

    /** @return true when camunit is asked to inject: one of its annotations is present */
    boolean any() {
        return model.isPresent() || explainer.isPresent() || dataset.isPresent();
    }
}
