package io.camunit;

import io.camunit.model.TorchScriptModel;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fixtures/models/awkward-cnn.pt computed exactly, in double precision, in plain Java from the
 * weights stored in the file: a reference for the engine that does not come from any engine. The
 * network is linear (3x3 convolutions with padding 1, 2x2 average pooling, global average pooling,
 * a linear layer), so scores and gradients are plain sums of products.
 *
 * <p>Each value comes with a magnitude, the same computation on absolute values
 * ({@code |W| ... |W| |x|}), and the number of terms summed along the way. A float32 computation of
 * the same sums in any order lies within {@code γ_n · magnitude} of the exact value, where
 * {@code γ_n = n u / (1 - n u)}, {@code u = 2^-24} and n is the total number of terms along the
 * chain (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., sections 3.1 and 3.5).
 *
 * <pre>{@code
 * ExactLinearCnn net = ExactLinearCnn.of(model);
 * ExactLinearCnn.Values acts = net.forward(x, 224, 224, 4);         // the output of features.4
 * ExactLinearCnn.Values g = net.gradient(ExactLinearCnn.INPUT, 2, 224, 224);
 * }</pre>
 */
public final class ExactLinearCnn {

    /** The gradient at the input rather than at a layer's output. */
    public static final int INPUT = -1;

    /** One step of the network; {@code index} is the position in {@code features}. */
    private sealed interface Op permits Conv, AvgPool {}

    private record Conv(double[] w, double[] b, int in, int out) implements Op {}

    private record AvgPool() implements Op {}

    /**
     * Values of one tensor (one sample), with their magnitudes and the number of rounding-prone
     * terms that led to them.
     */
    public record Values(double[] values, double[] magnitudes, long terms, int channels, int height, int width) {

        /** @return the float32 rounding bound of value {@code i}, {@code γ_n · magnitude} */
        public double bound(int i) {
            double u = 0x1p-24;
            double gamma = terms * u / (1 - terms * u);
            return gamma * magnitudes[i];
        }
    }

    private final List<Op> features;
    private final double[] fcW;
    private final double[] fcB;
    private final int classes;
    private final Map<String, Values> gradients = new HashMap<>();

    private ExactLinearCnn(List<Op> features, double[] fcW, double[] fcB, int classes) {
        this.features = features;
        this.fcW = fcW;
        this.fcB = fcB;
        this.classes = classes;
    }

