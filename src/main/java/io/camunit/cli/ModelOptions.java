package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.model.ImageSize;
import io.camunit.model.TorchScriptModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/** The options that say which model to load and how to prepare its input. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "TorchScript file (.pt), CAM-ready or plain.")
    Path model;

    @Option(names = "--size", paramLabel = "WIDTHxHEIGHT",
            description = "Model input size, width first, e.g. 224x160 for 224 wide and 160 high (default: from"
                    + " camunit.json, else each image's own size). PyTorch's (HEIGHT, WIDTH) order is refused.")
    String size;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",",
            description = "Channel means on the [0, 1] scale (default: from camunit.json, else 0,0,0).")
    List<Double> mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",",
            description = "Channel standard deviations (default: from camunit.json, else 1,1,1).")
    List<Double> std;

    @Option(names = "--classifier-weights", paramLabel = "NAME",
            description = "Parameter name of the final linear layer's weight, for cam (default: the last 2-D *weight).")
    String classifierWeights;

    /**
     * Loads the model; its first load in the process runs the engine check, whose verdict goes to
     * {@code err} as one line.
     */
    TorchScriptModel load(PrintWriter err) {
        TorchScriptModel.Builder builder = TorchScriptModel.builder().setPath(model);
        if (classifierWeights != null) {
            builder.optClassifierWeights(classifierWeights);
        }
        if (size != null) {
            ImageSize wh = ImageSize.parse(size, "Option --size");
            builder.optInputSize(wh.width(), wh.height());
        }
        if (mean != null || std != null) {
            if (mean == null || std == null || mean.size() != 3 || std.size() != 3) {
                throw new CamunitException("Options --mean and --std go together, three numbers each (R,G,B);"
                        + " got --mean " + mean + " --std " + std);
            }
            builder.optNormalisation(mean, std);
        }
        TorchScriptModel loaded = builder.build();
        err.println("camunit: " + EngineCheck.verdict().summary());
        return loaded;
    }
}
