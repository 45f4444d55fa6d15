package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.CamunitVersion;
import io.camunit.engine.EngineThreads;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code camunit} command line: {@code explain} one image, list a model's {@code layers},
 * {@code evaluate} a model's maps over a labelled data set, write the exporter ({@code export-script}).
 *
 * <pre>{@code
 * java -jar target/camunit.jar explain --model fixtures/models/tiny-cnn.pt \
 *     --image fixtures/goldens/tiny-cnn/sample1-square.png --method grad-cam --layer features.9 --out out/
 * java -jar target/camunit.jar layers --model fixtures/models/tiny-cnn.pt
 * java -jar target/camunit.jar evaluate --model fixtures/models/shapes-clean.pt \
 *     --data fixtures/shapes/test/coco.json --method grad-cam --out out/eval
 * }</pre>
 *
 * <p>Exit codes: 0 success, 1 bad input (the message says what and how to fix it), 2 a usage error,
 * 3 a release gate of {@code evaluate --gate} failed (the run itself completed).
 */
@Command(name = "camunit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Unit tests for where a vision model looks: class activation maps from the shell.",
        subcommands = {ExplainCommand.class, LayersCommand.class, EvaluateCommand.class, ExportScriptCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // A process of its own: PyTorch may use one thread per core (EngineThreads), unless the user chose.
        if (System.getProperty(EngineThreads.POLICY) == null) {
            System.setProperty(EngineThreads.POLICY, "all");
        }
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs the command line without exiting, for tests and embedding.
     *
     * @param out where results go
     * @param err where errors go
     * @param args the arguments
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CamunitException) {
                commandLine.getErr().println("camunit: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** {@code camunit --version}: the version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"camunit " + CamunitVersion.current()};
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: explain, layers, evaluate or export-script");
    }
}
