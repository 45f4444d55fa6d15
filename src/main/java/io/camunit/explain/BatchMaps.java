package io.camunit.explain;

import io.camunit.model.ImageSize;

import java.util.List;

/**
 * The maps of a batch at one layer (or at the input), before ReLU, with the resolved targets.
 *
 * @param layer the layer, or {@link #INPUT} for maps computed at the input
 * @param width the map width (layer width, or the model input width)
 * @param height the map height
 * @param maps one map of {@code width * height} values per image, row-major
 * @param targetClasses the explained class per image, -1 for a score function
 * @param scores the target score per image
 * @param predicted the arg-max class per image, -1 when the output is not N x K
 * @param notes per image, what resolving its target found (a detector's matched candidate), or empty
 */
record BatchMaps(String layer, int width, int height, List<float[]> maps, int[] targetClasses, double[] scores,
        int[] predicted, List<String> notes) {

    /** The layer name of maps computed at the model input. */
    static final String INPUT = "input";

    BatchMaps {
        maps = List.copyOf(maps);
        notes = List.copyOf(notes);
        for (float[] m : maps) {
            if (m.length != width * height) {
                throw new IllegalArgumentException("A " + ImageSize.format(width, height) + " map needs " + width * height
                        + " values; got " + m.length);
            }
        }
    }

    /**
     * Maps whose targets needed no note (every target but a detector's box target).
     *
     * @param layer the layer, or {@link #INPUT}
     * @param width the map width
     * @param height the map height
     * @param maps one map per image
     * @param targetClasses the explained class per image
     * @param scores the target score per image
     * @param predicted the arg-max class per image
     */
    BatchMaps(String layer, int width, int height, List<float[]> maps, int[] targetClasses, double[] scores,
            int[] predicted) {
        this(layer, width, height, maps, targetClasses, scores, predicted, List.of());
    }

    /**
     * @param capture the layer capture the targets were resolved in
     * @param maps one map per image at the capture's resolution
     * @return the maps with the capture's targets
     */
    static BatchMaps of(LayerCapture capture, List<float[]> maps) {
        return new BatchMaps(capture.layer(), capture.width(), capture.height(), maps, capture.targetClasses(),
                capture.scores(), capture.predicted(), capture.notes());
    }
}
