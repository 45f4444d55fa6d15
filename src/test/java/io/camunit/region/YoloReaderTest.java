package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.camunit.CamunitException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YoloReaderTest {

    @TempDir
    Path dir;

    private CamunitException openFails(Path path) {
        return (CamunitException) catchThrowable(() -> DatasetFormats.open(path));
    }

    private void png(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    /** A 10 x 8 image a.png with the given label lines, and classes cat, dog. */
    private Path yolo(String labels) throws IOException {
        png(dir.resolve("images/a.png"), 10, 8);
        write(dir.resolve("labels/a.txt"), labels);
        write(dir.resolve("classes.txt"), "cat\ndog\n");
        return dir;
    }

    @Test
    void aYoloDirectoryWrittenFromCocoBoxesReadsBackToTheSameBoxes() throws IOException {
        LabeledDataset coco = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json"),
                DatasetOptions.builder().optPrefer(DatasetOptions.Prefer.BOX).build());
        Files.createSymbolicLink(dir.resolve("images"), ShapesFixture.TEST.resolve("images").toAbsolutePath());
        write(dir.resolve("obj.names"), String.join("\n", coco.classes()) + "\n");
        for (LabeledSample s : coco) {
            StringBuilder lines = new StringBuilder();
            for (LabeledObject o : s.objects()) {
                Box b = (Box) o.region();
                lines.append(String.format(Locale.ROOT, "%d %.6f %.6f %.6f %.6f%n", coco.classes().indexOf(o.label()),
                        (b.x() + b.width() / 2) / s.width(), (b.y() + b.height() / 2) / s.height(),
                        b.width() / s.width(), b.height() / s.height()));
            }
            write(dir.resolve("labels").resolve(ShapesFixture.stem(s) + ".txt"), lines.toString());
        }
        LabeledDataset yolo = DatasetFormats.open(dir);
        assertThat(yolo.classes()).isEqualTo(coco.classes());
        assertThat(yolo.size()).isEqualTo(coco.size());
        for (int i = 0; i < coco.size(); i++) {
            LabeledSample c = coco.samples().get(i);
            LabeledSample y = yolo.samples().get(i);
            assertThat(y.id()).isEqualTo(c.id());
            assertThat(y.width()).isEqualTo(c.width());
            assertThat(y.height()).isEqualTo(c.height());
            assertThat(y.objects()).hasSameSizeAs(c.objects());
            for (int k = 0; k < c.objects().size(); k++) {
                Box expected = (Box) c.objects().get(k).region();
                Box got = (Box) y.objects().get(k).region();
                assertThat(y.objects().get(k).label()).isEqualTo(c.objects().get(k).label());
                // Six decimals of a fraction of at most 128 px: within 1e-4 px.
                assertThat(got.x()).isCloseTo(expected.x(), within(1e-4));
                assertThat(got.y()).isCloseTo(expected.y(), within(1e-4));
                assertThat(got.width()).isCloseTo(expected.width(), within(1e-4));
                assertThat(got.height()).isCloseTo(expected.height(), within(1e-4));
                assertThat(got.toMask(y.width(), y.height())).isEqualTo(expected.toMask(c.width(), c.height()));
            }
        }
    }

    @Test
    void classNamesComeFromClassesTxtObjNamesOrLabelsClassesTxtOrTheOptions() throws IOException {
        png(dir.resolve("images/a.png"), 10, 8);
        write(dir.resolve("labels/a.txt"), "1 0.5 0.5 0.2 0.25\n");
        write(dir.resolve("labels/classes.txt"), "x\ny\n");
        assertThat(DatasetFormats.open(dir).samples().get(0).label()).isEqualTo("y");
        write(dir.resolve("obj.names"), "p\nq\n");
        assertThat(DatasetFormats.open(dir).samples().get(0).label()).isEqualTo("q");
        write(dir.resolve("classes.txt"), "cat\ndog\n");
        assertThat(DatasetFormats.open(dir).samples().get(0).label()).isEqualTo("dog");
        assertThat(DatasetFormats.open(dir, DatasetOptions.builder().optClassNames(List.of("a", "b")).build())
                .samples().get(0).label()).isEqualTo("b");
    }

    @Test
    void aBoxLineIsTheNormalisedCentreAndSize() throws IOException {
        LabeledSample s = DatasetFormats.open(yolo("0 0.5 0.5 0.2 0.25\n\n1 0.1 0.125 0.2 0.25\n")).samples().get(0);
        assertThat(s.id()).isEqualTo("images/a.png");
        assertThat(s.imagePath()).isEqualTo(dir.resolve("images/a.png").toAbsolutePath());
        assertThat(s.objects()).containsExactly(new LabeledObject("cat", Box.coco(4, 3, 2, 2)),
                new LabeledObject("dog", Box.coco(0, 0, 2, 2)));
    }

    @Test
    void aLineOfThreeOrMorePointsIsAPolygon() throws IOException {
        LabeledSample s = DatasetFormats.open(yolo("1 0.2 0.25 0.6 0.25 0.6 0.625 0.2 0.625\n")).samples().get(0);
        assertThat(s.objects().get(0).region()).isEqualTo(Polygon.of(2, 2, 6, 2, 6, 5, 2, 5));
    }

    @Test
    void imagesWithoutLabelFilesAreSamplesWithoutObjectsAndSubdirectoriesPair() throws IOException {
        yolo("0 0.5 0.5 0.2 0.25\n");
        png(dir.resolve("images/b.jpg"), 4, 4);
        png(dir.resolve("images/train/c.png"), 6, 6);
        write(dir.resolve("labels/train/c.txt"), "1 0.5 0.5 0.5 0.5\n");
        LabeledDataset data = DatasetFormats.open(dir);
        assertThat(data.samples()).extracting(LabeledSample::id).containsExactly("images/a.png", "images/b.jpg",
                "images/train/c.png");
        assertThat(data.samples().get(1).objects()).isEmpty();
        assertThat(data.samples().get(1).width()).isEqualTo(4);
        assertThat(data.samples().get(2).objects()).containsExactly(new LabeledObject("dog", Box.coco(1.5, 1.5, 3, 3)));
    }

    @Test
    void aLabelFileWithoutImageIsAnErrorAtOpenBecauseTheSizeIsInTheImage() throws IOException {
        yolo("0 0.5 0.5 0.2 0.25\n");
        write(dir.resolve("labels/lost.txt"), "0 0.5 0.5 0.2 0.25\n");
        assertThat(openFails(dir)).hasMessageContaining("YOLO label file " + dir.resolve("labels/lost.txt")
                + " has no image: expected " + dir.resolve("images/lost") + ".<ext>")
                .hasMessageContaining("Add the image or remove the label file");
    }

    @Test
    void twoImagesOfTheSameNameAreAmbiguous() throws IOException {
        yolo("");
        png(dir.resolve("images/a.jpg"), 10, 8);
        assertThat(openFails(dir)).hasMessageContaining("share the name a");
    }

    @Test
    void lineErrorsNameTheFileAndLine() throws IOException {
        Path label = dir.resolve("labels/a.txt");
        assertThat(openFails(yolo("0 0.5 0.5 0.2\n"))).hasMessageContaining(label + ": line 1: expected 'class cx cy"
                + " w h' (5 values) or a polygon").hasMessageContaining("found 4 values: '0 0.5 0.5 0.2'");
        assertThat(openFails(yolo("\n2 0.5 0.5 0.2 0.2\n"))).hasMessageContaining(label + ": line 2: expected a class"
                + " id 0..1 (classes [cat, dog]); found 2");
        assertThat(openFails(yolo("cat 0.5 0.5 0.2 0.2\n"))).hasMessageContaining("expected a class id 0..1; found"
                + " 'cat'");
        assertThat(openFails(yolo("0 0.5 half 0.2 0.2\n"))).hasMessageContaining("expected numbers normalised to the"
                + " image size (0..1); found 'half' in '0 0.5 half 0.2 0.2'");
        assertThat(openFails(yolo("0 0.5 0.5 0 0.2\n"))).hasMessageContaining("line 1: expected a box with positive"
                + " width and height; found '0 0.5 0.5 0 0.2'");
        assertThat(openFails(yolo("0 0.5 0.5 NaN 0.2\n"))).hasMessageContaining("expected finite numbers");
        assertThat(openFails(yolo("0 0.9 0.5 0.5 0.2\n"))).hasMessageContaining("line 1: expected a box inside the"
                + " 10x8 image").hasMessageContaining("in the 10x8 image: box [6.5, 3.2, 5, 1.6]");
        assertThat(openFails(yolo("0 0.1 0.1 0.5 0.1 3 3\n"))).hasMessageContaining("line 1[4]: expected vertices"
                + " inside the 10x8 image");
    }

    @Test
    void missingOrBrokenClassNamesAreErrors() throws IOException {
        png(dir.resolve("images/a.png"), 10, 8);
        write(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.25\n");
        assertThat(openFails(dir)).hasMessageContaining("YOLO directory " + dir + " has no class names: expected one"
                + " of [" + dir.resolve("classes.txt")).hasMessageContaining("DatasetOptions.builder().optClassNames");
        write(dir.resolve("classes.txt"), "cat\n\ndog\n");
        assertThat(openFails(dir)).hasMessageContaining("classes.txt: line 2: expected a class name (line n is class"
                + " n - 1); found an empty line");
        write(dir.resolve("classes.txt"), "cat\ncat\n");
        assertThat(openFails(dir)).hasMessageContaining("line 2: expected distinct class names; found 'cat' again"
                + " (line 1)");
    }

    @Test
    void aLabelsDirectoryWithoutImagesIsAnError() throws IOException {
        write(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.25\n");
        write(dir.resolve("classes.txt"), "cat\n");
        assertThat(openFails(dir)).hasMessageContaining("has labels/ but no image directory "
                + dir.resolve("images"));
    }

    @Test
    void anUnreadableImageHeaderIsAnError() throws IOException {
        write(dir.resolve("images/a.png"), "not an image");
        write(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.25\n");
        write(dir.resolve("classes.txt"), "cat\n");
        assertThat(openFails(dir)).hasMessageContaining("Image " + dir.resolve("images/a.png") + " (YOLO label file "
                + dir.resolve("labels/a.txt") + ") cannot be read: no image reader recognises its content");
    }
}
