package io.camunit.cli;

import io.camunit.CamunitException;
import io.camunit.engine.EngineCheck;
import io.camunit.model.TorchScriptModel;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Option;

/** The options that say which model to load and how to prepare its input. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "TorchScript file (.pt), CAM-ready or plain.")
    Path model;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Model input size, e.g. 224x224 (default: from camunit.json, else each image's own size).")
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
            int[] wh = parseSize(size);
            builder.optInputSize(wh[0], wh[1]);
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

    static int[] parseSize(String text) {
        String[] parts = text.toLowerCase().split("x");
        try {
            if (parts.length == 2) {
                int[] wh = Arrays.stream(parts).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                if (wh[0] > 0 && wh[1] > 0) {
                    return wh;
                }
            }
        } catch (NumberFormatException e) {
            throw new CamunitException("Option --size must be WIDTHxHEIGHT in pixels, e.g. 224x224; got '" + text + "'", e);
        }
        throw new CamunitException("Option --size must be WIDTHxHEIGHT in pixels, e.g. 224x224; got '" + text + "'");
    }
}
