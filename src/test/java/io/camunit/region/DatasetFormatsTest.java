package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFormatsTest {

    @TempDir
    Path dir;

    private static String format(LabeledDataset d) {
        return ((Dataset) d).format();
    }

    @Test
    void theFormatIsRecognisedFromThePath() {
        assertThat(format(LabeledDataset.open(ShapesFixture.TEST.resolve("coco.json")))).isEqualTo("COCO");
        assertThat(format(LabeledDataset.open(ShapesFixture.TEST.resolve("manifest.csv")))).isEqualTo("CSV manifest");
        assertThat(format(LabeledDataset.open(ShapesFixture.TEST.resolve("voc")))).isEqualTo("Pascal VOC");
        assertThat(format(LabeledDataset.open(ShapesFixture.TEST.resolve("voc/0001.xml")))).isEqualTo("Pascal VOC");
        assertThat(format(LabeledDataset.open(write(dir.resolve("m.json"), "[]")))).isEqualTo("JSON manifest");
    }

    @Test
    void theDataSetKnowsItsSourceAndIteratesItsSamples() {
        LabeledDataset data = LabeledDataset.open(ShapesFixture.VAL.resolve("coco.json"));
        assertThat(data.source()).isEqualTo(ShapesFixture.VAL.resolve("coco.json"));
        assertThat(data).hasSize(24);
        assertThat(data.stream().count()).isEqualTo(24);
        assertThat(data.toString()).isEqualTo("COCO data set " + ShapesFixture.VAL.resolve("coco.json")
                + " (24 samples, classes [circle, square, triangle, star])");
    }

    @Test
    void aMissingPathIsAnError() {
        assertThatThrownBy(() -> DatasetFormats.open(dir.resolve("gone"))).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Data set " + dir.resolve("gone") + " does not exist. Expected a COCO .json"
                        + " file, a manifest (.csv or .json), a Pascal VOC directory or .xml file, or a YOLO"
                        + " directory; check the path");
    }

    @Test
    void anUnknownFileTypeIsAnError() {
        Path file = write(dir.resolve("labels.parquet"), "PAR1");
        assertThatThrownBy(() -> DatasetFormats.open(file)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Unknown data set format: " + file)
                .hasMessageContaining("found a file named 'labels.parquet'");
    }

    @Test
    void aDirectoryOfNoKnownLayoutIsAnErrorListingWhatItHolds() throws IOException {
        write(dir.resolve("coco.json"), "{}");
        Files.createDirectories(dir.resolve("images"));
        assertThatThrownBy(() -> DatasetFormats.open(dir)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Unknown data set format: directory " + dir + " has no Annotations/ or *.xml"
                        + " (Pascal VOC) and no labels/ (YOLO); found [coco.json, images/]")
                .hasMessageContaining("Pass the annotation file itself");
    }

    @Test
    void jsonOfAnotherKindIsAnError() {
        Path file = write(dir.resolve("captions.json"), "{\"images\": [], \"annotations\": []}");
        assertThatThrownBy(() -> DatasetFormats.open(file)).isInstanceOf(CamunitException.class)
                .hasMessageContaining(file + ": expected a COCO instances object (with images, annotations and"
                        + " categories) or a manifest array").hasMessageContaining("found an object with fields"
                        + " [images, annotations]");
        Path empty = write(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> DatasetFormats.open(empty)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("found an empty document");
        Path number = write(dir.resolve("n.json"), "42");
        assertThatThrownBy(() -> DatasetFormats.open(number)).isInstanceOf(CamunitException.class)
                .hasMessageContaining("found the number 42");
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> DatasetOptions.builder().optMaskThreshold(255).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("0..254").hasMessageContaining("got 255");
        assertThatThrownBy(() -> DatasetOptions.builder().optClassNames(List.of("a", "b", "a")).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("distinct; got [a, b, a]");
        assertThatThrownBy(() -> DatasetOptions.builder().optClassNames(List.of("a", " ")).build())
                .isInstanceOf(CamunitException.class).hasMessageContaining("must not be blank");
        DatasetOptions o = DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).optMaskThreshold(0).build();
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(DatasetOptions.defaults()).isEqualTo(new DatasetOptions(DatasetOptions.Prefer.SEGMENTATION,
                List.of(), 127, true, true, java.util.Optional.empty(), false));
    }

    @Test
    void aManifestsMaskThresholdOptionReachesItsMaskFiles() {
        LabeledSample s = DatasetFormats.open(ShapesFixture.TEST.resolve("manifest.csv"),
                DatasetOptions.builder().optMaskThreshold(200).build()).samples().get(0);
        assertThat(((MaskFile) s.objects().get(0).region()).threshold()).isEqualTo(200);
    }
}
