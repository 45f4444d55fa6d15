package io.camunit.junit;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.explain.MethodOptions;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides what to inject for one annotated parameter or field; plain code, so that
 * {@link CamExtension} only adapts JUnit's callbacks to it.
 */
final class Injector {

    static final String WHAT_EXISTS = "camunit injects CamModel (@UseModel(\"path\") or @UseModel(factory = ...)),"
            + " Explainer (@UseExplainer(method = ..., layer = ...)), LabeledDataset (@UseDataset(\"path\")), each"
            + " also through an annotation of your own that carries it, and CamSettings; a LabeledSample comes from"
            + " @LabeledSamples(\"path\") on a @ParameterizedTest.";

    private Injector() {}

    /**
     * @param annotations the element's camunit annotations
     * @param type its declared type
     * @return true when camunit answers for it: it carries a camunit annotation, or is the
     *     {@link CamSettings} camunit alone provides. A {@code CamModel} without annotation is left to
     *     the user's own resolvers.
     */
    static boolean handles(CamAnnotations annotations, Class<?> type) {
        return annotations.any() || type == CamSettings.class;
    }

    /**
     * @param annotations the parameter's or field's camunit annotations
     * @param type its declared type
     * @param models the {@link UseModel}s next to it (same method, or the class's fields), to check
     *     an explainer's layers against when there is exactly one
     * @param context the asking test's context
     * @return the value
     * @throws CamunitException saying what is wrong and what to do
     */
    static Object resolve(CamAnnotations annotations, Class<?> type, List<UseModel> models, ExtensionContext context) {
        if (annotations.model().isPresent()) {
            requireType(type, CamModel.class, "@UseModel");
            return SharedResources.model(ModelSpec.of(annotations.model().get()), context);
        }
        if (annotations.explainer().isPresent()) {
            requireType(type, Explainer.class, "@UseExplainer");
            return explainer(annotations.explainer().get(), models, context);
        }
        if (annotations.dataset().isPresent()) {
            requireType(type, LabeledDataset.class, "@UseDataset");
            return SharedResources.dataset(annotations.dataset().get().value(), context);
        }
        if (type == CamSettings.class) {
            return SharedResources.settings(context);
        }
        throw new CamunitException("camunit answers only for parameters and fields with its annotations; found a "
                + type.getSimpleName() + " without one. " + WHAT_EXISTS);
    }

    private static void requireType(Class<?> type, Class<?> expected, String annotation) {
        if (type != expected) {
            throw new CamunitException(annotation + " goes on a " + expected.getSimpleName() + " parameter or field;"
                    + " found type " + type.getName() + ". " + WHAT_EXISTS);
        }
    }

    private static Explainer explainer(UseExplainer a, List<UseModel> models, ExtensionContext context) {
        CamSettings s = SharedResources.settings(context);
        if (a.method().length > 1) {
            throw new CamunitException("@UseExplainer takes one method; got " + List.of(a.method())
                    + ". Use one parameter per method.");
        }
        Optional<Method> method = a.method().length == 1 ? Optional.of(a.method()[0]) : s.defaultMethod();
        List<String> layers = a.layer().length > 0 ? List.of(a.layer())
                : method.isPresent() && !method.get().usesLayers() ? List.of() : s.defaultLayers();
        if (method.isEmpty()) {
            throw new CamunitException("@UseExplainer names no method and configuration parameter "
                    + CamSettings.DEFAULT_METHOD + " is not set. Write @UseExplainer(method = Method.GRAD_CAM, ...)"
                    + " or set " + CamSettings.DEFAULT_METHOD + "=grad-cam in junit-platform.properties.");
        }
        CamModel model = models.size() == 1 ? SharedResources.model(ModelSpec.of(models.get(0)), context) : null;
        if (layers.isEmpty() && method.get().usesLayers()) {
            throw new CamunitException("@UseExplainer names no layer and configuration parameter "
                    + CamSettings.DEFAULT_LAYER + " is not set. Write layer = \"...\""
                    + (model != null && !model.layers().isEmpty() ? " (model " + model.name() + " has layers "
                            + model.layers() + ")" : "") + " or set " + CamSettings.DEFAULT_LAYER + ".");
        }
        if (model != null) {
            // Checked here so a wrong layer fails before the test body, naming the model's layers.
            layers.forEach(model::layerIndex);
        }
        MethodOptions options = MethodOptions.DEFAULTS.with(a.options()).withOption("augment",
                Boolean.toString(a.augment()));
        Method.requireOptionsRead(List.of(method.get()), options);
        return Explainer.builder().setMethod(method.get()).setLayers(layers).optOptions(options)
                .optCache(SharedResources.explanationCache(context))
                .optListener(SharedResources.recorder(context)).build();
    }
}
