package io.camunit.report;

import java.util.Objects;

/**
 * One file of evidence, ready for an {@link EvidenceSink}: a display name, a MIME type, a file
 * extension and the bytes.
 *
 * <pre>{@code
 * Attachment a = new Attachment("metrics images/0001.png", "application/json", "json", json);
 * sink.attach(a);
 * }</pre>
 *
 * @param name what a reader sees, e.g. {@code overlay images/0001.png}; sinks make file names
 *     from it safely
 * @param mimeType e.g. {@code image/png}, {@code application/json}, {@code text/csv},
 *     {@code application/octet-stream} for {@code .npy}
 * @param extension the file extension without the dot, e.g. {@code png}
 * @param bytes the content (not copied: do not change it afterwards)
 */
public record Attachment(String name, String mimeType, String extension, byte[] bytes) {

    /** MIME type of PNG pictures. */
    public static final String PNG = "image/png";
    /** MIME type of the metrics files. */
    public static final String JSON = "application/json";
    /** MIME type of the per-class tables. */
    public static final String CSV = "text/csv";
    /** MIME type of {@code .npy} maps: NumPy's format has no registered type. */
    public static final String NPY = "application/octet-stream";

    /** Checks the fields. */
    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(bytes, "bytes");
        if (!extension.matches("[a-z0-9]{1,8}")) {
            throw new IllegalArgumentException("An attachment's extension is 1 to 8 lower-case letters or digits;"
                    + " got '" + extension + "'");
        }
    }
}
