package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every format the fixture is written in describes the same samples as its COCO file. */
class FormatsAgreeTest {

    @TempDir
    Path dir;

    private static final DatasetOptions BOXES = DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).build();

    private static void sameSamples(LabeledDataset actual, LabeledDataset coco) {
        assertThat(actual.samples()).extracting(LabeledSample::id)
                .isEqualTo(coco.samples().stream().map(LabeledSample::id).toList());
        for (int i = 0; i < coco.size(); i++) {
            LabeledSample a = actual.samples().get(i);
            LabeledSample c = coco.samples().get(i);
            assertThat(a.imagePath()).as(a.id()).isEqualTo(c.imagePath());
            assertThat(a.width()).as(a.id()).isEqualTo(c.width());
            assertThat(a.height()).as(a.id()).isEqualTo(c.height());
            assertThat(a.label()).as(a.id()).isEqualTo(c.label());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "test-marked", "val"})
    void vocGivesTheCocoSamplesLabelsBoxesAndDistractors(String split) {
        Path root = ShapesFixture.ROOT.resolve(split);
        LabeledDataset coco = DatasetFormats.open(root.resolve("coco.json"), BOXES);
        LabeledDataset voc = DatasetFormats.open(root.resolve("voc"));
        sameSamples(voc, coco);
        for (int i = 0; i < coco.size(); i++) {
            assertThat(voc.samples().get(i).objects()).isEqualTo(coco.samples().get(i).objects());
            assertThat(voc.samples().get(i).distractor()).isEqualTo(coco.samples().get(i).distractor());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "test-marked", "val"})
    void theCsvManifestGivesTheCocoSamplesLabelsAndBoxes(String split) {
        Path root = ShapesFixture.ROOT.resolve(split);
        LabeledDataset coco = DatasetFormats.open(root.resolve("coco.json"), BOXES);
        LabeledDataset csv = DatasetFormats.open(root.resolve("manifest.csv"), BOXES);
        sameSamples(csv, coco);
        for (int i = 0; i < coco.size(); i++) {
            assertThat(csv.samples().get(i).objects()).isEqualTo(coco.samples().get(i).objects());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "val"})
    void theCsvManifestsMaskFilesEqualCocosRleObjects(String split) {
        Path root = ShapesFixture.ROOT.resolve(split);
        LabeledDataset coco = DatasetFormats.open(root.resolve("coco.json"));
        LabeledDataset csv = DatasetFormats.open(root.resolve("manifest.csv"));
        int rles = 0;
        for (int i = 0; i < coco.size(); i++) {
            LabeledSample c = coco.samples().get(i);
            for (int k = 0; k < c.objects().size(); k++) {
                if (c.objects().get(k).region() instanceof Rle rle) {
                    rles++;
                    assertThat(csv.samples().get(i).objects().get(k).region().toMask(c.width(), c.height()))
                            .as("%s object %d", c.id(), k).isEqualTo(rle.toMask(c.width(), c.height()));
                }
            }
        }
        assertThat(rles).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "val"})
    void aJsonManifestOfThePaletteMasksGivesTheCocoSamplesAndTheirObjectsUnion(String split) throws IOException {
        Path root = ShapesFixture.ROOT.resolve(split).toAbsolutePath();
        Files.createSymbolicLink(dir.resolve("images"), root.resolve("images"));
        Files.createSymbolicLink(dir.resolve("masks"), root.resolve("masks"));
        LabeledDataset coco = DatasetFormats.open(root.resolve("coco.json"));
        StringBuilder json = new StringBuilder("[");
        for (LabeledSample s : coco) {
            json.append(json.length() > 1 ? ",\n" : "").append(String.format("{\"image\": \"%s\", \"label\": \"%s\","
                    + " \"mask\": \"masks/%s.png\", \"width\": %d, \"height\": %d}", s.id(), s.label(),
                    ShapesFixture.stem(s), s.width(), s.height()));
        }
        Path manifest = write(dir.resolve("palette.json"), json.append("]").toString());
        LabeledDataset palette = DatasetFormats.open(manifest,
                DatasetOptions.builder().optClassNames(ShapesFixture.CLASSES).build());
        assertThat(palette.samples()).extracting(LabeledSample::id)
                .isEqualTo(coco.samples().stream().map(LabeledSample::id).toList());
        for (int i = 0; i < coco.size(); i++) {
            LabeledSample p = palette.samples().get(i);
            LabeledSample c = coco.samples().get(i);
            assertThat(p.imagePath().toRealPath()).isEqualTo(c.imagePath().toRealPath());
            assertThat(p.label()).isEqualTo(c.label());
            Mask union = Mask.empty(c.width(), c.height());
            for (int k = 0; k < c.objects().size(); k++) {
                union = union.or(ShapesFixture.objectMask(root, c, k));
            }
            assertThat(p.mask()).as(c.id()).isEqualTo(union);
        }
        assertThat(palette.classes()).isEqualTo(List.copyOf(ShapesFixture.CLASSES));
    }
}
