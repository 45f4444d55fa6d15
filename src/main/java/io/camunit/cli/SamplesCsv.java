package io.camunit.cli;

import io.camunit.evaluation.MeasuredSample;
import io.camunit.gate.SampleValue;
import io.camunit.metric.Decimals;
import io.camunit.report.CsvField;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code samples.csv}: header {@code id,label,method,target,predicted,score,<metric...>,note}, one row
 * per sample and method; numbers with 6 decimals; an empty cell where a metric has no value, and
 * the reason in {@code note}.
 */
final class SamplesCsv {

    private final BufferedWriter out;
    private final List<String> metrics;
    private final List<String> classes;

    /**
     * @param stream where the file goes
     * @param metrics the metric names, in column order
     * @param classes the model's class names, for the predicted class
     * @throws IOException when the header cannot be written
     */
    SamplesCsv(OutputStream stream, List<String> metrics, List<String> classes) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        this.metrics = List.copyOf(metrics);
        this.classes = classes;
        List<String> header = new ArrayList<>(List.of("id", "label", "method", "target", "predicted", "score"));
        header.addAll(metrics);
        header.add("note");
        line(header);
    }

    /**
     * @param row one sample explained by one method
     * @throws UncheckedIOException when the row cannot be written
     */
    void write(MeasuredSample row) {
        List<String> cells = new ArrayList<>(List.of(row.sample().id(), String.join("+", row.sample().labels()),
                row.method(), row.explanation().targetLabel(), ExplainCommand.label(classes,
                        row.explanation().predictedClass()), Decimals.fixed(row.explanation().score(), 6)));
        // The same reason (e.g. a degenerate map) usually fails every metric: say it once.
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            SampleValue v = row.values().get(i);
            cells.add(v.hasValue() ? Decimals.fixed(v.value(), 6) : "");
            if (!v.hasValue()) {
                reasons.computeIfAbsent(v.reason(), r -> new ArrayList<>()).add(metrics.get(i));
            }
        }
        List<String> note = new ArrayList<>();
        reasons.forEach((reason, names) -> note.add(String.join(", ", names) + ": " + reason));
        cells.add(String.join("; ", note));
        try {
            line(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IOException when the rest cannot be written */
    void flush() throws IOException {
        out.flush();
    }

    private void line(List<String> cells) throws IOException {
        out.write(CsvField.row(cells));
        out.write('\n');
    }
}
