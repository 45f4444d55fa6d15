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

    /**
     * A channel's sum in double precision. Four running sums rather than one: a single chain waits
     * on every addition's latency, and this sum is most of Grad-CAM's Java work on small models.
     * The result can differ from the one-chain sum in the last bits of the double, which the float
     * weights computed from it do not keep but in rare cases of rounding.
     */
    private double sum(float[] values, int channel) {
        int n = positions();
        int p = channel * n;
        int end = p + n;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (; p + 3 < end; p += 4) {
            s0 += values[p];
            s1 += values[p + 1];
            s2 += values[p + 2];
            s3 += values[p + 3];
        }
        for (; p < end; p++) {
            s0 += values[p];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
