package io.camunit.cli;

import io.camunit.model.LayerLayout;
import io.camunit.model.TorchScriptModel;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code camunit layers --model M}: the layers a model can be explained at, one per line, each with
 * its layout (how the model lays out the layer's output: nchw, nhwc or tokens:P:WxH) and what that
 * means. The layer name is the first word of each line; the task the file states ({@code "task"} in its
 * {@code camunit.json}: classification, segmentation or detection) is printed on stderr.
 */
@Command(name = "layers", mixinStandardHelpOptions = true,
        description = {"List the layers a model can be explained at (the cut points of a CAM-ready file), one per line:"
                + " name, layout (nchw: a convolutional feature map; nhwc: channels last, e.g. Swin's stages;"
                + " tokens:P:WxH: P prefix tokens, e.g. a ViT's class token, then a grid W tokens wide and H high) and what the"
                + " layout means. The task the file states (classification, segmentation or detection) is printed"
                + " first, on stderr."})
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
            // On stderr, so that the first word of every line on stdout stays a layer name.
            model.task().ifPresent(t -> spec.commandLine().getErr().println("Model " + model.name() + ": task "
                    + t.id() + " (forward returns " + t.output() + ")"));
            int nameWidth = model.layers().stream().mapToInt(String::length).max().orElse(0);
            int layoutWidth = model.layers().stream().mapToInt(l -> model.layout(l).toString().length()).max().orElse(0);
            for (String layer : model.layers()) {
                LayerLayout layout = model.layout(layer);
                spec.commandLine().getOut().println(String.format("%-" + nameWidth + "s  %-" + layoutWidth + "s  %s",
                        layer, layout, layout.describe()));
            }
            return 0;
        }
    }
}
