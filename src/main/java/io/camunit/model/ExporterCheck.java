package io.camunit.model;

import io.camunit.CamunitException;
import io.camunit.CamunitVersion;

import com.google.gson.JsonElement;

/**
 * The rule for the {@code exporter} field of {@code camunit.json}, the camunit version of the
 * {@code camunit_export.py} that wrote the file: a file from an exporter of a newer minor (or
 * major) release than this jar is refused, because formats change only with such releases and this
 * jar may misread it; a file from this release series or an older one is read; a file without the
 * field (written before exporters recorded their version, or by the script run from a source
 * checkout) is read too.
 *
 * <pre>{@code
 * ExporterCheck.check(root.get("exporter"), "models/vit.pt");
 * // with camunit 0.1.0 and "exporter": "0.2.0":
 * // CamunitException: Model models/vit.pt: camunit.json field 'exporter' is "0.2.0", ...
 * }</pre>
 */
public final class ExporterCheck {

    /** The field's name in {@code camunit.json}. */
    public static final String FIELD = "exporter";

    private ExporterCheck() {}

    /**
     * @param field the field's value, or null when the file has none
     * @param source the model file, for the message
     * @throws CamunitException when the field is not a version, or one of a newer release series
     */
    public static void check(JsonElement field, String source) {
        check(field, source, CamunitVersion.current());
    }

    /**
     * @param field the field's value, or null when the file has none
     * @param source the model file, for the message
     * @param reader the version of the camunit reading the file
     * @throws CamunitException when the field is not a version, or one of a newer release series
     */
    static void check(JsonElement field, String source, CamunitVersion reader) {
        if (field == null) {
            return;
        }
        String what = "Model " + source + ": " + CamReadyMetadata.FILE_NAME + " field '" + FIELD + "'";
        String fix = "Get the exporter that matches this camunit with: java -jar camunit.jar export-script"
                + " > camunit_export.py, and export the model again.";
        if (!field.isJsonPrimitive() || !field.getAsJsonPrimitive().isString()) {
            throw new CamunitException(what + " must be a camunit version such as \"" + reader + "\"; found "
                    + field + ". " + fix);
        }
        CamunitVersion writer;
        try {
            writer = CamunitVersion.parse(field.getAsString());
        } catch (IllegalArgumentException e) {
            throw new CamunitException(what + " must be a camunit version such as \"" + reader + "\"; found \""
                    + field.getAsString() + "\". " + fix, e);
        }
        if (writer.isNewerFormatThan(reader)) {
            throw new CamunitException(what + " is \"" + writer + "\": the file was written by the exporter of a"
                    + " newer camunit than this one (" + reader + "), which reads files of exporters up to "
                    + reader.series() + ". Read it with camunit " + writer.major() + "." + writer.minor()
                    + " or later, or: " + fix);
        }
    }
}
