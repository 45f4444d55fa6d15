package io.camunit.model;

import io.camunit.CamunitException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a model's output means, as a CAM-ready file's {@code camunit.json} states it in {@code "task"}:
 * class scores ({@code N x K}), a segmentation ({@code N x K x H x W}) or candidate boxes of a
 * detector ({@code N x M x (4 + 1 + K)}: {@code x1, y1, x2, y2} in input pixels, an objectness
 * logit and K class logits, before non-maximum suppression).
 *
 * <pre>{@code
 * Task.parse("detection");          // DETECTION
 * Task.DETECTION.id();              // "detection"
 * model.task().isDetection();       // true for a detector: evaluate explains each labelled object
 * }</pre>
 */
public enum Task {
    /** Class scores, {@code N x K}. */
    CLASSIFICATION("classification", "N x K class scores"),
    /** Per-pixel class logits, {@code N x K x H x W}. */
    SEGMENTATION("segmentation", "N x K x H x W class logits per pixel"),
    /** Candidate boxes before non-maximum suppression, {@code N x M x (4 + 1 + K)}. */
    DETECTION("detection", "N x M x (4 + 1 + K) candidate boxes before non-maximum suppression: x1, y1, x2, y2"
            + " in input pixels, an objectness logit, K class logits");

    /** Where the task is written in {@code camunit.json}. */
    public static final String FIELD = "task";

    private final String id;
    private final String output;

    Task(String id, String output) {
        this.id = id;
        this.output = output;
    }

    /** @return the name in {@code camunit.json}, e.g. {@code detection} */
    public String id() {
        return id;
    }

    /** @return what the model's output is for this task, for messages and {@code camunit layers} */
    public String output() {
        return output;
    }

    /** @return true for {@link #DETECTION} */
    public boolean isDetection() {
        return this == DETECTION;
    }

    /**
     * @param id a task name as in {@code camunit.json}
     * @return the task
     * @throws CamunitException for an unknown name, listing the known ones
     */
    public static Task parse(String id) {
        for (Task t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new CamunitException("Unknown task '" + id + "'; expected one of " + known() + ".");
    }

    /** @return the known names, e.g. {@code classification|segmentation|detection} */
    public static String known() {
        return Arrays.stream(values()).map(Task::id).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
