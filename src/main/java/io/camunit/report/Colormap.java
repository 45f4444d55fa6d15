package io.camunit.report;

/**
 * Maps a normalised value in [0, 1] to an RGB colour.
 *
 * <pre>{@code
 * int rgb = Colormap.JET.rgb(0.9);       // red-orange
 * int v = Colormap.VIRIDIS.rgb(1.0);     // 0xFDE725, yellow
 * }</pre>
 *
 * <p>VIRIDIS and TURBO are perceptual maps: equal steps in value look like roughly equal steps in
 * colour, so a reader does not see edges in the heatmap that are not there (jet's bright cyan and
 * yellow bands do that).
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
    },

    /**
     * Viridis (van der Walt and Smith, matplotlib's default since 2.0; its data is CC0): dark purple
     * through blue and green to yellow, lightness rising monotonically, readable in grey and by most
     * colour-blind readers. Here: 18 evenly spaced anchors, every 15th entry (0, 15, ..., 255) of
     * matplotlib's published 256-entry {@code _viridis_data} table, linearly interpolated; the result
     * is within a few units per channel of the full table.
     */
    VIRIDIS {
        @Override
        public int rgb(double v) {
            return interpolate(VIRIDIS_ANCHORS, clamp(v));
        }
    },

    /**
     * Turbo (Mikhailov, Google AI blog, 2019): a jet-like rainbow with smooth, nearly monotonic
     * lightness. Here: the polynomial approximation of degree 5 per channel published with it,
     * clamped to [0, 1]; it differs from the 256-entry table by about 1 %.
     */
    TURBO {
        @Override
        public int rgb(double v) {
            double x = clamp(v);
            double r = 0.13572138 + x * (4.61539260 + x * (-42.66032258 + x * (132.13108234
                    + x * (-152.94239396 + x * 59.28637943))));
            double g = 0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333
                    + x * (4.27729857 + x * 2.82956604))));
            double b = 0.10667330 + x * (12.64194608 + x * (-60.58204836 + x * (110.36276771
                    + x * (-89.90310912 + x * 27.34824973))));
            return pack(clamp(r), clamp(g), clamp(b));
        }
    };

    /** Matplotlib's viridis at entries 0, 15, ..., 255 of 256 (r, g, b in [0, 1]). */
    private static final double[][] VIRIDIS_ANCHORS = {
        {0.267004, 0.004874, 0.329415}, {0.281924, 0.089666, 0.412415}, {0.280255, 0.165693, 0.476498},
        {0.263663, 0.237631, 0.518762}, {0.237441, 0.305202, 0.541921}, {0.208623, 0.367752, 0.552675},
        {0.182256, 0.426184, 0.557120}, {0.159194, 0.482237, 0.558073}, {0.137770, 0.537492, 0.554906},
        {0.121148, 0.592739, 0.544641}, {0.128087, 0.647749, 0.523491}, {0.180653, 0.701402, 0.488189},
        {0.274149, 0.751988, 0.436601}, {0.395174, 0.797475, 0.367757}, {0.535621, 0.835785, 0.281908},
        {0.688944, 0.865448, 0.182725}, {0.845561, 0.887322, 0.099702}, {0.993248, 0.906157, 0.143936},
    };

    /** Linear interpolation between evenly spaced anchors; {@code x} already in [0, 1]. */
    static int interpolate(double[][] anchors, double x) {
        double t = x * (anchors.length - 1);
        int i = Math.min((int) t, anchors.length - 2);
        double f = t - i;
        double[] a = anchors[i];
        double[] b = anchors[i + 1];
        return pack(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]));
    }

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
