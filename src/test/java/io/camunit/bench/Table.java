package io.camunit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-text table in Markdown pipe syntax, so that the same text reads well in a terminal and
 * pastes into the README: text columns left-aligned, numbers right-aligned.
 *
 * <pre>{@code
 * Table t = new Table("model", "ms");
 * t.row("tiny-cnn", Table.num(1.234, 2));
 * String text = t.render();
 * }</pre>
 */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException("expected " + rows.get(0).length + " cells, got " + cells.length);
        }
        rows.add(cells);
    }

    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    String render() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            numeric[c] = true;
            for (int r = 1; r < rows.size(); r++) {
                String cell = rows.get(r)[c];
                numeric[c] &= cell.matches("[-+]?[0-9][0-9,]*(\\.[0-9]+)?( ?[a-zA-Z%x]*)?") || cell.equals("-");
            }
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append('|');
            for (int c = 0; c < columns; c++) {
                String cell = rows.get(r)[c];
                String padded = numeric[c] && r > 0 ? " ".repeat(widths[c] - cell.length()) + cell
                        : cell + " ".repeat(widths[c] - cell.length());
                out.append(' ').append(padded).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|');
                for (int c = 0; c < columns; c++) {
                    out.append(numeric[c] ? "-".repeat(widths[c] + 1) + ":|" : "-".repeat(widths[c] + 2) + "|");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
