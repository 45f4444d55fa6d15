package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.Box;
import io.camunit.region.LabeledObject;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Hand-made explanations whose metrics are exact, so that failure messages can be compared whole. */
final class Synthetic {

    /** The labelled object of every synthetic sample: the top-left 2 x 2 pixels. */
    static final Box OBJECT = Box.coco(0, 0, 2, 2);

    private Synthetic() {}

    /**
     * @param id the sample id
     * @param size the map's and image's side
     * @param points x, y, value triples; every other pixel is 0
     */
    static Explanation explanation(String id, int size, float... points) {
        float[] v = new float[size * size];
        for (int i = 0; i < points.length; i += 3) {
            v[(int) points[i + 1] * size + (int) points[i]] = points[i + 2];
        }
        Heatmap map = Heatmap.of(size, size, v);
        return new Explanation(id, size, size, Method.GRAD_CAM, List.of("features.10"), "class 0", 0, "circle", 2.5, 0,
                map, map.normalised(), List.of(map), Explanation.Pipeline.DEFAULT);
    }

    /**
     * A 4 x 4 sample whose mass inside {@link #OBJECT} is exactly {@code tenths / 10}: {@code tenths}
     * at (0, 0), the rest at (3, 3).
     */
    static ExplainedSample sample(String id, String label, int tenths) {
        LabeledSample s = new LabeledSample(id, Path.of(id), 4, 4, List.of(new LabeledObject(label, OBJECT)),
                Optional.empty());
        return new ExplainedSample(s, explanation(id, 4, 0, 0, tenths, 3, 3, 10 - tenths));
    }

    /**
     * The four samples most data-set tests use: mass inside the object exactly 0.8 (a, circle), 0.2
     * (b, square), 0.6 (c, circle) and 0.4 (d, square).
     */
    static List<ExplainedSample> fourSamples() {
        return List.of(sample("a.png", "circle", 8), sample("b.png", "square", 2), sample("c.png", "circle", 6),
                sample("d.png", "square", 4));
    }

    /** @return {@link #fourSamples()}, as data-set assertions read them */
    static ExplainedSamples four() {
        return ExplainedSamples.of(fourSamples());
    }

    /** A sample whose map is all zero: no metric has a value. */
    static ExplainedSample flat(String id, String label) {
        LabeledSample s = new LabeledSample(id, Path.of(id), 4, 4, List.of(new LabeledObject(label, OBJECT)),
                Optional.empty());
        return new ExplainedSample(s, explanation(id, 4));
    }
}
