package io.camunit.metric;

import io.camunit.heatmap.Heatmap;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;

import java.util.List;

/**
 * Average drop and increase in confidence (Chattopadhay et al., the Grad-CAM++ paper): with
 * {@code Y} the target class's softmax probability for the image and {@code Y'} for the model input
 * multiplied by the normalised map (as pytorch-grad-cam multiplies the input tensor), the drop is
 * {@code relu(Y - Y') / Y} and the increase {@code 1[Y' > Y]}; averaged over a data set, lower
 * drop and higher increase are better. Cost: two forward passes.
 *
 * <pre>{@code
 * ConfidenceChange c = ConfidenceChange.of(model, image, explanation.display(), explanation.targetClass());
 * c.drop();       // 0.12
 * }</pre>
 *
 * @param original {@code Y}
 * @param explained {@code Y'}
 */
public record ConfidenceChange(double original, double explained) {

    /** Names on the command line and in reports. */
    public static final String DROP = "average-drop";
    /** Names on the command line and in reports. */
    public static final String INCREASE = "increase-in-confidence";

    /**
     * @param model the model
     * @param image the image
     * @param map the display map (values in [0, 1]; resized to the input size)
     * @param targetClass the explained class
     * @return both probabilities
     */
    public static ConfidenceChange of(CamModel model, InputImage image, Heatmap map, int targetClass) {
        Perturbation p = new Perturbation(model, image, targetClass);
        float[] m = MapOnImage.valuesOf(map, p.width, p.height);
        float[] masked = p.input.clone();
        int n = p.pixels();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                masked[c * n + i] *= m[i];
            }
        }
        double[] probabilities = p.probabilities(List.of(p.input, masked));
        return new ConfidenceChange(probabilities[0], probabilities[1]);
    }

    /** @return {@code relu(Y - Y') / Y}, in [0, 1] */
    public double drop() {
        return original > 0 ? Math.max(original - explained, 0) / original : 0;
    }

    /** @return 1 when {@code Y' > Y}, else 0 */
    public double increase() {
        return explained > original ? 1 : 0;
    }
}
