package io.camunit.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a long command on stderr: on a terminal one bar redrawn in place with {@code \r};
 * otherwise (CI logs, redirected output) a plain line at every 10 % and at the end, so logs stay
 * short and readable.
 *
 * <pre>{@code
 * Progress p = new Progress(err, "samples", 60, System.console() != null);
 * p.advance(16);   // terminal: "\r[#####...............]  16/60 samples  26 %"
 * p.done();        // terminal: ends the line; plain: makes sure "60/60 samples (100 %)" was printed
 * }</pre>
 */
final class Progress {

    private static final int BAR = 30;

    private final PrintWriter err;
    private final String unit;
    private final int total;
    private final boolean terminal;
    private int done;
    private int lastTenth = 0;
    private boolean endPrinted;

    /**
     * @param err where progress goes (stderr, so that stdout holds only results)
     * @param unit what is counted, e.g. {@code samples}
     * @param total how many there are
     * @param terminal true to redraw one line, false for plain lines
     */
    Progress(PrintWriter err, String unit, int total, boolean terminal) {
        this.err = err;
        this.unit = unit;
        this.total = Math.max(total, 1);
        this.terminal = terminal;
    }

    /** @param n how many more are done */
    void advance(int n) {
        done = Math.min(total, done + n);
        if (terminal) {
            int filled = (int) ((long) done * BAR / total);
            err.print(String.format(Locale.ROOT, "\r[%s%s] %" + digits() + "d/%d %s %3d %%", "#".repeat(filled),
                    ".".repeat(BAR - filled), done, total, unit, percent()));
            err.flush();
            return;
        }
        int tenth = (int) ((long) done * 10 / total);
        if (tenth > lastTenth) {
            // One line per 10 % crossed, even when a big batch crosses several at once.
            lastTenth = tenth;
            line();
        }
    }

    /** Ends the progress display. */
    void done() {
        if (terminal) {
            err.println();
        } else if (!endPrinted) {
            line();
        }
        err.flush();
    }

    private void line() {
        endPrinted = done == total;
        err.println(String.format(Locale.ROOT, "%d/%d %s (%d %%)", done, total, unit, percent()));
        err.flush();
    }

    private int percent() {
        return (int) ((long) done * 100 / total);
    }

    private int digits() {
        return String.valueOf(total).length();
    }
}
