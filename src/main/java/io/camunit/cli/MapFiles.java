package io.camunit.cli;

import io.camunit.explain.Explanation;
import io.camunit.region.LabeledSample;
import io.camunit.report.AtomicFile;
import io.camunit.report.CsvField;
import io.camunit.report.Npy;
import io.camunit.report.SafeName;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The raw maps {@code evaluate --save-maps} writes: {@code maps/<method>/<name>.npy} under
 * {@code --out}, with safe, unique names and {@code maps/index.csv} mapping ids (and labels) to them.
 */
final class MapFiles {

    /** Longest map file name stem; long ids keep their end, where ids differ most. */
    private static final int MAX_NAME = 120;

    private final Path dir;
    private final Map<String, String> names;
    private final Map<String, String> labels = new LinkedHashMap<>();

    /**
     * @param out the output directory
     * @param samples the samples, in order
     */
    MapFiles(Path out, List<LabeledSample> samples) {
        this.dir = out.resolve("maps");
        this.names = names(samples.stream().map(LabeledSample::id).toList());
        samples.forEach(s -> labels.putIfAbsent(s.id(), String.join("+", s.labels())));
    }

    /**
     * Safe, unique map file names for sample ids. Ids are paths such as {@code images/0001.png} or
     * even {@code ../../x}: every character outside {@code [A-Za-z0-9._-]} becomes {@code _} (so
     * no separator survives), leading dots and dashes go (no {@code ..}, hidden or option-like
     * names), long names keep their last characters, and a name already taken (ignoring case, for
     * case-insensitive file systems) gets {@code -2}, {@code -3}, ...
     *
     * @param ids the sample ids, in order
     * @return for each id its file name, ending in {@code .npy}
     */
    static Map<String, String> names(List<String> ids) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (String id : ids) {
            if (out.containsKey(id)) {
                continue;
            }
            String base = SafeName.of(id, MAX_NAME, "sample");
            String name = base;
            for (int k = 2; !taken.add(SafeName.clashKey(name)); k++) {
                name = base + "-" + k;
            }
            out.put(id, name + ".npy");
        }
        return out;
    }

    /** Writes {@code maps/index.csv}: {@code id,label,file} (the label as in {@code samples.csv}). */
    void writeIndex() {
        AtomicFile.write(dir.resolve("index.csv"), stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.write("id,label,file\n");
            for (Map.Entry<String, String> e : names.entrySet()) {
                w.write(CsvField.row(List.of(e.getKey(), labels.get(e.getKey()), e.getValue())));
                w.write('\n');
            }
            w.flush();
        });
    }

    /**
     * @param method the method's id
     * @param sample the sample
     * @param e its explanation by that method
     */
    void write(String method, LabeledSample sample, Explanation e) {
        AtomicFile.write(dir.resolve(method).resolve(names.get(sample.id())), o -> Npy.write(e.raw(), o));
    }
}
