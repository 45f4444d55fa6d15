package io.camunit.region;

import static io.camunit.region.ItemScenes.CROSS;
import static io.camunit.region.ItemScenes.MARK;
import static io.camunit.region.ItemScenes.RING;
import static io.camunit.region.ItemScenes.SECOND_RING;
import static io.camunit.region.ItemScenes.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link LabeledSample#perClass()}: the items of the pointing game, one per image and labelled class. */
class PerClassItemsTest {

    @Test
    void anImageOfSeveralClassesGivesOneItemPerClassInOrderOfFirstAppearance() {
        LabeledSample scene = sample(new LabeledObject("ring", RING), new LabeledObject("cross", CROSS),
                new LabeledObject("ring", SECOND_RING));

        List<LabeledSample> items = scene.perClass();

        assertThat(items).extracting(LabeledSample::id).containsExactly("images/000.png#ring", "images/000.png#cross");
        assertThat(items).extracting(LabeledSample::label).containsExactly("ring", "cross");
        assertThat(items.get(0).objects()).containsExactly(new LabeledObject("ring", RING),
                new LabeledObject("ring", SECOND_RING));
        assertThat(items.get(1).mask()).isEqualTo(CROSS.toMask(32, 24));
    }

    @Test
    void anItemKeepsTheImageItsSizeAndItsDistractor() {
        LabeledSample item = sample(new LabeledObject("ring", RING), new LabeledObject("cross", CROSS)).perClass().get(1);

        assertThat(item.imagePath()).isEqualTo(Path.of("data/images/000.png"));
        assertThat(item.width()).isEqualTo(32);
        assertThat(item.height()).isEqualTo(24);
        assertThat(item.distractor()).contains(MARK);
    }

    @Test
    void aSampleOfOneClassOrOfNoneIsItsOwnItem() {
        LabeledSample rings = sample(new LabeledObject("ring", RING), new LabeledObject("ring", SECOND_RING));
        LabeledSample empty = sample();

        assertThat(rings.perClass()).containsExactly(rings);
        assertThat(empty.perClass()).containsExactly(empty);
        assertThat(LabeledSample.perClass(List.of(rings, empty))).containsExactly(rings, empty);
    }
}
