package io.camunit.report;

/**
 * Maps a normalised value in [0, 1] to an RGB colour.
 *
 * <pre>{@code
 * int rgb = Colormap.JET.rgb(0.9);   // red-orange
 * }</pre>
 */
public enum Colormap {

    /**
     * The classic jet (blue, cyan, yellow, red), the piecewise-linear MATLAB form; familiar from
     * pytorch-grad-cam's overlays, though not perceptually uniform.
     */
    JET {
        @Override
        public int rgb(double v) {
            double x = clamp(v);
            return pack(clamp(1.5 - Math.abs(4 * x - 3)), clamp(1.5 - Math.abs(4 * x - 2)),
                    clamp(1.5 - Math.abs(4 * x - 1)));
        }
    },

    /** Black to white, for printing and for people who cannot tell the jet hues apart. */
    GREY {
        @Override
        public int rgb(double v) {
            double x = clamp(v);
            return pack(x, x, x);
        }
    };

    /**
     * @param v a value, clamped to [0, 1]; NaN maps to 0
     * @return the colour as {@code 0xRRGGBB}
     */
    public abstract int rgb(double v);

    static double clamp(double v) {
        return v > 0 ? Math.min(v, 1) : 0;
    }

    static int pack(double r, double g, double b) {
        return (int) Math.round(r * 255) << 16 | (int) Math.round(g * 255) << 8 | (int) Math.round(b * 255);
    }
}
