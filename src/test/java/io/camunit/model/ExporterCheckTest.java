package io.camunit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.CamunitVersion;

import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.junit.jupiter.api.Test;

/** The exporter field of camunit.json: newer release series refused, older and absent accepted. */
class ExporterCheckTest {

    private static final CamunitVersion READER = CamunitVersion.parse("0.3.2");

    @Test
    void aFileFromANewerMinorReleaseIsRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> ExporterCheck.check(new JsonPrimitive("0.4.0"), "models/vit.pt", READER))
                .isInstanceOf(CamunitException.class)
                .hasMessage("Model models/vit.pt: camunit.json field 'exporter' is \"0.4.0\": the file was written by"
                        + " the exporter of a newer camunit than this one (0.3.2), which reads files of exporters up to"
                        + " 0.3.x. Read it with camunit 0.4 or later, or: Get the exporter that matches this camunit"
                        + " with: java -jar camunit.jar export-script > camunit_export.py, and export the model again.");
    }

    @Test
    void aFileFromANewerMajorReleaseIsRefused() {
        assertThatThrownBy(() -> ExporterCheck.check(new JsonPrimitive("1.0.0"), "m.pt", READER))
                .hasMessageContaining("field 'exporter' is \"1.0.0\"");
    }

    @Test
    void aFileFromTheSameSeriesIsReadWhateverThePatchOrQualifier() {
        assertThatCode(() -> ExporterCheck.check(new JsonPrimitive("0.3.9"), "m.pt", READER)).doesNotThrowAnyException();
        assertThatCode(() -> ExporterCheck.check(new JsonPrimitive("0.3.0-SNAPSHOT"), "m.pt", READER))
                .doesNotThrowAnyException();
    }

    @Test
    void aFileFromAnOlderReleaseIsRead() {
        assertThatCode(() -> ExporterCheck.check(new JsonPrimitive("0.2.7"), "m.pt", READER)).doesNotThrowAnyException();
    }

    @Test
    void aFileWithoutTheFieldIsRead() {
        assertThatCode(() -> ExporterCheck.check(null, "m.pt", READER)).doesNotThrowAnyException();
        assertThat(CamReadyMetadata.parse("{\"format\": 1, \"layers\": [\"layer4\"]}", "m.pt").layers())
                .containsExactly("layer4");
    }

    @Test
    void aFieldThatIsNoVersionIsRefusedNamingWhatWasFound() {
        assertThatThrownBy(() -> ExporterCheck.check(new JsonPrimitive("latest"), "m.pt", READER))
                .hasMessageStartingWith("Model m.pt: camunit.json field 'exporter' must be a camunit version such as"
                        + " \"0.3.2\"; found \"latest\". Get the exporter");
        assertThatThrownBy(() -> ExporterCheck.check(JsonParser.parseString("[1, 2]"), "m.pt", READER))
                .hasMessageStartingWith("Model m.pt: camunit.json field 'exporter' must be a camunit version such as"
                        + " \"0.3.2\"; found [1,2]. Get the exporter");
    }

    @Test
    void theMetadataParserAppliesTheRuleWithThisJarsVersion() {
        CamunitVersion jar = CamunitVersion.current();
        String newer = jar.major() + "." + (jar.minor() + 1) + ".0";
        assertThatThrownBy(() -> CamReadyMetadata.parse("{\"format\": 1, \"exporter\": \"" + newer + "\","
                + " \"layers\": [\"layer4\"]}", "m.pt")).hasMessageContaining("field 'exporter' is \"" + newer + "\"");
        assertThat(CamReadyMetadata.parse("{\"format\": 1, \"exporter\": \"" + jar + "\", \"layers\": [\"layer4\"]}",
                "m.pt").layers()).containsExactly("layer4");
    }
}
