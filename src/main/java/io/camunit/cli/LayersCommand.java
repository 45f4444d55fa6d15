package io.camunit.cli;

import io.camunit.model.TorchScriptModel;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code camunit layers --model M}: the layers a model can be explained at, one per line. */
@Command(name = "layers", mixinStandardHelpOptions = true,
        description = "List the layers a model can be explained at (the cut points of a CAM-ready file).")
final class LayersCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (TorchScriptModel model = modelOptions.load(spec.commandLine().getErr())) {
            if (model.layers().isEmpty()) {
                spec.commandLine().getErr().println("Model " + model.name() + " is plain TorchScript (forward only):"
                        + " it has no layers to explain. Export it CAM-ready with camunit_export.py (camunit export-script writes it).");
                return 1;
            }
            model.layers().forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }
}
