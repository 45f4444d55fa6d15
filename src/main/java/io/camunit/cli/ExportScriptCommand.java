package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.report.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code camunit export-script}: writes the exporter that makes a PyTorch model CAM-ready,
 * {@code camunit_export.py}, the very version this jar reads files of, to standard output or a
 * file. Users need it in their own repositories; this way it comes with the camunit they use.
 *
 * <pre>{@code
 * java -jar camunit.jar export-script > camunit_export.py
 * java -jar camunit.jar export-script --out tools/camunit_export.py
 * }</pre>
 */
@Command(name = "export-script", mixinStandardHelpOptions = true,
        description = "Write camunit_export.py, the exporter that makes a PyTorch model CAM-ready, to standard output"
                + " (or --out FILE).")
final class ExportScriptCommand implements Callable<Integer> {

    /** Where the build puts the exporter inside the jar. */
    static final String RESOURCE = "/io/camunit/export/camunit_export.py";

    @Option(names = "--out", paramLabel = "FILE", description = "Write the script to FILE instead of standard output.")
    Path out;

    @Spec
    CommandSpec spec;

    /** @return the exporter's text as shipped in this jar */
    static String script() {
        try (InputStream in = ExportScriptCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CamunitException("This camunit build has no " + RESOURCE + " inside; build the jar with"
                        + " mvn package, which copies src/main/python/camunit_export.py into it.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CamunitException("Cannot read " + RESOURCE + " from the camunit jar: " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws IOException {
        String script = script();
        if (out == null) {
            spec.commandLine().getOut().print(script);
            spec.commandLine().getOut().flush();
        } else {
            AtomicFile.writeString(out, script);
            spec.commandLine().getErr().println("camunit: wrote " + out);
        }
        return 0;
    }
}
