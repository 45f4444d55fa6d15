package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.explain.Explanation;
import io.camunit.heatmap.Heatmap;
import io.camunit.metric.PeakInside;
import io.camunit.region.Region;

import org.assertj.core.presentation.StandardRepresentation;

import java.util.Locale;

/**
 * How camunit's values appear in AssertJ failure messages: one line each, never the arrays of a map
 * (a 224 x 224 map printed in full buries the message). {@link ExplanationAssert} and
 * {@link DatasetAssert} use it by default; register it for all assertions with
 * {@code Assertions.useRepresentation(CamRepresentation.INSTANCE)}.
 *
 * <pre>{@code
 * CamRepresentation.INSTANCE.toStringOf(explanation);
 * // Explanation[images/0001.png, grad-cam at features.10, target square (class 1), score 4.712,
 * //             map 64x64, max 0.8231, peak (30, 12)]
 * CamRepresentation.INSTANCE.toStringOf(heatmap);          // Heatmap[64x64, max=0.8231]
 * CamRepresentation.INSTANCE.toStringOf(Box.coco(1, 2, 3, 4));   // box [1, 2, 3, 4]
 * CamRepresentation.INSTANCE.toStringOf(gradCam.over(model, samples));
 * // 60 samples explained by grad-cam at features.10 in model shapes-clean.pt, 16 per pass
 * }</pre>
 */
public class CamRepresentation extends StandardRepresentation {

    /** The shared instance. */
    public static final CamRepresentation INSTANCE = new CamRepresentation();

    @Override
    public String toStringOf(Object object) {
        if (object instanceof Explanation e) {
            return explanation(e);
        }
        if (object instanceof ExplainedSamples samples) {
            // Never iterated here: reading samples explained on demand would explain them all.
            return samples.toString();
        }
        if (object instanceof ExplainedSample s) {
            return "ExplainedSample[" + s.sample().id() + ", " + explanation(s.explanation()) + "]";
        }
        if (object instanceof Heatmap h) {
            return heatmap(h);
        }
        if (object instanceof Region r) {
            return r.describe();
        }
        return super.toStringOf(object);
    }

    private static String heatmap(Heatmap h) {
        return String.format(Locale.ROOT, "Heatmap[%dx%d, max=%.4g]", h.width(), h.height(), h.max());
    }

    private static String explanation(Explanation e) {
        Heatmap raw = e.raw();
        // The peak is a summary that needs no region; a degenerate map has none worth naming.
        String peak;
        if (e.isDegenerate() || !raw.isFinite()) {
            peak = "degenerate";
        } else {
            int[] p = PeakInside.peak(raw, e.imageWidth(), e.imageHeight());
            peak = "peak (" + p[0] + ", " + p[1] + ")";
        }
        return String.format(Locale.ROOT,
                "Explanation[%s, %s at %s, target %s (class %d), score %.4g, map %dx%d, max %.4g, %s]",
                e.sampleId(), e.method().id(), String.join("+", e.layers()), e.targetLabel(), e.targetClass(),
                e.score(), raw.width(), raw.height(), raw.max(), peak);
    }
}
