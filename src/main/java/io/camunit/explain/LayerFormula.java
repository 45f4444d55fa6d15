package io.camunit.explain;

import io.camunit.CamunitException;
import io.camunit.model.CamModel;

import ai.djl.ndarray.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The methods whose map is a formula of one layer's activations and gradients (CAM, Grad-CAM and
 * its variants, Layer-CAM, Eigen-CAM): one forward pass, plus one backward pass when the formula
 * needs gradients, for the whole batch.
 */
final class LayerFormula implements MapComputation {

    private final Method method;

    LayerFormula(Method method) {
        this.method = method;
    }

    @Override
    public BatchMaps compute(CamModel model, NDArray batch, String layer, List<Target> targets,
            MethodOptions options) {
        LayerCapture capture = LayerCapture.take(model, batch, layer, targets, method.needsGradients());
        return maps(model, capture, capture.samples(), targets);
    }

    /**
     * @param model the model
     * @param capture a capture at the layer, with gradients if the method needs them; several
     *     formulas may share one
     * @param samples the capture's per-sample slices ({@link LayerCapture#samples()}), also shareable
     * @param targets the targets the capture was taken for
     * @return the method's maps of the batch
     */
    BatchMaps maps(CamModel model, LayerCapture capture, List<LayerActivations> samples, List<Target> targets) {
        float[][] classifier = method == Method.CAM ? model.classifierWeights() : null;
        List<float[]> maps = new ArrayList<>(targets.size());
        for (int n = 0; n < targets.size(); n++) {
            LayerActivations s = samples.get(n);
            if (classifier != null) {
                float[] row = classifierRow(model, classifier, capture.targetClasses()[n], capture, targets.get(n));
                s = new LayerActivations(s.activations(), s.gradients(), row, s.channels(), s.height(), s.width());
            }
            maps.add(method.map(s));
        }
        return BatchMaps.of(capture, maps);
    }

    private static float[] classifierRow(CamModel model, float[][] classifier, int targetClass, LayerCapture c,
            Target target) {
        if (targetClass < 0) {
            throw new CamunitException("CAM explains a class, but the target is '" + target.description()
                    + "'. Use Target.classIndex or Target.predicted, or a gradient method (grad-cam) for"
                    + " score functions.");
        }
        float[] row = classifier[targetClass];
        if (row.length != c.channels()) {
            throw new CamunitException("CAM needs the layer right before global average pooling and the"
                    + " final linear layer: layer '" + c.layer() + "' of model " + model.name() + " has "
                    + c.channels() + " channels, but the classifier weights have " + row.length
                    + " inputs. Choose the last convolutional layer, or use grad-cam.");
        }
        return row;
    }
}
