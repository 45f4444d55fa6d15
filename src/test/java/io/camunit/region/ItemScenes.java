package io.camunit.region;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The hand-made 32 x 24 scene the per-class and per-object item tests split: two rings, a cross, a mark. */
final class ItemScenes {

    static final Box RING = Box.coco(1, 1, 4, 4);
    static final Box CROSS = Box.coco(10, 2, 3, 3);
    static final Box SECOND_RING = Box.coco(20, 20, 2, 2);
    static final Box MARK = Box.coco(0, 0, 2, 2);

    private ItemScenes() {}

    static LabeledSample sample(LabeledObject... objects) {
        return new LabeledSample("images/000.png", Path.of("data/images/000.png"), 32, 24, List.of(objects),
                Optional.of(MARK));
    }
}
