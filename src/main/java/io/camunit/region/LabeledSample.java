package io.camunit.region;

import io.camunit.CamunitException;
import io.camunit.model.InputImage;
import io.camunit.model.ImageSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An image with its ground truth: the labelled objects (class and region each), and optionally a
 * region that must not be looked at (e.g. a known watermark). Regions are in pixels of this image,
 * whose size is recorded here; the image itself is read only when asked for.
 *
 * <pre>{@code
 * LabeledSample s = ...;                 // from a LabeledDataset
 * s.label();                             // "square": the class all objects share
 * s.region();                            // the union of all objects
 * s.region("square");                    // only the squares
 * InputImage pixels = s.image();
 * s.perClass();                          // one item per labelled class (the pointing game's unit)
 * s.perObject();                         // one item per labelled object (a detector's unit)
 * }</pre>
 *
 * @param id a unique, readable id (the image file name relative to the data set)
 * @param imagePath the image file
 * @param width the labelled image's width in pixels
 * @param height the labelled image's height in pixels
 * @param objects the labelled objects, possibly none
 * @param distractor a region the model should not rely on (e.g. a shortcut mark), if labelled
 */
public record LabeledSample(String id, Path imagePath, int width, int height, List<LabeledObject> objects,
        Optional<Region> distractor) {

    /** The {@link #classLabel()} of a sample without objects. */
    public static final String NO_CLASS = "(none)";

    /** What joins an image's id and a class in the id of a {@link #perClass()} item. */
    public static final String CLASS_SEPARATOR = "#";

    /** What joins an image's id and an object's index in the id of a {@link #perObject()} item. */
    public static final String OBJECT_SEPARATOR = "#";

    /** Copies the list and checks the size. */
    public LabeledSample {
        objects = List.copyOf(objects);
        if (width < 1 || height < 1) {
            throw new CamunitException("Sample " + id + ": image size must be positive; got " + width + "x" + height
                    + " (WIDTHxHEIGHT).");
        }
    }

    /**
     * @return the class of the sample: the label all its objects share
     * @throws CamunitException when it has no objects or objects of several classes
     */
    public String label() {
        List<String> labels = labels();
        if (labels.size() != 1) {
            throw new CamunitException("Sample " + id + " has " + (labels.isEmpty() ? "no labelled objects"
                    : "objects of several classes " + labels) + ", so it has no single label. Use perClass() for"
                    + " one item per class (the pointing game), region(label), or the objects directly.");
        }
        return labels.get(0);
    }

    /** @return the distinct labels of the objects, in order of appearance */
    public List<String> labels() {
        return objects.stream().map(LabeledObject::label).distinct().toList();
    }

    /**
     * The class a sample is counted under in per-class figures (statistics, gates, evidence):
     * its label; the labels joined with {@code +} (in order of appearance) when its objects are of
     * several classes; {@code (none)} when it has no objects.
     *
     * @return e.g. {@code square}, {@code circle+square} or {@code (none)}
     */
    public String classLabel() {
        List<String> labels = labels();
        return labels.isEmpty() ? NO_CLASS : String.join("+", labels);
    }

    /**
     * This sample as the items a per-class evaluation measures (the pointing game of Zhang et al.:
     * for every class present in an image, explain that class and look for its objects only). A
     * sample of one class, or of none, is its own single item, unchanged. A sample with objects of
     * k classes gives k items, in order of first appearance: the same image, size and distractor,
     * the objects of one class, and the id {@code <id>#<class>} (e.g. {@code images/0004.png#circle}),
     * so that every item has its own id in per-sample files, baselines and evidence.
     *
     * @return the items, each of at most one class
     */
    public List<LabeledSample> perClass() {
        List<String> labels = labels();
        if (labels.size() <= 1) {
            return List.of(this);
        }
        return labels.stream().map(label -> new LabeledSample(id + CLASS_SEPARATOR + label, imagePath, width, height,
                objects.stream().filter(o -> o.label().equals(label)).toList(), distractor)).toList();
    }

    /**
     * @param samples samples of any number of classes
     * @return their {@link #perClass()} items, in order
     */
    public static List<LabeledSample> perClass(List<LabeledSample> samples) {
        return samples.stream().flatMap(s -> s.perClass().stream()).toList();
    }

    /**
     * This sample as the items a detector is evaluated on: one per labelled object, in the order of
     * the annotations, each the same image, size and distractor with that object alone, and the id
     * {@code <id>#<index>} with the object's index from 0 (e.g. {@code images/0004.png#1}), also for
     * an image of one object, so that an object keeps its id in baselines whatever else the image
     * holds. A sample without objects gives no item: there is nothing to explain.
     *
     * @return the items, each of exactly one object
     */
    public List<LabeledSample> perObject() {
        return java.util.stream.IntStream.range(0, objects.size())
                .mapToObj(i -> new LabeledSample(id + OBJECT_SEPARATOR + i, imagePath, width, height,
                        List.of(objects.get(i)), distractor))
                .toList();
    }

    /**
     * @param samples samples of any number of objects
     * @return their {@link #perObject()} items, in order
     */
    public static List<LabeledSample> perObject(List<LabeledSample> samples) {
        return samples.stream().flatMap(s -> s.perObject().stream()).toList();
    }

    /**
     * The box of the sample's one object in pixels of an input of {@code inputWidth x inputHeight} the
     * image is resized to: the object's box ({@link LabeledObject#box}) scaled by
     * {@code inputWidth / width} and {@code inputHeight / height}. This is what a detector's box target
     * ({@code Target.box}) is matched against.
     *
     * @param inputWidth the model input's width
     * @param inputHeight the model input's height
     * @return the box in input pixels
     * @throws CamunitException when the sample does not have exactly one object
     */
    public Box objectBoxAt(int inputWidth, int inputHeight) {
        if (objects.size() != 1) {
            throw new CamunitException("Sample " + id + " has " + objects.size() + " labelled objects, but a detector"
                    + " explains one object at a time. Use perObject() (LabeledDataset.perObjectSamples(),"
                    + " @LabeledSamples(perObject = true)) for one item per object.");
        }
        Box b = objects.get(0).box(width, height);
        double sx = (double) inputWidth / width;
        double sy = (double) inputHeight / height;
        return Box.coco(b.x() * sx, b.y() * sy, b.width() * sx, b.height() * sy);
    }

    /** @return the union of all objects' regions (empty when there are none) */
    public Region region() {
        return Region.union(objects.stream().map(LabeledObject::region).toList());
    }

    /**
     * @param label a class name
     * @return the union of the regions of that class
     */
    public Region region(String label) {
        return Region.union(objects.stream().filter(o -> o.label().equals(label)).map(LabeledObject::region).toList());
    }

    /** @return the pixels of {@link #region()} at this image's size */
    public Mask mask() {
        return region().toMask(width, height);
    }

    /**
     * Reads the image file.
     *
     * @return the image, with this sample's id
     * @throws CamunitException when it is missing, unreadable, or not of the labelled size
     */
    public InputImage image() {
        if (!Files.isRegularFile(imagePath)) {
            throw new CamunitException("Image file " + imagePath + " of sample " + id + " does not exist or is not a"
                    + " file. Image paths are relative to the annotation file (see DatasetFormats for each format's"
                    + " search order); put the image there, fix the path, or set DatasetOptions.builder().optImageDirectory(...).");
        }
        InputImage read = InputImage.read(imagePath);
        if (read.width() != width || read.height() != height) {
            throw new CamunitException("Image " + imagePath + " is " + ImageSize.format(read.width(), read.height())
                    + " but its annotations say " + ImageSize.format(width, height) + " (sample " + id + "). Regions are in"
                    + " pixels of the labelled image; fix the annotation or use the image that was labelled.");
        }
        return read.withId(id);
    }

    @Override
    public String toString() {
        return id;
    }
}
