package io.camunit.region;

import io.camunit.CamunitException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DatasetFormats} reads a data set. The defaults suit most files; each option is
 * documented with the formats it affects.
 *
 * <pre>{@code
 * DatasetOptions options = DatasetOptions.builder()
 *         .optPrefer(DatasetOptions.Prefer.BOX)                       // boxes even where masks exist
 *         .optClassNames(List.of("circle", "square", "triangle", "star"))
 *         .optMaskThreshold(0)                                        // any non-zero grey is inside
 *         .build();
 * LabeledDataset data = DatasetFormats.open(Path.of("labels.csv"), options);
 * }</pre>
 *
 * @param prefer which region an object gets when it has both a box and a segmentation
 * @param classNames the class list, or empty to take it from the annotations. When given, it is
 *     the data set's {@link LabeledDataset#classes()}; YOLO class ids and palette mask indices are
 *     looked up in it (id {@code i} is {@code classNames[i]}, palette index {@code v} is
 *     {@code classNames[v - 1]}); in COCO, VOC and manifests every label must be one of them, so a
 *     misspelt label is an error rather than a new class
 * @param maskThreshold grey mask files: a pixel is inside when its 8-bit value is above this,
 *     0..254 (default 127)
 * @param includeCrowd COCO: keep {@code iscrowd: 1} annotations as objects (default true: a crowd
 *     region is still where objects are; COCO's own evaluation ignores them)
 * @param includeDifficult Pascal VOC: keep objects marked {@code <difficult>1</difficult>} (default
 *     true: they are real objects a model may rightly look at; dropping them would count those
 *     pixels as background)
 * @param imageDirectory the directory image paths are relative to, instead of the annotation
 *     file's directory (COCO, manifests), the VOC search order, or {@code images/} (YOLO); empty for
 *     those defaults. Useful for COCO's own layout, where {@code file_name} is relative to
 *     {@code val2017/} beside the {@code annotations/} folder
 * @param allowPathsOutsideData whether an annotation file may name files outside its data folder (default
 *     false). The data folder is the image directory when given, else the folder of the annotation file
 *     (COCO, manifests) or the folder holding the VOC {@code Annotations/} directory; by default an
 *     absolute {@code file_name}, {@code image} or {@code mask}, or one that climbs out with {@code ..}, is
 *     refused naming the file and the field, so that an annotation file cannot make camunit read
 *     arbitrary files. The check is on the path as written (symbolic links inside the folder are followed)
 */
public record DatasetOptions(Prefer prefer, List<String> classNames, int maskThreshold, boolean includeCrowd,
        boolean includeDifficult, Optional<Path> imageDirectory, boolean allowPathsOutsideData) {

    /** Which region an object gets when its annotation has both. */
    public enum Prefer {
        /** The segmentation (polygon, RLE or mask file) where present, else the box. The default. */
        SEGMENTATION,
        /** The box where present, else the segmentation. */
        BOX
    }

    /** Checks the values. */
    public DatasetOptions {
        Objects.requireNonNull(prefer, "prefer");
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(imageDirectory, "imageDirectory");
        if (new HashSet<>(classNames).size() != classNames.size()) {
            throw new CamunitException("Class names must be distinct; got " + classNames);
        }
        for (String c : classNames) {
            if (c.isBlank()) {
                throw new CamunitException("Class names must not be blank; got " + classNames);
            }
        }
        if (maskThreshold < 0 || maskThreshold > 254) {
            throw new CamunitException("The mask threshold must be 0..254 (a pixel is inside when its 8-bit value"
                    + " is above it); got " + maskThreshold);
        }
    }

    /** @return segmentation where present, class names from the annotations, threshold 127, all objects */
    public static DatasetOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.prefer = prefer;
        b.classNames = classNames;
        b.maskThreshold = maskThreshold;
        b.includeCrowd = includeCrowd;
        b.includeDifficult = includeDifficult;
        b.imageDirectory = imageDirectory.orElse(null);
        b.allowPathsOutsideData = allowPathsOutsideData;
        return b;
    }

    /**
     * Builds {@link DatasetOptions}; every option is optional ({@code opt*}) and returns the builder;
     * {@link #build()} copies them.
     *
     * <pre>{@code
     * DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).optAllowPathsOutsideData(true).build();
     * }</pre>
     */
    public static final class Builder {
        private Prefer prefer = Prefer.SEGMENTATION;
        private List<String> classNames = List.of();
        private int maskThreshold = MaskFile.DEFAULT_THRESHOLD;
        private boolean includeCrowd = true;
        private boolean includeDifficult = true;
        private Path imageDirectory;
        private boolean allowPathsOutsideData;

        private Builder() {}

        /**
         * @param value boxes or segmentations first
         * @return this builder
         */
        public Builder optPrefer(Prefer value) {
            prefer = value;
            return this;
        }

        /**
         * @param value the class list, in index order
         * @return this builder
         */
        public Builder optClassNames(List<String> value) {
            classNames = List.copyOf(value);
            return this;
        }

        /**
         * @param value 0..254
         * @return this builder
         */
        public Builder optMaskThreshold(int value) {
            maskThreshold = value;
            return this;
        }

        /**
         * @param value keep COCO crowd annotations
         * @return this builder
         */
        public Builder optIncludeCrowd(boolean value) {
            includeCrowd = value;
            return this;
        }

        /**
         * @param value keep VOC difficult objects
         * @return this builder
         */
        public Builder optIncludeDifficult(boolean value) {
            includeDifficult = value;
            return this;
        }

        /**
         * @param value the directory image paths are relative to, or null for the format's default
         * @return this builder
         */
        public Builder optImageDirectory(Path value) {
            imageDirectory = value;
            return this;
        }

        /**
         * @param value true to let annotation files name files outside the data folder (absolute paths,
         *     {@code ..}); only for annotation files you trust. Command line: {@code --allow-paths-outside-data}
         * @return this builder
         */
        public Builder optAllowPathsOutsideData(boolean value) {
            allowPathsOutsideData = value;
            return this;
        }

        /** @return the options, a snapshot of this builder */
        public DatasetOptions build() {
            return new DatasetOptions(prefer, classNames, maskThreshold, includeCrowd, includeDifficult,
                    Optional.ofNullable(imageDirectory), allowPathsOutsideData);
        }
    }
}
