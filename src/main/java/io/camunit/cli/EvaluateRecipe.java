package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.model.TorchScriptModel;
import io.camunit.spark.EvaluationRecipe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import picocli.CommandLine;

/**
 * How a Spark executor opens the evaluation of a {@code camunit evaluate} command: it parses the
 * command's arguments again and builds the evaluation with {@link EvaluateCommand#evaluation}, the
 * code of the local run, from its copies of the model and the data.
 *
 * @param args the command's arguments as given
 * @param model the model file, absolute on the driver
 * @param data {@code --data}, absolute on the driver
 * @param folder the data folder Spark ships to executors, or null when they read {@code data} itself
 */
record EvaluateRecipe(List<String> args, String model, String data, String folder) implements EvaluationRecipe {

    private static final long serialVersionUID = 1L;
    private static final AtomicBoolean ENGINE_LINE_WRITTEN = new AtomicBoolean();

    @Override
    public List<Path> files() {
        return List.of(Path.of(model));
    }

    @Override
    public List<Path> folders() {
        return folder == null ? List.of() : List.of(Path.of(folder));
    }

    @Override
    public Opened open(UnaryOperator<Path> localCopy) {
        EvaluateCommand command = parse();
        command.modelOptions.model = localCopy.apply(Path.of(model));
        Path localData = folder == null ? Path.of(data) : localCopy.apply(Path.of(data));
        var samples = command.dataset(localData).samples();
        // The engine check's line goes to the executor's log once per JVM, as a local run's to the terminal.
        StringWriter notes = new StringWriter();
        TorchScriptModel loaded = command.modelOptions.load(new PrintWriter(notes, true));
        if (ENGINE_LINE_WRITTEN.compareAndSet(false, true)) {
            System.err.print(notes);
        }
        try {
            return new Opened(command.evaluation(loaded, samples).build(), loaded);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private EvaluateCommand parse() {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CamunitException("An executor could not parse the driver's arguments " + args + ": "
                    + e.getMessage(), e);
        }
        if (!parsed.hasSubcommand() || !(parsed.subcommand().commandSpec().userObject() instanceof EvaluateCommand c)) {
            throw new CamunitException("An executor expected the arguments of camunit evaluate; got " + args);
        }
        return c;
    }
}
