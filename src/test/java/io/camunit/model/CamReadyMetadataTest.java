package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CamReadyMetadataTest {

    @Test
    void parsesTheContractExample() {
        String json = "{\"format\": 1, \"layers\": [\"layer3\", \"layer4\"], \"classes\": [\"cat\", \"dog\"],"
                + " \"input\": {\"height\": 224, \"width\": 200, \"mean\": [0.485, 0.456, 0.406],"
                + " \"std\": [0.229, 0.224, 0.225]}}";
        CamReadyMetadata meta = CamReadyMetadata.parse(json, "resnet.pt");
        assertThat(meta.layers()).containsExactly("layer3", "layer4");
        assertThat(meta.classes()).containsExactly("cat", "dog");
        assertThat(meta.input()).contains(new InputSpec(200, 224, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225)));
    }

    @Test
    void classesAndInputAreOptional() {
        CamReadyMetadata meta = CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"features.3\"]}", "m.pt");
        assertThat(meta.classes()).isEmpty();
        assertThat(meta.input()).isEqualTo(Optional.empty());
    }

    @Test
    void layoutsNameTheLayersThatAreNotChannelsFirst() {
        CamReadyMetadata meta = CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"blocks.3.norm1\", \"features.7\","
                + " \"patch_embed\"], \"layouts\": {\"blocks.3.norm1\": \"tokens:2:14x14\", \"features.7\": \"nhwc\"}}", "m.pt");
        assertThat(meta.layout("blocks.3.norm1")).isEqualTo(LayerLayout.tokens(2, 14, 14));
        assertThat(meta.layout("features.7")).isEqualTo(LayerLayout.NHWC);
        assertThat(meta.layout("patch_embed")).isEqualTo(LayerLayout.NCHW);
    }

    @Test
    void aFileWithoutLayoutsHasOnlyChannelsFirstLayers() {
        CamReadyMetadata meta = CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"layer3\", \"layer4\"]}", "m.pt");
        assertThat(meta.layouts()).isEmpty();
        assertThat(meta.layout("layer4")).isEqualTo(LayerLayout.NCHW);
    }

    @Test
    void aLayoutForALayerTheFileDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"layouts\": {\"b\": \"nhwc\"}}", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model m.pt: camunit.json field 'layouts' must be about the file's layers [a];"
                        + " found layer 'b'.");
    }

    @Test
    void anUnknownLayoutNamesTheLayerAndTheLayoutsThereAre() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"layouts\": {\"a\": \"tokens:1\"}}", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Model m.pt: camunit.json field 'layouts' gives layer 'a' the layout 'tokens:1'; a layout"
                        + " must be 'nchw', 'nhwc' or 'tokens:P:WxH' (P prefix tokens, then a grid W tokens wide and H"
                        + " high, at least 1x1). Re-export the model with camunit_export.py or fix the metadata.");
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"layouts\": [\"nhwc\"]}", "m.pt"))
                .hasMessageContaining("field 'layouts' must be an object from layer name to layout");
    }

    @Test
    void anotherFormatIsRefused() {
        assertThatThrownBy(() -> CamReadyMetadata.parse("{\"format\": 2, \"layers\": [\"a\"]}", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model m.pt: camunit.json field 'format' must be 1; found 2.");
    }

    @Test
    void missingLayersAreNamed() {
        assertThatThrownBy(() -> CamReadyMetadata.parse("{\"format\": 1}", "m.pt"))
                .hasMessageStartingWith("Model m.pt: camunit.json field 'layers' must be a list of strings; found null.");
        assertThatThrownBy(() -> CamReadyMetadata.parse("{\"format\": 1, \"layers\": []}", "m.pt"))
                .hasMessageContaining("field 'layers' must be a non-empty list of layer names");
    }

    @Test
    void badInputFieldsAreNamed() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"input\": {\"height\": -3, \"width\": 4}}", "m.pt"))
                .hasMessageContaining("field 'input.height' must be a positive whole number of pixels; found -3");
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"input\": {\"height\": 3, \"width\": 4, \"std\": [1, 0, 1]}}", "m.pt"))
                .hasMessageContaining("standard deviations must be positive");
    }

    @Test
    void invalidJsonIsAClearError() {
        assertThatThrownBy(() -> CamReadyMetadata.parse("{\"format\": 1, \"layers\": [", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("Model m.pt: camunit.json is not valid JSON");
    }
    @Test
    void theTaskSaysWhatTheOutputMeans() {
        CamReadyMetadata meta = CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"features.6\"],"
                + " \"task\": \"detection\"}", "det.pt");

        assertThat(meta.task()).contains(Task.DETECTION);
        assertThat(CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"a\"]}", "m.pt").task()).isEmpty();
    }

    @Test
    void anUnknownTaskIsRefusedNamingTheFileTheFieldWhatWasFoundAndWhatIsExpected() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"a\"], \"task\": \"detector\"}", "det.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model det.pt: camunit.json field 'task' must be one of"
                        + " classification|segmentation|detection; found \"detector\".");
    }

    @Test
    void aDetectorsOutputMustBeRankThreeWithAtLeastSixValuesPerCandidate() {
        assertThat(TorchScriptModel.taskMismatch(Task.DETECTION, new ai.djl.ndarray.types.Shape(2, 12, 9), 2)).isNull();
        assertThat(TorchScriptModel.taskMismatch(Task.DETECTION, new ai.djl.ndarray.types.Shape(2, 4), 2))
                .isEqualTo("expected rank 3, found rank 2");
        assertThat(TorchScriptModel.taskMismatch(Task.DETECTION, new ai.djl.ndarray.types.Shape(2, 12, 5), 2))
                .isEqualTo("the last dimension is 5, expected at least 6 = 4 box coordinates + 1 objectness + at least"
                        + " 1 class logit");
        assertThat(TorchScriptModel.taskMismatch(Task.SEGMENTATION, new ai.djl.ndarray.types.Shape(2, 3, 8, 8), 2))
                .isNull();
        assertThat(TorchScriptModel.taskMismatch(Task.CLASSIFICATION, new ai.djl.ndarray.types.Shape(2, 3, 8, 8), 2))
                .isEqualTo("expected rank 2, found rank 4");
    }

    @Test
    void biasesNameTheLayersFullGradSumsWithOneValuePerChannelInFileOrder() {
        CamReadyMetadata meta = CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"layer3\", \"bn1\", \"conv1\"],"
                + " \"biases\": {\"conv1\": [0.5, -1.25], \"bn1\": [2]}}", "m.pt");

        assertThat(meta.biases()).containsExactly(java.util.Map.entry("conv1", List.of(0.5, -1.25)),
                java.util.Map.entry("bn1", List.of(2.0)));
        assertThat(CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"a\"]}", "m.pt").biases()).isEmpty();
    }

    @Test
    void aBiasForALayerThatIsNotCutIsRefused() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"conv1\"], \"biases\": {\"conv2\": [1]}}", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model m.pt: camunit.json field 'biases' must be about the file's layers [conv1]"
                        + " (FullGrad needs a cut after every layer with a bias); found layer 'conv2'.");
    }

    @Test
    void aBiasThatIsNotAListOfFiniteNumbersIsRefusedNamingTheLayer() {
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"conv1\"], \"biases\": {\"conv1\": [1, \"x\"]}}", "m.pt"))
                .isInstanceOf(CamunitException.class)
                .hasMessageStartingWith("Model m.pt: camunit.json field 'biases.conv1' must be a list of finite numbers,"
                        + " one per output channel; found element \"x\".");
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"conv1\"], \"biases\": {\"conv1\": []}}", "m.pt"))
                .hasMessageContaining("field 'biases.conv1' must be a non-empty list of numbers");
        assertThatThrownBy(() -> CamReadyMetadata.parse(
                        "{\"format\": 1, \"layers\": [\"conv1\"], \"biases\": {}}", "m.pt"))
                .hasMessageContaining("field 'biases' must be an object from layer name to the bias it adds");
    }

    @Test
    void aBiasMustHaveOneValuePerChannelOfTheLayersOutput() {
        assertThat(TorchScriptModel.biasMismatch(List.of(1.0, 2.0), new ai.djl.ndarray.types.Shape(2, 2, 8, 8))).isNull();
        assertThat(TorchScriptModel.biasMismatch(List.of(1.0, 2.0), new ai.djl.ndarray.types.Shape(2, 3, 8, 8)))
                .isEqualTo("gives 2 values, but the layer's output has 3 channels (shape (2, 3, 8, 8)); expected one per"
                        + " channel");
        assertThat(TorchScriptModel.biasMismatch(List.of(1.0), new ai.djl.ndarray.types.Shape(2, 197, 1)))
                .startsWith("is about an output of shape (2, 197, 1)");
    }
}
