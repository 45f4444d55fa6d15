package io.camunit.region;

import static io.camunit.region.ItemScenes.CROSS;
import static io.camunit.region.ItemScenes.MARK;
import static io.camunit.region.ItemScenes.RING;
import static io.camunit.region.ItemScenes.SECOND_RING;
import static io.camunit.region.ItemScenes.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@link LabeledSample#perObject()}: the items a detector is explained on, one per labelled object. */
class PerObjectItemsTest {

    @Test
    void everyObjectIsAnItemNumberedFromZeroInAnnotationOrder() {
        LabeledSample scene = sample(new LabeledObject("ring", RING), new LabeledObject("cross", CROSS),
                new LabeledObject("ring", SECOND_RING));

        List<LabeledSample> items = scene.perObject();

        assertThat(items).extracting(LabeledSample::id)
                .containsExactly("images/000.png#0", "images/000.png#1", "images/000.png#2");
        assertThat(items).extracting(LabeledSample::label).containsExactly("ring", "cross", "ring");
        assertThat(items.get(2).objects()).containsExactly(new LabeledObject("ring", SECOND_RING));
        assertThat(items.get(2).distractor()).contains(MARK);
    }

    @Test
    void anImageOfOneObjectIsNumberedTooAndAnImageOfNoneGivesNoItem() {
        assertThat(sample(new LabeledObject("ring", RING)).perObject()).extracting(LabeledSample::id)
                .containsExactly("images/000.png#0");
        assertThat(sample().perObject()).isEmpty();
    }

    @Test
    void theObjectsBoxIsScaledToTheModelInput() {
        // 32 x 24 image, 64 x 48 input: twice as large both ways.
        Box inInput = sample(new LabeledObject("ring", RING)).perObject().get(0).objectBoxAt(64, 48);

        assertThat(inInput).isEqualTo(Box.coco(2, 2, 8, 8));
    }

    @Test
    void aMaskedObjectsBoxIsTheTightBoxOfItsPixels() {
        LabeledObject masked = new LabeledObject("ring", Box.coco(3, 4, 2, 2).toMask(32, 24));

        assertThat(masked.box(32, 24)).isEqualTo(Box.coco(3, 4, 2, 2));
    }

    @Test
    void theAnnotationsBoxComesBeforeTheBoundsOfItsOutline() {
        // A COCO square drawn as a diamond through pixel centres: its outline spans 65.5..86.5, its bbox 65..87.
        Polygon outline = Polygon.of(86.5, 55.5, 76.5, 65.5, 65.5, 55.5, 76.5, 44.5);
        LabeledObject annotated = new LabeledObject("square", outline, Optional.of(Box.coco(65, 44, 22, 22)));

        assertThat(annotated.box(96, 96)).isEqualTo(Box.coco(65, 44, 22, 22));
        assertThat(new LabeledObject("square", outline).box(96, 96)).isEqualTo(Box.coco(65.5, 44.5, 21, 21));
    }

    @Test
    void aSampleOfSeveralObjectsHasNoSingleBox() {
        LabeledSample two = sample(new LabeledObject("ring", RING), new LabeledObject("ring", SECOND_RING));

        assertThatThrownBy(() -> two.objectBoxAt(32, 24)).isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Sample images/000.png has 2 labelled objects, but a detector explains one"
                        + " object at a time. Use perObject()");
    }
}
