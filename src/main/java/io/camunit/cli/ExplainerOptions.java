package io.camunit.cli;

import io.camunit.explain.Explainer;
import io.camunit.explain.Method;
import io.camunit.explain.MethodOptions;
import io.camunit.model.CamModel;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import picocli.CommandLine.Option;

/**
 * The options shared by the commands that explain: layers, method options and test-time
 * augmentation, turned into an {@link Explainer} per method.
 *
 * <pre>{@code
 * camunit explain ... --method score-cam --layer features.10 --option chunk-size=32 --augment
 * }</pre>
 */
final class ExplainerOptions {

    /** Every method id, for help texts. */
    static final String METHOD_IDS = "cam, grad-cam, grad-cam++, xgrad-cam, hires-cam, grad-cam-elementwise,"
            + " layer-cam, eigen-cam, eigen-grad-cam, score-cam, ablation-cam, smooth-grad-cam++, guided-grad-cam"
            + " (layer methods); gradient, smoothgrad, integrated-gradients, guided-backprop, occlusion, rise"
            + " (at the input, any model)";

    @Option(names = "--layer", paramLabel = "NAME",
            description = "Layer to explain; repeat for several (maps are fused). Default: the model's last layer."
                    + " Not for methods that work at the input.")
    List<String> layers;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "Method option, repeatable: chunk-size, top-channels, noise-std, samples, steps, baseline,"
                    + " window, stride, masks, cell-size, keep-probability, k-sigma, kernel, gamma, alpha, comparisons,"
                    + " seed; one left out takes the method's default"
                    + " (noise-std=0 is no noise; counts are at least 1).")
    List<String> options;

    @Option(names = "--augment",
            description = "Test-time augmentation: mean over horizontal flip x brightness 0.9/1/1.1 (six passes).")
    boolean augment;

    /** @return the method options given, checked */
    MethodOptions methodOptions() {
        MethodOptions o = options == null ? MethodOptions.DEFAULTS
                : MethodOptions.DEFAULTS.with(options.toArray(String[]::new));
        return augment ? o.withOption("augment", "true") : o;
    }

    /**
     * @param method the method
     * @param model the model, for its default layer
     * @return the explainer: the given layers (or the model's last) for layer methods, none otherwise
     */
    Explainer explainer(Method method, CamModel model) {
        Explainer.Builder b = Explainer.builder().setMethod(method).optOptions(methodOptions());
        if (method.usesLayers()) {
            List<String> chosen = layers != null && !layers.isEmpty() ? layers : List.of(ExplainCommand.lastLayer(model));
            chosen.forEach(model::layerIndex);
            b.setLayers(chosen);
        } else if (layers != null && !layers.isEmpty()) {
            b.setLayers(layers);  // build() explains that the method takes no layer
        }
        return b.build();
    }

    /** @return the layers chosen for layer methods, for reports */
    List<String> layersFor(CamModel model) {
        return layers != null && !layers.isEmpty() ? layers : List.of(ExplainCommand.lastLayer(model));
    }

    static String allMethodIds() {
        return Arrays.stream(Method.values()).map(Method::id).collect(Collectors.joining(", "));
    }
}
