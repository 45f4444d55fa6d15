package io.camunit.explain;

/**
 * One sample's activations at one layer, with the gradients of its target score and, for CAM, the
 * classifier row of its target class: the inputs of every {@link Method} formula. Plain arrays,
 * channel-major ({@code k * h * w + i * w + j}).
 *
 * <pre>{@code
 * LayerActivations s = new LayerActivations(a, g, null, 32, 16, 16);
 * float[] map = Method.GRAD_CAM.map(s);
 * }</pre>
 *
 * @param activations {@code A}, {@code channels * height * width} values
 * @param gradients {@code dS/dA} of the same size, or null when the method needs none
 * @param classifierRow {@code W_fc[c]}, {@code channels} values, or null unless the method is CAM
 * @param channels the number of channels {@code K}
 * @param height the map height {@code h}
 * @param width the map width {@code w}
 */
public record LayerActivations(
        float[] activations, float[] gradients, float[] classifierRow, int channels, int height, int width) {

    /** Checks the array sizes against the shape. */
    public LayerActivations {
        long size = (long) channels * height * width;
        if (activations.length != size || (gradients != null && gradients.length != size)) {
            throw new IllegalArgumentException("Activations of shape " + channels + " x " + height
                    + " x " + width + " need " + size + " values; got " + activations.length
                    + (gradients == null ? "" : " and " + gradients.length + " gradients"));
        }
        if (classifierRow != null && classifierRow.length != channels) {
            throw new IllegalArgumentException("A classifier row for " + channels + " channels needs "
                    + channels + " weights; got " + classifierRow.length);
        }
    }

    /** @return {@code h * w}, the number of spatial positions */
    public int positions() {
        return height * width;
    }

    double activationSum(int channel) {
        return sum(activations, channel);
    }

    double gradientSum(int channel) {
        return sum(gradients, channel);
    }

    private double sum(float[] values, int channel) {
        int n = positions();
        double s = 0;
        for (int p = channel * n; p < (channel + 1) * n; p++) {
            s += values[p];
        }
        return s;
    }
}
