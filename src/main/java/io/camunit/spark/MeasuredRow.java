package io.camunit.spark;

import io.camunit.evaluation.MeasuredSample;
import io.camunit.explain.Explanation;
import io.camunit.explain.Method;
import io.camunit.gate.SampleValue;
import io.camunit.heatmap.Heatmap;
import io.camunit.region.LabeledSample;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link MeasuredSample} as it travels from an executor to the driver: the explanation's values and
 * maps (plain arrays) and the metric values, but not the sample, which the driver has (by its index).
 * Nothing is rounded: the driver's rows equal the executor's bit for bit.
 */
final class MeasuredRow implements Serializable {

    private static final long serialVersionUID = 1L;

    final int item;
    final String sampleId;
    final String method;
    private final String explainedId;
    private final int imageWidth;
    private final int imageHeight;
    private final Method explainedMethod;
    private final ArrayList<String> layers;
    private final String target;
    private final int targetClass;
    private final String targetLabel;
    private final double score;
    private final int predictedClass;
    private final MapForm raw;
    private final MapForm display;
    private final ArrayList<MapForm> layerMaps;
    private final String[] pipeline;
    private final double pipelineEpsilon;
    private final Double[] values;
    private final String[] reasons;

    MeasuredRow(int item, MeasuredSample row) {
        this.item = item;
        this.sampleId = row.sample().id();
        this.method = row.method();
        Explanation e = row.explanation();
        this.explainedId = e.sampleId();
        this.imageWidth = e.imageWidth();
        this.imageHeight = e.imageHeight();
        this.explainedMethod = e.method();
        this.layers = new ArrayList<>(e.layers());
        this.target = e.target();
        this.targetClass = e.targetClass();
        this.targetLabel = e.targetLabel();
        this.score = e.score();
        this.predictedClass = e.predictedClass();
        this.raw = new MapForm(e.raw());
        this.display = new MapForm(e.display());
        this.layerMaps = new ArrayList<>(e.layerMaps().stream().map(MapForm::new).toList());
        Explanation.Pipeline p = e.pipeline();
        this.pipeline = new String[] {p.upsampling(), p.layerFusion(), p.augmentation()};
        this.pipelineEpsilon = p.normalisationEpsilon();
        this.values = row.values().stream().map(SampleValue::value).toArray(Double[]::new);
        this.reasons = row.values().stream().map(SampleValue::reason).toArray(String[]::new);
    }

    /**
     * @param sample the driver's item this row measured
     * @return the row as the local run measures it
     */
    MeasuredSample toMeasuredSample(LabeledSample sample) {
        Explanation e = new Explanation(explainedId, imageWidth, imageHeight, explainedMethod, layers, target,
                targetClass, targetLabel, score, predictedClass, raw.toHeatmap(), display.toHeatmap(),
                layerMaps.stream().map(MapForm::toHeatmap).toList(),
                new Explanation.Pipeline(pipeline[0], pipelineEpsilon, pipeline[1], pipeline[2]));
        List<SampleValue> measured = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            measured.add(new SampleValue(sample.id(), sample.classLabel(), values[i], reasons[i]));
        }
        return new MeasuredSample(sample, method, e, measured);
    }

    /** A heatmap's size and values. */
    private record MapForm(int width, int height, float[] values) implements Serializable {
        private static final long serialVersionUID = 1L;

        MapForm(Heatmap map) {
            this(map.width(), map.height(), map.toArray());
        }

        Heatmap toHeatmap() {
            return Heatmap.of(width, height, values);
        }
    }
}
