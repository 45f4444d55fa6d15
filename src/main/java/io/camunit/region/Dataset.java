package io.camunit.region;

import java.nio.file.Path;
import java.util.List;

/** The data set every reader returns: annotations read, images and mask files not yet. */
record Dataset(Path source, String format, List<String> classes, List<LabeledSample> samples)
        implements LabeledDataset {

    Dataset {
        classes = List.copyOf(classes);
        samples = List.copyOf(samples);
    }

    @Override
    public String toString() {
        return format + " data set " + source + " (" + samples.size() + " samples, classes " + classes + ")";
    }
}