    /** @return the reference of awkward-cnn.pt from the weights in the loaded file */
    public static ExactLinearCnn of(TorchScriptModel model) {
        Map<String, double[]> p = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        for (Pair<String, Parameter> pair : model.block().getDirectParameters()) {
            var array = pair.getValue().getArray();
            float[] f = array.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            p.put(pair.getKey(), d);
            shapes.put(pair.getKey(), array.getShape().getShape());
        }
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i <= 7; i++) {
            String key = "full.features." + i;
            if (p.containsKey(key + ".weight")) {
                long[] s = shapes.get(key + ".weight");
                ops.add(new Conv(p.get(key + ".weight"), p.get(key + ".bias"), (int) s[1], (int) s[0]));
            } else {
                ops.add(new AvgPool());
            }
        }
        return new ExactLinearCnn(ops, p.get("full.fc.weight"), p.get("full.fc.bias"),
                (int) shapes.get("full.fc.weight")[0]);
    }

    /**
     * @param x one prepared input, {@code 3 x height x width}
     * @param height H
     * @param width W
     * @param upTo the index in {@code features} whose output to return
     * @return that output
     */
    public Values forward(float[] x, int height, int width, int upTo) {
        double[] v = new double[x.length];
        double[] m = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i];
            m[i] = Math.abs(x[i]);
        }
        Values t = new Values(v, m, 0, 3, height, width);
        for (int i = 0; i <= upTo; i++) {
            t = forward(features.get(i), t);
        }
        return t;
    }

    /**
     * @param x one prepared input
     * @param height H
     * @param width W
     * @return the scores, one per class, with their bounds' magnitudes
     */
    public Values scores(float[] x, int height, int width) {
        Values f = forward(x, height, width, features.size() - 1);
        int hw = f.height() * f.width();
        double[] v = new double[classes];
        double[] m = new double[classes];
        for (int k = 0; k < classes; k++) {
            double s = fcB[k];
            double a = Math.abs(fcB[k]);
            for (int c = 0; c < f.channels(); c++) {
                double mean = 0;
                double meanAbs = 0;
                for (int i = 0; i < hw; i++) {
                    mean += f.values()[c * hw + i];
                    meanAbs += f.magnitudes()[c * hw + i];
                }
                s += fcW[k * f.channels() + c] * mean / hw;
                a += Math.abs(fcW[k * f.channels() + c]) * meanAbs / hw;
            }
            v[k] = s;
            m[k] = a;
        }
        return new Values(v, m, f.terms() + hw + f.channels() + 1, classes, 1, 1);
    }

    /**
     * The gradient of class {@code klass}'s score with respect to the output of {@code features[at]}
     * (or the input, {@link #INPUT}); the same for every input, as the network is linear.
     *
     * @param at the layer index or {@link #INPUT}
     * @param klass the class
     * @param height the input height
     * @param width the input width
     * @return the gradient, {@code C x h x w}
     */
    public synchronized Values gradient(int at, int klass, int height, int width) {
        return gradients.computeIfAbsent(at + "/" + klass + "/" + height + "x" + width,
                k -> computeGradient(at, klass, height, width));
    }

    private Values computeGradient(int at, int klass, int height, int width) {
        // Shapes after each op.
        int[][] shape = new int[features.size()][];
        int c = 3;
        int h = height;
        int w = width;
        for (int i = 0; i < features.size(); i++) {
            if (features.get(i) instanceof Conv conv) {
                c = conv.out();
            } else {
                h /= 2;
                w /= 2;
            }
            shape[i] = new int[] {c, h, w};
        }
        int last = features.size() - 1;
        int hw = shape[last][1] * shape[last][2];
        double[] g = new double[shape[last][0] * hw];
        double[] m = new double[g.length];
        for (int ch = 0; ch < shape[last][0]; ch++) {
            double weight = fcW[klass * shape[last][0] + ch];
            for (int i = 0; i < hw; i++) {
                g[ch * hw + i] = weight / hw;
                m[ch * hw + i] = Math.abs(weight) / hw;
            }
        }
        Values t = new Values(g, m, 2, shape[last][0], shape[last][1], shape[last][2]);
        for (int i = last; i > at; i--) {
            int[] before = i == 0 ? new int[] {3, height, width} : shape[i - 1];
            t = backward(features.get(i), t, before);
        }
        return t;
    }

    private static Values forward(Op op, Values in) {
        int h = in.height();
        int w = in.width();
        if (op instanceof AvgPool) {
            int oh = h / 2;
            int ow = w / 2;
            double[] v = new double[in.channels() * oh * ow];
            double[] m = new double[v.length];
            for (int c = 0; c < in.channels(); c++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double s = 0;
                        double a = 0;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                int j = (c * h + 2 * y + dy) * w + 2 * x + dx;
                                s += in.values()[j];
                                a += in.magnitudes()[j];
                            }
                        }
                        v[(c * oh + y) * ow + x] = s / 4;
                        m[(c * oh + y) * ow + x] = a / 4;
                    }
                }
            }
            return new Values(v, m, in.terms() + 4, in.channels(), oh, ow);
        }
        Conv conv = (Conv) op;
        double[] v = new double[conv.out() * h * w];
        double[] m = new double[v.length];
        for (int o = 0; o < conv.out(); o++) {
            int ob = o * h * w;
            java.util.Arrays.fill(v, ob, ob + h * w, conv.b()[o]);
            java.util.Arrays.fill(m, ob, ob + h * w, Math.abs(conv.b()[o]));
            for (int i = 0; i < conv.in(); i++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        double k = conv.w()[((o * conv.in() + i) * 3 + ky) * 3 + kx];
                        shiftAdd(v, m, ob, in.values(), in.magnitudes(), i * h * w, k, h, w, ky - 1, kx - 1);
                    }
                }
            }
        }
        return new Values(v, m, in.terms() + 9L * conv.in() + 1, conv.out(), h, w);
    }

    /** The transposed step: from the gradient at the op's output to the gradient at its input. */
    private static Values backward(Op op, Values g, int[] inShape) {
        int c = inShape[0];
        int h = inShape[1];
        int w = inShape[2];
        double[] v = new double[c * h * w];
        double[] m = new double[v.length];
        if (op instanceof AvgPool) {
            int ow = g.width();
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int j = (ch * g.height() + y / 2) * ow + x / 2;
                        v[(ch * h + y) * w + x] = g.values()[j] / 4;
                        m[(ch * h + y) * w + x] = g.magnitudes()[j] / 4;
                    }
                }
            }
            return new Values(v, m, g.terms() + 1, c, h, w);
        }
        Conv conv = (Conv) op;
        for (int i = 0; i < conv.in(); i++) {
            for (int o = 0; o < conv.out(); o++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        double k = conv.w()[((o * conv.in() + i) * 3 + ky) * 3 + kx];
                        shiftAdd(v, m, i * h * w, g.values(), g.magnitudes(), o * h * w, k, h, w, 1 - ky, 1 - kx);
                    }
                }
            }
        }
        return new Values(v, m, g.terms() + 9L * conv.out(), c, h, w);
    }

    /** {@code t[p,q] += k * s[p+dy, q+dx]} where the source lies inside the plane; magnitudes likewise. */
    private static void shiftAdd(double[] t, double[] tm, int tb, double[] s, double[] sm, int sb, double k,
            int h, int w, int dy, int dx) {
        double ak = Math.abs(k);
        int p0 = Math.max(0, -dy);
        int p1 = Math.min(h, h - dy);
        int q0 = Math.max(0, -dx);
        int q1 = Math.min(w, w - dx);
        for (int p = p0; p < p1; p++) {
            int ti = tb + p * w;
            int si = sb + (p + dy) * w + dx;
            for (int q = q0; q < q1; q++) {
                t[ti + q] += k * s[si + q];
                tm[ti + q] += ak * sm[si + q];
            }
        }
    }
}
