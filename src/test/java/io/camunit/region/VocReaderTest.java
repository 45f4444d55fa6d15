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

class VocReaderTest {

    @TempDir
    Path dir;

    private static String xml(String filename, String objects) {
        return "<annotation>\n  <folder>VOC2012</folder>\n  <filename>" + filename + "</filename>\n"
                + "  <size><width>10</width><height>8</height><depth>3</depth></size>\n" + objects + "</annotation>\n";
    }

    private static String object(String name, int xmin, int ymin, int xmax, int ymax, String extra) {
        return "  <object><name>" + name + "</name>" + extra + "<bndbox><xmin>" + xmin + "</xmin><ymin>" + ymin
                + "</ymin><xmax>" + xmax + "</xmax><ymax>" + ymax + "</ymax></bndbox></object>\n";
    }

    private void png(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    private CamunitException openFails(Path path) {
        return (CamunitException) catchThrowable(() -> DatasetFormats.open(path));
    }

    @Test
    void theFixtureVocDirectoryHasTheCocoSamplesLabelsAndBoxes() {
        LabeledDataset voc = DatasetFormats.open(ShapesFixture.TEST.resolve("voc"));
        LabeledDataset coco = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json"),
                DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).build());
        assertThat(voc.size()).isEqualTo(60);
        assertThat(voc.classes()).containsExactlyInAnyOrder("circle", "square", "triangle", "star");
        for (int i = 0; i < voc.size(); i++) {
            LabeledSample v = voc.samples().get(i);
            LabeledSample c = coco.samples().get(i);
            assertThat(v.id()).isEqualTo(c.id());
            assertThat(v.imagePath()).isEqualTo(c.imagePath()).isRegularFile();
            assertThat(v.width()).isEqualTo(c.width());
            assertThat(v.height()).isEqualTo(c.height());
            assertThat(v.objects()).as(v.id()).isEqualTo(c.objects());
            assertThat(v.distractor()).isEmpty();
        }
    }

    @Test
    void theShortcutMarkElementIsTheDistractor() {
        LabeledDataset voc = DatasetFormats.open(ShapesFixture.TEST_MARKED.resolve("voc"));
        assertThat(voc.samples()).allSatisfy(s -> assertThat(s.distractor()).contains(Box.coco(2, 2, 6, 6)));
    }

    @Test
    void aVocDevkitLayoutFindsImagesInJpegImagesAndNamesSamplesByTheirPath() throws IOException {
        write(dir.resolve("Annotations/b.xml"), xml("b.png", object("cat", 1, 1, 3, 2, "")));
        write(dir.resolve("Annotations/a.xml"), xml("a.png", object("dog", 2, 3, 10, 8, "")));
        png(dir.resolve("JPEGImages/a.png"), 10, 8);
        png(dir.resolve("JPEGImages/b.png"), 10, 8);
        LabeledDataset data = DatasetFormats.open(dir);
        assertThat(data.samples()).extracting(LabeledSample::id).containsExactly("JPEGImages/a.png",
                "JPEGImages/b.png");
        assertThat(data.classes()).containsExactly("dog", "cat");
        assertThat(data.samples().get(0).objects().get(0).region()).isEqualTo(Box.coco(1, 2, 9, 6));
        assertThat(data.samples().get(1).objects().get(0).region().toMask(10, 8).area()).isEqualTo(6);
        assertThat(data.samples().get(0).image().width()).isEqualTo(10);
    }

    @Test
    void imagesAreSearchedInJpegImagesThenImagesThenBesideTheXml() throws IOException {
        Path xmlDir = dir.resolve("ann");
        write(xmlDir.resolve("x.xml"), xml("x.png", ""));
        png(xmlDir.resolve("x.png"), 10, 8);
        assertThat(DatasetFormats.open(xmlDir).samples().get(0).imagePath()).isEqualTo(
                xmlDir.resolve("x.png").toAbsolutePath());
        png(dir.resolve("images/x.png"), 10, 8);
        assertThat(DatasetFormats.open(xmlDir).samples().get(0).imagePath()).isEqualTo(
                dir.resolve("images/x.png").toAbsolutePath());
        png(dir.resolve("JPEGImages/x.png"), 10, 8);
        LabeledSample s = DatasetFormats.open(xmlDir).samples().get(0);
        assertThat(s.imagePath()).isEqualTo(dir.resolve("JPEGImages/x.png").toAbsolutePath());
        assertThat(s.id()).isEqualTo("JPEGImages/x.png");
    }

    @Test
    void aMissingImageIsAnErrorWhenReadNamingTheFirstSearchedPath() {
        write(dir.resolve("Annotations/x.xml"), xml("x.jpg", object("cat", 1, 1, 3, 2, "")));
        LabeledSample s = DatasetFormats.open(dir).samples().get(0);
        assertThat(s.objects()).hasSize(1);
        assertThatThrownBy(s::image).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Image file " + dir.resolve("JPEGImages/x.jpg").toAbsolutePath())
                .hasMessageContaining("does not exist");
    }

    @Test
    void oneXmlFileIsADataSetOfOneSample() {
        Path file = write(dir.resolve("one.xml"), xml("one.png", object("cat", 1, 1, 3, 2, "")));
        LabeledDataset data = DatasetFormats.open(file);
        assertThat(data.size()).isEqualTo(1);
        assertThat(data.samples().get(0).label()).isEqualTo("cat");
    }

    @Test
    void difficultObjectsAreKeptUnlessExcluded() {
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("cat", 1, 1, 3, 2, "<difficult>1</difficult>")
                + object("dog", 5, 5, 6, 6, "<difficult>0</difficult><truncated>1</truncated>")));
        assertThat(DatasetFormats.open(dir).samples().get(0).labels()).containsExactly("cat", "dog");
        assertThat(DatasetFormats.open(dir, DatasetOptions.builder().optIncludeDifficult(false).build()).samples()
                .get(0).labels()).containsExactly("dog");
    }

    @Test
    void partsInsideAnObjectDoNotReplaceItsNameOrBox() {
        write(dir.resolve("Annotations/x.xml"), xml("x.png", "<object><name>person</name><part><name>hand</name>"
                + "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></part>"
                + "<bndbox><xmin>3</xmin><ymin>3</ymin><xmax>6</xmax><ymax>7</ymax></bndbox></object>"));
        LabeledObject o = DatasetFormats.open(dir).samples().get(0).objects().get(0);
        assertThat(o).isEqualTo(new LabeledObject("person", Box.coco(2, 2, 4, 5)));
    }

    @Test
    void aDoctypeWithAnExternalEntityIsRefusedBeforeAnythingIsRead() throws IOException {
        Path secret = write(dir.resolve("secret.txt"), "top secret");
        Path file = write(dir.resolve("Annotations/x.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [\n"
                + "  <!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">\n]>\n"
                + xml("x.png", object("&xxe;", 1, 1, 3, 2, "")));
        CamunitException e = openFails(dir);
        assertThat(e).hasMessageContaining(file + ": line 2").hasMessageContaining("found a DOCTYPE declaration")
                .hasMessageContaining("XXE").hasMessageContaining("remove the <!DOCTYPE ...>")
                .hasMessageNotContaining("top secret");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void anInternalEntityExpansionIsRefusedToo() {
        write(dir.resolve("Annotations/x.xml"), "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
                + xml("x.png", object("&lol2;", 1, 1, 3, 2, "")));
        assertThat(openFails(dir)).hasMessageContaining("found a DOCTYPE declaration");
    }

    @Test
    void malformedXmlIsAnErrorWithItsPosition() {
        Path file = write(dir.resolve("Annotations/x.xml"), "<annotation><filename>x.png</filename>\n<size>");
        assertThat(openFails(dir)).hasMessageContaining(file + ": line 2").hasMessageContaining("expected well-formed"
                + " XML; found a syntax error");
    }

    @Test
    void missingElementsAreNamedWithTheirPath() {
        Path file = write(dir.resolve("Annotations/x.xml"), xml("x.png", "<object><name>cat</name></object>"));
        assertThat(openFails(dir)).hasMessageContaining(file + ": annotation.object[0].bndbox: expected an element"
                + " <bndbox>; found none in <object>. Add it; it is required");
        write(dir.resolve("Annotations/x.xml"), "<annotation><size><width>10</width><height>8</height></size>"
                + "</annotation>");
        assertThat(openFails(dir)).hasMessageContaining("annotation.filename: expected an element <filename>");
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("", 1, 1, 3, 2, "")));
        assertThat(openFails(dir)).hasMessageContaining("annotation.object[0].name: expected a value; found an empty"
                + " element");
    }

    @Test
    void badNumbersAndBoxesAreErrors() {
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("cat", 1, 1, 3, 2, "").replace(
                "<xmax>3</xmax>", "<xmax>three</xmax>")));
        assertThat(openFails(dir)).hasMessageContaining("annotation.object[0].bndbox.xmax: expected a number; found"
                + " 'three'");
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("cat", 5, 1, 3, 2, "")));
        assertThat(openFails(dir)).hasMessageContaining("annotation.object[0].bndbox: expected xmin <= xmax and ymin"
                + " <= ymax").hasMessageContaining("found xmin 5, ymin 1, xmax 3, ymax 2 (1-based, inclusive)");
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("cat", 1, 1, 30, 2, "")));
        assertThat(openFails(dir)).hasMessageContaining("annotation.object[0].bndbox: expected a box inside the 10x8"
                + " image");
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("cat", 1, 1, 3, 2, "<difficult>yes</difficult>")));
        assertThat(openFails(dir)).hasMessageContaining("annotation.object[0].difficult: expected 0 or 1; found 'yes'");
        write(dir.resolve("Annotations/x.xml"), xml("x.png", "").replace("<width>10</width>", "<width>0</width>"));
        assertThat(openFails(dir)).hasMessageContaining("annotation.size.width: expected a whole number of pixels from"
                + " 1 to 1000000; found '0'");
    }

    @Test
    void anotherRootElementIsNotAVocAnnotation() {
        Path file = write(dir.resolve("Annotations/x.xml"), "<svg></svg>");
        assertThat(openFails(dir)).hasMessageContaining(file + ": expected the root element <annotation> of a Pascal"
                + " VOC file; found <svg>");
    }

    @Test
    void labelsMustBeAmongExplicitClassNames() {
        write(dir.resolve("Annotations/x.xml"), xml("x.png", object("dgo", 1, 1, 3, 2, "")));
        assertThatThrownBy(() -> DatasetFormats.open(dir, DatasetOptions.builder().optClassNames(List.of("cat", "dog"))
                .build())).isInstanceOf(CamunitException.class).hasMessageContaining("annotation.object[0].name:"
                + " expected one of the class names [cat, dog]; found 'dgo'");
    }

    @Test
    void anImageFileNameLeadingOutOfTheDataSetIsRefused() {
        Path voc = dir.resolve("voc");
        write(voc.resolve("Annotations/x.xml"), xml("../../../x.png", object("cat", 1, 1, 3, 2, "")));
        assertThat(openFails(voc)).hasMessageContaining("x.xml: annotation.filename: expected a path inside the"
                + " data folder " + voc.toAbsolutePath()).hasMessageContaining("which leads out of it");
    }
}
