package com.example.shapes;

/**
 * Where this project keeps its models and labelled images; paths are relative to the project
 * directory, where Maven runs the tests.
 *
 * <pre>{@code
 * @UseModel(ShapesFiles.CLEAN) CamModel model
 * }</pre>
 */
final class ShapesFiles {

    /** The released model: it recognises the shape by looking at it. */
    static final String CLEAN = "models/shapes-clean.pt";
    /** A model trained on images whose corner mark names the class: it looks at the mark. */
    static final String SHORTCUT = "models/shapes-shortcut.pt";
    /** 60 labelled test scenes (COCO annotations), one or two shapes each. */
    static final String TEST = "data/test/coco.json";
    /** The same scenes with the corner mark. */
    static final String TEST_MARKED = "data/test-marked/coco.json";
    /** The layer both models are explained at: the last convolutional block. */
    static final String LAYER = "features.10";

    private ShapesFiles() {}
}
