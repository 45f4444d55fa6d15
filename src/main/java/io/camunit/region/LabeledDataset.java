package io.camunit.region;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A labelled data set read from the files users already have: COCO instances JSON, Pascal VOC
 * XML, YOLO txt, PNG masks or a CSV/JSON manifest. Annotations are read when the data set is
 * opened; images and mask files are read only when a sample asks for them, so a data set of any
 * size streams in constant memory.
 *
 * <pre>{@code
 * LabeledDataset data = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json"));
 * try (Stream<LabeledSample> samples = data.stream()) {
 *     samples.filter(s -> s.label().equals("square")).forEach(...);
 * }
 * }</pre>
 */
public interface LabeledDataset extends Iterable<LabeledSample> {

    /**
     * Opens a data set, recognising its format from the path: a {@code .json} COCO file or JSON
     * manifest, a {@code .csv} manifest, a Pascal VOC directory (with {@code Annotations/} or
     * {@code *.xml}) or a YOLO directory (with {@code labels/}). Images are found relative to it.
     *
     * @param path the annotation file or directory
     * @return the data set
     * @throws io.camunit.CamunitException when the path is missing or its format is not recognised
     *     or malformed (the message names the file and field)
     */
    static LabeledDataset open(Path path) {
        return DatasetFormats.open(path);
    }

    /** @return the file or directory the data set was read from */
    Path source();

    /** @return the class names the annotations define, in their order */
    List<String> classes();

    /** @return the samples, in the order of the annotation file */
    List<LabeledSample> samples();

    /**
     * @return the samples as per-class items ({@link LabeledSample#perClass()}): one per image and
     *     labelled class, the unit of the pointing game; a data set of one class per image gives
     *     its samples unchanged
     */
    default List<LabeledSample> perClassSamples() {
        return LabeledSample.perClass(samples());
    }

    /**
     * @return the samples as per-object items ({@link LabeledSample#perObject()}): one per labelled
     *     object, with ids {@code <image>#<index>}, the unit a detector is explained and gated on
     */
    default List<LabeledSample> perObjectSamples() {
        return LabeledSample.perObject(samples());
    }

    /** @return the samples as a stream */
    default Stream<LabeledSample> stream() {
        return samples().stream();
    }

    @Override
    default Iterator<LabeledSample> iterator() {
        return samples().iterator();
    }

    /** @return the number of samples */
    default int size() {
        return samples().size();
    }
}
