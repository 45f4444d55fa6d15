package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.camunit.CamunitException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    private CamunitException openFails(Path path) {
        return (CamunitException) catchThrowable(() -> DatasetFormats.open(path));
    }

    private Path csv(String text) {
        return write(dir.resolve("manifest.csv"), text);
    }

    private Path json(String text) {
        return write(dir.resolve("manifest.json"), text);
    }

    @Test
    void theFixtureCsvHasTheCocoSamplesWithTheirObjectMasks() {
        LabeledDataset csv = DatasetFormats.open(ShapesFixture.TEST.resolve("manifest.csv"));
        LabeledDataset coco = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json"));
        assertThat(csv.size()).isEqualTo(60);
        assertThat(csv.classes()).containsExactlyInAnyOrder("circle", "square", "triangle", "star");
        for (int i = 0; i < csv.size(); i++) {
            LabeledSample m = csv.samples().get(i);
            LabeledSample c = coco.samples().get(i);
            assertThat(m.id()).isEqualTo(c.id());
            assertThat(m.imagePath()).isEqualTo(c.imagePath());
            assertThat(m.width()).as("size read from the image header").isEqualTo(c.width());
            assertThat(m.height()).isEqualTo(c.height());
            assertThat(m.objects()).extracting(LabeledObject::label).isEqualTo(c.labels().size() == 1
                    ? java.util.Collections.nCopies(c.objects().size(), c.label()) : c.labels());
            for (int k = 0; k < m.objects().size(); k++) {
                assertThat(m.objects().get(k).region()).isInstanceOf(MaskFile.class);
                assertThat(m.objects().get(k).region().toMask(m.width(), m.height()))
                        .isEqualTo(ShapesFixture.objectMask(ShapesFixture.TEST, m, k));
            }
        }
    }

    @Test
    void preferringBoxesGivesTheManifestBoxes() throws IOException {
        List<LabeledObject> objects = DatasetFormats.open(ShapesFixture.TEST.resolve("manifest.csv"),
                DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).build()).stream()
                .flatMap(s -> s.objects().stream()).toList();
        List<String> rows = Files.readAllLines(ShapesFixture.TEST.resolve("manifest.csv"));
        assertThat(objects).hasSize(rows.size() - 1);
        for (int i = 1; i < rows.size(); i++) {
            String[] f = rows.get(i).split(",");
            double[] b = java.util.Arrays.stream(f[2].split(";")).mapToDouble(Double::parseDouble).toArray();
            assertThat(objects.get(i - 1)).isEqualTo(new LabeledObject(f[1], Box.coco(b[0], b[1], b[2], b[3])));
        }
    }

    @Test
    void aJsonManifestOfPaletteMasksGivesEachImagesClassRegion() throws IOException {
        Files.createSymbolicLink(dir.resolve("images"), ShapesFixture.TEST.resolve("images").toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("masks"), ShapesFixture.TEST.resolve("masks").toAbsolutePath());
        LabeledDataset coco = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json"));
        StringBuilder entries = new StringBuilder("[\n");
        for (LabeledSample s : coco) {
            entries.append(entries.length() > 2 ? ",\n" : "").append("{\"image\": \"").append(s.id())
                    .append("\", \"label\": \"").append(s.label()).append("\", \"mask\": \"masks/")
                    .append(ShapesFixture.stem(s)).append(".png\"}");
        }
        Path file = json(entries.append("\n]").toString());
        LabeledDataset palette = DatasetFormats.open(file,
                DatasetOptions.builder().optClassNames(ShapesFixture.CLASSES).build());
        assertThat(palette.classes()).isEqualTo(ShapesFixture.CLASSES);
        assertThat(palette.samples()).extracting(LabeledSample::id).isEqualTo(coco.samples().stream()
                .map(LabeledSample::id).toList());
        for (LabeledSample s : palette) {
            Mask union = Mask.empty(s.width(), s.height());
            LabeledSample c = coco.samples().get(palette.samples().indexOf(s));
            for (int k = 0; k < c.objects().size(); k++) {
                union = union.or(ShapesFixture.objectMask(ShapesFixture.TEST, c, k));
            }
            assertThat(s.label()).isEqualTo(c.label());
            assertThat(s.mask()).as(s.id()).isEqualTo(union);
        }
        LabeledSample first = DatasetFormats.open(file).samples().get(0);
        assertThatThrownBy(first::mask).isInstanceOf(CamunitException.class)
                .hasMessageContaining("masks/0001.png (manifest.json [0]) is a palette (indexed) PNG")
                .hasMessageContaining("no class list was given");
    }

    @Test
    void quotedValuesMayHoldCommasAndQuotesAndCrLfAndABomAreAccepted() {
        Path file = csv("\uFEFFimage,label,box,width,height\r\n\"a,\"\"1\"\".png\",cat,1;1;2;2,10,8\r\n"
                + "b.png,dog, 0 ; 0 ; 10 ; 8 ,10,8\r\n\r\n");
        LabeledDataset data = DatasetFormats.open(file);
        assertThat(data.samples()).extracting(LabeledSample::id).containsExactly("a,\"1\".png", "b.png");
        assertThat(data.samples().get(1).objects().get(0).region()).isEqualTo(Box.coco(0, 0, 10, 8));
        assertThat(data.classes()).containsExactly("cat", "dog");
    }

    @Test
    void rowsOfOneImageFormOneSampleAndARowWithoutLabelIsAnImageWithoutObjects() {
        Path file = csv("image,label,box,mask,width,height\na.png,cat,1;1;2;2,,10,8\nb.png,,,,10,8\n"
                + "./a.png,cat,5;5;2;2,,10,8\n");
        LabeledDataset data = DatasetFormats.open(file);
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.samples().get(0).objects()).hasSize(2);
        assertThat(data.samples().get(1).objects()).isEmpty();
    }

    @Test
    void withWidthAndHeightImagesAreNotTouchedUntilRead() {
        Path file = csv("image,label,box,width,height\nmissing.png,cat,1;1;2;2,10,8\n");
        LabeledSample s = DatasetFormats.open(file).samples().get(0);
        assertThatThrownBy(s::image).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Image file " + dir.resolve("missing.png").toAbsolutePath())
                .hasMessageContaining("does not exist");
    }

    @Test
    void withoutSizesAMissingImageIsAnErrorAtOpenNamingItAndTheLine() {
        Path file = csv("image,label,box\nmissing.png,cat,1;1;2;2\n");
        assertThat(openFails(file)).hasMessageContaining("Image file " + dir.resolve("missing.png").toAbsolutePath()
                + " does not exist").hasMessageContaining("manifest.csv line 2 (the manifest has no width/height)"
                + " needs its size");
    }

    @Test
    void theImageSizeIsReadFromTheHeader() throws IOException {
        ImageIO.write(new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB), "jpg", dir.resolve("a.jpg").toFile());
        LabeledSample s = DatasetFormats.open(csv("image,label,box\na.jpg,cat,1;1;2;2\n")).samples().get(0);
        assertThat(s.width()).isEqualTo(7);
        assertThat(s.height()).isEqualTo(5);
        LabeledDataset mixed = DatasetFormats.open(csv("image,label,box,width,height\na.jpg,cat,1;1;2;2,,\n"
                + "b.png,cat,1;1;2;2,10,8\n"));
        assertThat(mixed.samples()).extracting(LabeledSample::width).containsExactly(7, 10);
        assertThat(openFails(csv("image,label,box,width,height\na.jpg,cat,1;1;2;2,7,\n")))
                .hasMessageContaining("line 2, column height: expected a whole number of pixels; found ''");
    }

    @Test
    void aMaskOfTheWrongSizeIsAnErrorNamingBothSizesAndTheLine() {
        // The fixture's mask lies outside the manifest's folder: allowed here, as for a trusted file.
        Path file = csv("image,label,mask,width,height\na.png,circle,"
                + ShapesFixture.TEST.resolve("masks/0001_0.png").toAbsolutePath() + ",10,8\n");
        LabeledSample s = DatasetFormats.open(file, DatasetOptions.builder().optAllowPathsOutsideData(true).build())
                .samples().get(0);
        assertThatThrownBy(s::mask).isInstanceOf(CamunitException.class)
                .hasMessageContaining("0001_0.png (manifest.csv line 2) is 128x96 but the labelled image is 10x8"
                        + " (WIDTHxHEIGHT)").hasMessageContaining("never resized");
    }

    // ---- CSV errors ----

    @Test
    void headerErrors() {
        assertThat(openFails(csv("image,label,bbox\n"))).hasMessageContaining("manifest.csv: line 1, column 3:"
                + " expected one of the columns image, label, box, mask, width, height; found 'bbox'");
        assertThat(openFails(csv("image,label\n"))).hasMessageContaining("manifest.csv: line 1: expected a header"
                + " with image, label and box or mask");
        assertThat(openFails(csv("image,label,box,box\n"))).hasMessageContaining("line 1, column 4: expected each"
                + " column once; found 'box' twice");
        assertThat(openFails(csv("image,label,box,width\n"))).hasMessageContaining("expected both width and height"
                + " columns, or neither");
        assertThat(openFails(csv(""))).hasMessageContaining("line 1: expected a header line image,label,box,mask;"
                + " found an empty file");
    }

    @Test
    void boxErrors() {
        String head = "image,label,box,width,height\n";
        assertThat(openFails(csv(head + "a.png,cat,1;1;2,10,8\n"))).hasMessageContaining("manifest.csv: line 2,"
                + " column box: expected 4 numbers x;y;w;h (COCO convention: left, top, width, height); found"
                + " '1;1;2'");
        assertThat(openFails(csv(head + "a.png,cat,1;1;two;2,10,8\n"))).hasMessageContaining("found '1;1;two;2'");
        assertThat(openFails(csv(head + "a.png,cat,NaN;1;2;2,10,8\n"))).hasMessageContaining("line 2, column box:"
                + " expected finite pixel coordinates within +-1000000; found 'NaN;1;2;2'");
        assertThat(openFails(csv(head + "a.png,cat,1;1;1e30;2,10,8\n"))).hasMessageContaining("found '1;1;1e30;2'");
        assertThat(openFails(csv(head + "a.png,cat,1;1;0;2,10,8\n"))).hasMessageContaining("line 2, column box:"
                + " expected a box with positive width and height; found '1;1;0;2' (w = 0, h = 2)");
        assertThat(openFails(csv(head + "a.png,cat,-5;1;2;2,10,8\n"))).hasMessageContaining("expected a box inside"
                + " the 10x8 image");
    }

    @Test
    void rowErrors() {
        String head = "image,label,box,mask,width,height\n";
        assertThat(openFails(csv(head + "a.png,,1;1;2;2,,10,8\n"))).hasMessageContaining("manifest.csv: line 2, column label:"
                + " expected a label for the box or mask; found an empty label");
        assertThat(openFails(csv(head + "a.png,cat,,,10,8\n"))).hasMessageContaining("line 2: expected a box or a"
                + " mask for the object 'cat'; found neither");
        assertThat(openFails(csv(head + "a.png,cat,1;1;2;2\n"))).hasMessageContaining("line 2: expected 6 fields"
                + " like the header; found 3 fields. Quote values that contain commas");
        assertThat(openFails(csv(head + ",cat,1;1;2;2,,10,8\n"))).hasMessageContaining("line 2, column image:"
                + " expected an image path; found an empty value");
        assertThat(openFails(csv(head + "\"a.png,cat,1;1;2;2,,10,8\n"))).hasMessageContaining("line 2: expected a"
                + " closing quote; found the end of the file");
        assertThat(openFails(csv(head + "a.png,cat,1;1;2;2,,ten,8\n"))).hasMessageContaining("line 2, column width:"
                + " expected a whole number of pixels; found 'ten'");
        assertThat(openFails(csv(head + "a.png,cat,1;1;2;2,,10,8\na.png,cat,1;1;2;2,,12,8\n")))
                .hasMessageContaining("line 3: expected the size 10x8 given for a.png at line 2; found 12x8");
    }

    @Test
    void labelsMustBeAmongExplicitClassNames() {
        Path file = csv("image,label,box,width,height\na.png,sqaure,1;1;2;2,10,8\n");
        assertThatThrownBy(() -> DatasetFormats.open(file, DatasetOptions.builder()
                .optClassNames(ShapesFixture.CLASSES).build())).isInstanceOf(CamunitException.class)
                .hasMessageContaining("line 2, column label: expected one of the class names [circle, square, triangle,"
                        + " star]; found 'sqaure'");
    }

    // ---- JSON manifest ----

    @Test
    void aJsonManifestReadsBoxesMasksAndSizes() {
        Path file = json("[{\"image\": \"a.png\", \"label\": \"cat\", \"box\": [1, 1, 2, 2], \"width\": 10,"
                + " \"height\": 8}, {\"image\": \"b.png\", \"width\": 4, \"height\": 4}]");
        LabeledDataset data = DatasetFormats.open(file);
        assertThat(data.samples()).extracting(LabeledSample::id).containsExactly("a.png", "b.png");
        assertThat(data.samples().get(0).objects()).containsExactly(new LabeledObject("cat", Box.coco(1, 1, 2, 2)));
        assertThat(data.samples().get(1).objects()).isEmpty();
    }

    @Test
    void jsonManifestErrors() {
        assertThat(openFails(json("[{\"image\": \"a.png\", \"label\": \"cat\", \"bbox\": [1, 1, 2, 2]}]")))
                .hasMessageContaining("manifest.json: [0].bbox: expected only the fields image, label, box, mask,"
                        + " width, height; found a field \"bbox\". Rename or remove the field");
        assertThat(openFails(json("[{\"label\": \"cat\", \"box\": [1, 1, 2, 2]}]")))
                .hasMessageContaining("[0].image: expected a field \"image\"");
        assertThat(openFails(json("[{\"image\": \"a.png\", \"label\": \"cat\", \"box\": \"1;1;2;2\"}]")))
                .hasMessageContaining("[0].box: expected a JSON array; found the string \"1;1;2;2\"");
        assertThat(openFails(json("[{\"image\": \"a.png\", \"label\": \"cat\", \"box\": [1, 1, 2]}]")))
                .hasMessageContaining("[0].box: expected 4 numbers [x, y, w, h]");
        assertThat(openFails(json("[{\"image\": \"a.png\", \"width\": 10}]")))
                .hasMessageContaining("[0]: expected both width and height, or neither; found only width");
        assertThat(openFails(json("[{\"image\": \"a.png\", \"label\": \"cat\", \"box\": [1, 1, 0, 2], \"width\": 10,"
                + " \"height\": 8}]"))).hasMessageContaining("[0].box: expected a box with positive width and height;"
                + " found [1,1,0,2]");
        assertThat(openFails(json("[\"a.png\"]"))).hasMessageContaining("[0]: expected a JSON object; found the"
                + " string \"a.png\"");
    }

    @Test
    void anEmptyManifestIsAnEmptyDataSet() {
        assertThat(DatasetFormats.open(csv("image,label,box\n")).size()).isZero();
        assertThat(DatasetFormats.open(json("[]")).size()).isZero();
        assertThat(DatasetFormats.open(json("[]")).classes()).isEqualTo(List.of());
    }

    @Test
    void imagesAndMasksOutsideTheManifestsFolderAreRefusedUnlessAllowed() {
        assertThat(openFails(csv("image,label,box,width,height\n/etc/hosts,circle,1;1;2;2,10,8\n")))
                .hasMessageContaining("manifest.csv: line 2, column image: expected a path inside the data folder")
                .hasMessageContaining("found '/etc/hosts', an absolute path")
                .hasMessageContaining("DatasetOptions.builder().optAllowPathsOutsideData(true)");
        Path climbing = csv("image,label,mask,width,height\na.png,circle,../masks/a.png,10,8\n");
        assertThat(openFails(climbing)).hasMessageContaining("line 2, column mask: expected a path inside the data"
                + " folder").hasMessageContaining("found '../masks/a.png', which leads out of it");
        assertThat(DatasetFormats.open(climbing, DatasetOptions.builder().optAllowPathsOutsideData(true).build())
                .size()).isEqualTo(1);
    }
}
