package io.camunit.report;

/**
 * One field of a CSV file as RFC 4180 writes it: quoted, with quotes doubled, when it holds a comma,
 * a quote or a line break; as it is otherwise. Every CSV camunit writes ({@code samples.csv}, the
 * maps' index, the evidence's per-class table) quotes with this.
 *
 * <pre>{@code
 * CsvField.of("images/0001.png");   // images/0001.png
 * CsvField.of("a,b");               // "a,b"
 * CsvField.of("say \"hi\"");        // "say ""hi"""
 * }</pre>
 */
public final class CsvField {

    private CsvField() {}

    /**
     * @param value a cell
     * @return the cell as written in the file
     */
    public static String of(String value) {
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /**
     * @param cells the cells of one row
     * @return the row, without the line break
     */
    public static String row(java.util.List<String> cells) {
        return String.join(",", cells.stream().map(CsvField::of).toList());
    }
}
