package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.camunit.CamunitException;
import io.camunit.ImageBytes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Declared image sizes above the image pixel limit (50 megapixels by default): masks of that size
 * would be allocated, and width * height would overflow an int index, so they are refused where
 * they are read, naming the field; mask files declaring such sizes are refused before decoding.
 */
class AbsurdSizesTest {

    @TempDir
    Path dir;

    private CamunitException openFails(Path path) {
        Throwable t = catchThrowable(() -> LabeledDataset.open(path));
        assertThat(t).isInstanceOf(CamunitException.class);
        return (CamunitException) t;
    }

    @Test
    void aCocoImageOfAMillionByAMillionPixelsIsRefusedAtOpen() {
        Path coco = write(dir.resolve("coco.json"), "{\"categories\": [{\"id\": 1, \"name\": \"circle\"}], \"images\":"
                + " [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 1000000, \"height\": 1000000}], \"annotations\":"
                + " [{\"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0, 0, 9, 0, 9, 9]]}]}");
        assertThat(openFails(coco)).hasMessage(coco + ": images[0]: expected an image of at most 50,000,000 pixels"
                + " (width times height; system property camunit.image.maxPixels); found 1000000x1000000 ="
                + " 1,000,000,000,000 pixels. Fix the size; if the image really is that large, raise the limit with"
                + " -Dcamunit.image.maxPixels=N.");
    }

    @Test
    void aVocSizeAboveTheLimitIsRefusedAtOpen() {
        Path xml = write(dir.resolve("a.xml"), "<annotation><filename>a.png</filename><size><width>900000</width>"
                + "<height>90000</height></size></annotation>");
        assertThat(openFails(xml)).hasMessageStartingWith(xml + ": annotation.size: expected an image of at most"
                + " 50,000,000 pixels").hasMessageContaining("found 900000x90000 = 81,000,000,000 pixels");
    }

    @Test
    void manifestSizesAboveTheLimitAreRefusedAtOpen() {
        Path csv = write(dir.resolve("m.csv"), "image,label,box,mask,width,height\na.png,cat,1;1;2;2,,100000,100000\n");
        assertThat(openFails(csv)).hasMessageStartingWith(csv + ": line 2: expected an image of at most 50,000,000"
                + " pixels");
        Path json = write(dir.resolve("m.json"), "[{\"image\": \"a.png\", \"label\": \"cat\", \"box\": [1, 1, 2, 2],"
                + " \"width\": 100000, \"height\": 100000}]");
        assertThat(openFails(json)).hasMessageStartingWith(json + ": [0]: expected an image of at most 50,000,000"
                + " pixels");
    }

    @Test
    void anRleWhoseSizeOverflowsAnIntIsRefusedInsteadOfDecodedWrongly() {
        // 65536 * 65536 is 0 in int arithmetic: before the limit these counts "decoded" to a wrapped mask.
        assertThatThrownBy(() -> Rle.fromCounts(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 2}, 65536, 65536))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("RLE counts: expected an image of at most 50,000,000 pixels")
                .hasMessageContaining("found 65536x65536 = 4,294,967,296 pixels");
    }

    @Test
    void regionsAreNotRasterisedAtSizesAboveTheLimit() {
        assertThatThrownBy(() -> Polygon.of(0, 0, 10, 0, 10, 10).toMask(70000, 70000))
                .isInstanceOf(CamunitException.class)
                .hasMessage("A mask of 70000x70000 = 4,900,000,000 pixels is above the image pixel limit of"
                        + " 50,000,000 (system property camunit.image.maxPixels): the size is corrupt, or the limit"
                        + " must be raised for images this large.");
        assertThatThrownBy(() -> Box.coco(0, 0, 4, 4).toMask(70000, 70000)).isInstanceOf(CamunitException.class);
    }

    @Test
    void aMaskFileDeclaringAHugeImageIsRefusedBeforeDecoding() throws IOException {
        Path mask = Files.write(dir.resolve("bomb.png"),
                ImageBytes.png(20000, 20000, 8, ImageBytes.GREY, new byte[] {1, 2, 3}, true));
        assertThatThrownBy(() -> MaskFile.binary(mask).toMask(4, 3))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Mask file " + mask + " is 20000x20000 = 400,000,000 pixels, above the limit"
                        + " of 50,000,000 pixels. It is refused before decoding");
    }

    @Test
    void aTruncatedMaskFileIsRefusedNamingIt() throws IOException {
        byte[] rows = new byte[30 * 41];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (byte) (i % 41 == 0 ? 0 : i * 31);
        }
        byte[] whole = ImageBytes.png(40, 30, 8, ImageBytes.GREY, rows);
        Path mask = Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> MaskFile.binary(mask).toMask(40, 30))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Mask file " + mask + " cannot be read: IIOException: Error reading PNG image"
                        + " data.");
    }

    @Test
    void aTruncatedVocFileIsRefusedWithItsPosition() {
        String whole = "<annotation><filename>a.png</filename><size><width>8</width><height>6</height></size>"
                + "<object><name>cat</name><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>4</xmax><ymax>4</ymax></bndbox>"
                + "</object></annotation>";
        Path xml = write(dir.resolve("cut.xml"), whole.substring(0, whole.length() / 2));
        assertThat(openFails(xml)).hasMessageStartingWith(xml + ": line 1, column ")
                .hasMessageContaining("expected well-formed XML; found a syntax error: XML document structures must"
                        + " start and end within the same entity.");
    }

    @Test
    void aYoloImageDeclaringAHugeSizeIsRefusedFromItsHeaderAtOpen() throws IOException {
        Files.createDirectories(dir.resolve("yolo/images"));
        Files.createDirectories(dir.resolve("yolo/labels"));
        Files.write(dir.resolve("yolo/images/a.png"),
                ImageBytes.png(10000, 10000, 8, ImageBytes.GREY, new byte[] {1}, true));
        write(dir.resolve("yolo/labels/a.txt"), "0 0.5 0.5 0.1 0.1\n");
        write(dir.resolve("yolo/classes.txt"), "cat\n");
        assertThat(openFails(dir.resolve("yolo"))).hasMessageContaining("is 10000x10000 = 100,000,000 pixels,"
                + " above the limit");
        assertThat(List.of(dir.resolve("yolo/images/a.png"))).allMatch(Files::isRegularFile);
    }

    @Test
    void anImageOfAnotherSizeThanItsAnnotationSaysIsRefusedWhenRead() throws IOException {
        Files.write(dir.resolve("a.png"), ImageBytes.png(6, 4, 8, ImageBytes.GREY, null));
        Path coco = write(dir.resolve("coco.json"), "{\"categories\": [{\"id\": 1, \"name\": \"cat\"}], \"images\":"
                + " [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 8, \"height\": 4}], \"annotations\":"
                + " [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 2, 2]}]}");
        LabeledSample s = LabeledDataset.open(coco).samples().get(0);
        assertThatThrownBy(s::image).isInstanceOf(CamunitException.class)
                .hasMessage("Image " + dir.resolve("a.png") + " is 6x4 but its annotations say 8x4 (sample a.png)."
                        + " Regions are in pixels of the labelled image; fix the annotation or use the image that was"
                        + " labelled.");
    }
}
