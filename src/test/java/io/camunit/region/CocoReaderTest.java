package io.camunit.region;

import static io.camunit.region.ShapesFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.camunit.CamunitException;
import io.camunit.model.InputImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoReaderTest {

    @TempDir
    Path dir;

    private static final String IMAGE = "{\"id\": 1, \"file_name\": \"a.png\", \"width\": 10, \"height\": 8}";

    /** A COCO file with categories circle (1) and square (2), one 10 x 8 image and the given annotation. */
    private Path cocoWith(String annotation) {
        return coco(IMAGE, annotation);
    }

    private Path coco(String images, String annotations) {
        return write(dir.resolve("coco.json"), "{\"categories\": [{\"id\": 1, \"name\": \"circle\"}, {\"id\": 2,"
                + " \"name\": \"square\"}],\n \"images\": [" + images + "],\n \"annotations\": [" + annotations
                + "]}");
    }

    private static String annotation(String fields) {
        return "{\"id\": 1, \"image_id\": 1, \"category_id\": 2, " + fields + "}";
    }

    private CamunitException openFails(Path file) {
        return (CamunitException) org.assertj.core.api.Assertions.catchThrowable(() -> DatasetFormats.open(file));
    }

    /** The fixture's annotations in sample order (grouped by image, as the README says). */
    private static List<JsonObject> annotations(Path split) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(split.resolve("coco.json"))).getAsJsonObject();
        return json.getAsJsonArray("annotations").asList().stream().map(JsonElement::getAsJsonObject).toList();
    }

    private static JsonObject image(Path split, int i) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(split.resolve("coco.json"))).getAsJsonObject();
        return json.getAsJsonArray("images").get(i).getAsJsonObject();
    }

    @Test
    void theFixtureHasItsDocumentedImagesObjectsAndClasses() throws IOException {
        LabeledDataset data = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json"));
        assertThat(data.classes()).containsExactly("circle", "square", "triangle", "star");
        assertThat(data.size()).isEqualTo(60);
        assertThat(data.samples().stream().mapToInt(s -> s.objects().size()).sum()).isEqualTo(69);
        assertThat(data.samples().stream().filter(s -> s.objects().size() == 2).count()).isEqualTo(9);
        for (String c : data.classes()) {
            assertThat(data.stream().filter(s -> s.label().equals(c)).count()).as(c).isEqualTo(15);
        }
        for (String size : List.of("96x96", "128x96", "96x128", "112x80")) {
            assertThat(data.stream().filter(s -> (s.width() + "x" + s.height()).equals(size)).count()).as(size)
                    .isEqualTo(15);
        }
        LabeledSample first = data.samples().get(0);
        assertThat(first.id()).isEqualTo("images/0001.png");
        assertThat(first.imagePath()).isEqualTo(ShapesFixture.TEST.resolve("images/0001.png").toAbsolutePath());
        assertThat(first.width()).isEqualTo(image(ShapesFixture.TEST, 0).get("width").getAsInt());
        assertThat(first.height()).isEqualTo(image(ShapesFixture.TEST, 0).get("height").getAsInt());
        assertThat(first.distractor()).isEmpty();
    }

    @Test
    void segmentationsAreUsedWhereTheyExistAndBoxesWhenPreferred() throws IOException {
        Path file = ShapesFixture.TEST.resolve("coco.json");
        List<LabeledObject> objects = DatasetFormats.open(file).stream().flatMap(s -> s.objects().stream()).toList();
        List<LabeledObject> boxed = DatasetFormats.open(file, DatasetOptions.builder()
                .optPrefer(DatasetOptions.Prefer.BOX).build()).stream().flatMap(s -> s.objects().stream()).toList();
        List<JsonObject> annotations = annotations(ShapesFixture.TEST);
        assertThat(objects).hasSameSizeAs(annotations);
        int polygons = 0;
        for (int a = 0; a < annotations.size(); a++) {
            JsonObject ann = annotations.get(a);
            JsonElement seg = ann.get("segmentation");
            if (seg.isJsonArray()) {
                polygons++;
                List<double[]> parts = seg.getAsJsonArray().asList().stream().map(p -> p.getAsJsonArray().asList()
                        .stream().mapToDouble(JsonElement::getAsDouble).toArray()).toList();
                assertThat(objects.get(a).region()).isEqualTo(Polygon.ofParts(parts));
            } else {
                assertThat(objects.get(a).region()).isInstanceOf(Rle.class);
            }
            double[] b = ann.getAsJsonArray("bbox").asList().stream().mapToDouble(JsonElement::getAsDouble).toArray();
            assertThat(boxed.get(a).region()).isEqualTo(Box.coco(b[0], b[1], b[2], b[3]));
            assertThat(boxed.get(a).label()).isEqualTo(objects.get(a).label()).isEqualTo(ShapesFixture.CLASSES
                    .get(ann.get("category_id").getAsInt() - 1));
        }
        assertThat(polygons).isPositive();
    }

    @Test
    void everyRleInBothEncodingsDecodesToExactlyItsObjectMask() throws IOException {
        int compressed = 0;
        int uncompressed = 0;
        int crowd = 0;
        for (Path split : List.of(ShapesFixture.TEST, ShapesFixture.VAL)) {
            List<JsonObject> annotations = annotations(split);
            LabeledDataset data = DatasetFormats.open(split.resolve("coco.json"));
            int a = 0;
            for (LabeledSample s : data) {
                for (int k = 0; k < s.objects().size(); k++, a++) {
                    JsonObject ann = annotations.get(a);
                    JsonElement seg = ann.get("segmentation");
                    if (!seg.isJsonObject()) {
                        continue;
                    }
                    boolean string = seg.getAsJsonObject().get("counts").isJsonPrimitive();
                    compressed += string ? 1 : 0;
                    uncompressed += string ? 0 : 1;
                    crowd += ann.get("iscrowd").getAsInt();
                    Region region = s.objects().get(k).region();
                    assertThat(region).isInstanceOf(Rle.class);
                    assertThat(region.toMask(s.width(), s.height())).as("%s %s object %d", split, s.id(), k)
                            .isEqualTo(ShapesFixture.objectMask(split, s, k));
                }
            }
            assertThat(a).isEqualTo(annotations.size());
        }
        assertThat(compressed).isPositive();
        assertThat(uncompressed).isPositive();
        assertThat(crowd).isPositive();
    }

    @Test
    void crowdAnnotationsAreKeptUnlessExcluded() throws IOException {
        Path file = ShapesFixture.TEST.resolve("coco.json");
        int all = DatasetFormats.open(file).stream().mapToInt(s -> s.objects().size()).sum();
        int withoutCrowd = DatasetFormats.open(file, DatasetOptions.builder().optIncludeCrowd(false).build()).stream()
                .mapToInt(s -> s.objects().size()).sum();
        assertThat(all - withoutCrowd).isPositive().isEqualTo(annotations(ShapesFixture.TEST).stream()
                .filter(a -> a.get("iscrowd").getAsInt() == 1).count());
    }

    @Test
    void theShortcutMarkOfAnImageEntryIsTheSamplesDistractor() {
        LabeledDataset marked = DatasetFormats.open(ShapesFixture.TEST_MARKED.resolve("coco.json"));
        assertThat(marked.samples()).allSatisfy(s -> assertThat(s.distractor()).contains(Box.coco(2, 2, 6, 6)));
    }

    @Test
    void imagesAreReadWhenAskedForAndKeepTheSampleId() {
        LabeledSample first = DatasetFormats.open(ShapesFixture.TEST.resolve("coco.json")).samples().get(0);
        InputImage image = first.image();
        assertThat(image.id()).isEqualTo("images/0001.png");
        assertThat(image.width()).isEqualTo(128);
    }

    @Test
    void aMissingImageIsAnErrorWhenReadNotAtOpen() {
        LabeledDataset data = DatasetFormats.open(coco(IMAGE, ""));
        LabeledSample s = data.samples().get(0);
        assertThat(s.objects()).isEmpty();
        assertThatThrownBy(s::image).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Image file " + dir.resolve("a.png").toAbsolutePath())
                .hasMessageContaining("of sample a.png does not exist");
    }

    @Test
    void anImageDirectoryOptionReplacesTheJsonsDirectory() {
        Path images = dir.resolve("val2017");
        LabeledDataset data = DatasetFormats.open(coco(IMAGE, ""),
                DatasetOptions.builder().optImageDirectory(images).build());
        assertThat(data.samples().get(0).imagePath()).isEqualTo(images.resolve("a.png").toAbsolutePath());
    }

    @Test
    void polygonsWithSeveralPartsAreOneObjectCoveringTheirUnion() {
        LabeledDataset data = DatasetFormats.open(cocoWith(annotation(
                "\"segmentation\": [[0, 0, 2, 0, 2, 2, 0, 2], [6, 4, 8, 4, 8, 6, 6, 6]]")));
        LabeledSample s = data.samples().get(0);
        assertThat(s.objects()).hasSize(1);
        assertThat(s.mask()).isEqualTo(Box.coco(0, 0, 2, 2).toMask(10, 8).or(Box.coco(6, 4, 2, 2).toMask(10, 8)));
    }

    @Test
    void anEmptySegmentationListFallsBackToTheBox() {
        LabeledSample s = DatasetFormats.open(cocoWith(annotation("\"segmentation\": [], \"bbox\": [1, 1, 2, 2]")))
                .samples().get(0);
        assertThat(s.objects().get(0).region()).isEqualTo(Box.coco(1, 1, 2, 2));
    }

    @Test
    void explicitClassNamesBecomeTheClassesAndEveryCategoryMustBeOne() {
        Path file = cocoWith("");
        assertThat(DatasetFormats.open(file, DatasetOptions.builder().optClassNames(List.of("square", "circle", "star"))
                .build()).classes()).containsExactly("square", "circle", "star");
        assertThatThrownBy(() -> DatasetFormats.open(file, DatasetOptions.builder().optClassNames(List.of("circle"))
                .build())).isInstanceOf(CamunitException.class)
                .hasMessageContaining("categories[1].name: expected one of the class names [circle]; found 'square'");
    }

    // ---- errors: file, field, expected, found, what to do ----

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> DatasetFormats.open(dir.resolve("nope.json"))).isInstanceOf(CamunitException.class)
                .hasMessageContaining("Data set " + dir.resolve("nope.json") + " does not exist")
                .hasMessageContaining("check the path");
    }

    @Test
    void truncatedJsonIsAnErrorWithThePosition() {
        Path file = write(dir.resolve("coco.json"), "{\"categories\": [], \"images\": [{\"id\": 1,");
        CamunitException e = openFails(file);
        assertThat(e).hasMessageContaining(file + " is not valid JSON").hasMessageContaining("End of input")
                .hasMessageContaining("line 1").hasMessageContaining("may be truncated");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void malformedJsonIsAnError() {
        Path file = write(dir.resolve("coco.json"), "{\"images\": [1, 2,, ]}");
        assertThat(openFails(file)).hasMessageContaining(file + " is not valid JSON");
        Path comment = write(dir.resolve("c.json"), "// exported\n{\"images\": []}");
        assertThat(openFails(comment)).hasMessageContaining("is not valid JSON: malformed JSON (comments, NaN,")
                .hasMessageContaining("at line 1 column 2").hasMessageNotContaining("setStrictness")
                .hasMessageNotContaining("github");
    }

    @Test
    void dataAfterTheDocumentIsAnError() {
        Path file = write(dir.resolve("coco.json"), "{\"images\": [], \"annotations\": [], \"categories\": []} {}");
        assertThat(openFails(file)).hasMessageContaining(file + " is not valid JSON: more data follows");
    }

    @Test
    void nanIsNotJsonAndAStringIsNotANumber() {
        assertThat(openFails(cocoWith(annotation("\"bbox\": [NaN, 1, 2, 2]")))).hasMessageContaining("not valid JSON");
        assertThat(openFails(cocoWith(annotation("\"bbox\": [\"NaN\", 1, 2, 2]"))))
                .hasMessageContaining("coco.json: annotations[0].bbox[0]: expected a number (of [x, y, w, h]); found"
                        + " the string \"NaN\"");
    }

    @Test
    void aMissingFieldIsNamedWithItsPath() {
        assertThat(openFails(cocoWith("{\"id\": 1, \"image_id\": 1, \"bbox\": [1, 1, 2, 2]}")))
                .hasMessageContaining(dir.resolve("coco.json") + ": annotations[0].category_id: expected a field"
                        + " \"category_id\"; found no such field (fields are [id, image_id, bbox]). Add the field");
        assertThat(openFails(coco("{\"id\": 1, \"file_name\": \"a.png\", \"width\": 10}", "")))
                .hasMessageContaining("images[0].height: expected a field \"height\"");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithWhatWasFound() {
        assertThat(openFails(coco("{\"id\": 1, \"file_name\": \"a.png\", \"width\": \"10\", \"height\": 8}", "")))
                .hasMessageContaining("images[0].width: expected a number; found the string \"10\"");
        assertThat(openFails(coco("{\"id\": 1.5, \"file_name\": \"a.png\", \"width\": 10, \"height\": 8}", "")))
                .hasMessageContaining("images[0].id: expected a whole number; found 1.5");
        assertThat(openFails(coco(IMAGE, "[1, 2]"))).hasMessageContaining("annotations[0]: expected a JSON object;"
                + " found an array of 2 values [1,2]");
        assertThat(openFails(coco("{\"id\": 1, \"file_name\": \"a.png\", \"width\": 0, \"height\": 8}", "")))
                .hasMessageContaining("images[0].width: expected a size in pixels from 1 to 1000000; found 0");
    }

    @Test
    void aBoxWithoutPositiveSizeIsAnError() {
        assertThat(openFails(cocoWith(annotation("\"bbox\": [1, 1, 0, 2]"))))
                .hasMessageContaining("annotations[0].bbox: expected a box with positive width and height; found"
                        + " [1,1,0,2] (w = 0, h = 2). Fix the box");
        assertThat(openFails(cocoWith(annotation("\"bbox\": [1, 1, 2, -3]")))).hasMessageContaining("h = -3");
        assertThat(openFails(cocoWith(annotation("\"bbox\": [1, 1, 2]"))))
                .hasMessageContaining("annotations[0].bbox: expected 4 numbers [x, y, w, h]; found an array of 3");
    }

    @Test
    void absurdAndOutsideBoxesAreErrorsNamingTheImageSize() {
        assertThat(openFails(cocoWith(annotation("\"bbox\": [1e30, 1, 2, 2]"))))
                .hasMessageContaining("annotations[0].bbox: expected finite pixel coordinates within +-1000000; found"
                        + " [1e30,1,2,2]");
        assertThat(openFails(cocoWith(annotation("\"bbox\": [1, 1, 2, 1e400]")))).hasMessageContaining("bbox[3]:"
                + " expected a finite number");
        assertThat(openFails(cocoWith(annotation("\"bbox\": [5, 1, 8, 2]"))))
                .hasMessageContaining("annotations[0].bbox: expected a box inside the 10x8 image")
                .hasMessageContaining("spans x 5..13, y 1..3").hasMessageContaining("never clips regions silently");
    }

    @Test
    void rleCountsNotSummingToTheImageAreAnError() {
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": [10, 5, 60], \"size\": [8, 10]}"))))
                .hasMessageContaining("annotations[0].segmentation.counts: expected run lengths summing to h * w = 80"
                        + " (size [h, w] = [8, 10]); found a sum of 75");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": \"T3\", \"size\": [8, 10]}"))))
                .hasMessageContaining("segmentation.counts: expected run lengths summing to h * w = 80")
                .hasMessageContaining("found a sum of 100");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": [10, -5, 75], \"size\": [8, 10]}"))))
                .hasMessageContaining("segmentation.counts[1]: expected a run length >= 0; found -5");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": \"1~\", \"size\": [8, 10]}"))))
                .hasMessageContaining("segmentation.counts: expected characters '0'..'o'")
                .hasMessageContaining("found '~' at character 1");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": 80, \"size\": [8, 10]}"))))
                .hasMessageContaining("segmentation.counts: expected a list of run lengths (uncompressed RLE) or a"
                        + " string (compressed RLE); found the number 80");
    }

    @Test
    void anRleOfAnotherSizeThanItsImageIsAnError() {
        assertThat(openFails(cocoWith(annotation("\"segmentation\": {\"counts\": [80], \"size\": [10, 8]}"))))
                .hasMessageContaining("annotations[0].segmentation.size: expected [h, w] = [8, 10], the height and"
                        + " width of its image a.png; found [10,8]");
    }

    @Test
    void unknownCategoryAndImageIdsAreErrors() {
        assertThat(openFails(cocoWith("{\"id\": 1, \"image_id\": 1, \"category_id\": 7, \"bbox\": [1, 1, 2, 2]}")))
                .hasMessageContaining("annotations[0].category_id: expected one of the category ids [1, 2]; found"
                        + " category_id 7. Fix the category_id or add the category");
        assertThat(openFails(cocoWith("{\"id\": 1, \"image_id\": 9, \"category_id\": 1, \"bbox\": [1, 1, 2, 2]}")))
                .hasMessageContaining("annotations[0].image_id: expected the id of an entry in images; found image_id"
                        + " 9, which no image has");
    }

    @Test
    void duplicateIdsAreErrors() {
        assertThat(openFails(coco(IMAGE + ", " + IMAGE, ""))).hasMessageContaining("images[1].id: expected a unique"
                + " image id; found id 1, which images[0] has too");
        Path file = write(dir.resolve("cats.json"), "{\"categories\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 1,"
                + " \"name\": \"b\"}], \"images\": [], \"annotations\": []}");
        assertThat(openFails(file)).hasMessageContaining("categories[1].id: expected a unique category id");
    }

    @Test
    void badPolygonsAreErrorsNamingThePart() {
        assertThat(openFails(cocoWith(annotation("\"segmentation\": [1, 1, 5, 1, 5, 5]"))))
                .hasMessageContaining("annotations[0].segmentation: expected a list of polygons")
                .hasMessageContaining("A single polygon must still be wrapped in a list");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": [[1, 1, 5, 1, 5, 5], [1, 1, 5, 5]]"))))
                .hasMessageContaining("annotations[0].segmentation[1]: expected at least 3 points (6 numbers); found"
                        + " 4 numbers (pycocotools would silently read them as a box");
        assertThat(openFails(cocoWith(annotation("\"segmentation\": [[1, 1, 5, 1, 5, 50]]"))))
                .hasMessageContaining("annotations[0].segmentation[0][4]: expected vertices inside the 10x8 image"
                        + " (1 px tolerance); found the vertex (5, 50)");
    }

    @Test
    void anAnnotationWithoutBoxOrSegmentationIsAnError() {
        assertThat(openFails(cocoWith(annotation("\"iscrowd\": 0"))))
                .hasMessageContaining("annotations[0]: expected a bbox or a segmentation; found neither");
        assertThat(openFails(cocoWith(annotation("\"iscrowd\": 2, \"bbox\": [1, 1, 2, 2]"))))
                .hasMessageContaining("annotations[0].iscrowd: expected 0 or 1; found 2");
    }

    @Test
    void aShortcutMarkOutsideTheImageIsAnError() {
        assertThat(openFails(coco("{\"id\": 1, \"file_name\": \"a.png\", \"width\": 10, \"height\": 8,"
                + " \"shortcut_mark\": [2, 2, 20, 2]}", ""))).hasMessageContaining("images[0].shortcut_mark: expected"
                + " a box inside the 10x8 image");
        LabeledSample s = DatasetFormats.open(coco("{\"id\": 1, \"file_name\": \"a.png\", \"width\": 10, \"height\":"
                + " 8, \"shortcut_mark\": [2, 2, 2, 2]}", "")).samples().get(0);
        assertThat(s.distractor()).isEqualTo(Optional.of(Box.coco(2, 2, 2, 2)));
    }

    @Test
    void anAbsoluteFileNameIsRefusedNamingTheFieldAndTheOptionThatAllowsIt() {
        Path file = coco("{\"id\": 1, \"file_name\": \"/etc/passwd\", \"width\": 10, \"height\": 8}", "");
        assertThat(openFails(file)).hasMessage(file + ": images[0].file_name: expected a path inside the data folder "
                + dir.toAbsolutePath() + " (relative to it, without '..' leading out); found '/etc/passwd', an absolute"
                + " path. camunit reads only files inside the data folder, so that an annotation file cannot make it"
                + " read any file. Move the file into the folder, or, if you trust the annotation file, allow it with"
                + " DatasetOptions.builder().optAllowPathsOutsideData(true) or, on the command line,"
                + " --allow-paths-outside-data.");
    }

    @Test
    void aFileNameClimbingOutOfTheDataFolderIsRefusedUnlessAllowed() {
        Path file = coco("{\"id\": 1, \"file_name\": \"images/../../secret.png\", \"width\": 10, \"height\": 8}",
                "");
        assertThat(openFails(file)).hasMessageContaining("images[0].file_name: expected a path inside the data folder")
                .hasMessageContaining("found 'images/../../secret.png', which leads out of it to "
                        + dir.toAbsolutePath().getParent().resolve("secret.png"));
        LabeledSample allowed = DatasetFormats.open(file, DatasetOptions.builder().optAllowPathsOutsideData(true)
                .build()).samples().get(0);
        assertThat(allowed.imagePath()).isEqualTo(dir.toAbsolutePath().getParent().resolve("secret.png"));
        // Climbing down and up again inside the folder is fine.
        Path inside = coco("{\"id\": 1, \"file_name\": \"images/../a.png\", \"width\": 10, \"height\": 8}", "");
        assertThat(DatasetFormats.open(inside).samples().get(0).imagePath()).isEqualTo(dir.toAbsolutePath()
                .resolve("a.png"));
    }
}
