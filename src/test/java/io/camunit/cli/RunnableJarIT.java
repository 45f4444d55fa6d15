package io.camunit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/camunit.jar runs on its own: every dependency, the native PyTorch included, is inside. */
class RunnableJarIT {

    private record Result(int code, String output) {}

    private static Result camunit(String... args) throws IOException, InterruptedException {
        return camunitWith(List.of(), args);
    }

    private static Result camunitWith(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", "target/camunit.jar"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void explainWritesItsFiles(@TempDir Path dir) throws Exception {
        Result r = camunit("explain", "--model", "fixtures/models/tiny-cnn.pt",
                "--image", "fixtures/goldens/tiny-cnn/sample2-triangle.png", "--method", "layer-cam", "--out", dir.toString());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("layer-cam at features.9 for triangle").doesNotContain("WARN");
        for (String file : List.of("heatmap.npy", "raw.npy", "overlay.png", "explanation.json")) {
            assertThat(dir.resolve(file)).isRegularFile();
        }
    }

    private static String[] explain(Path dir, String method) {
        return new String[] {"explain", "--model", "fixtures/models/tiny-cnn.pt", "--image",
                "fixtures/goldens/tiny-cnn/sample2-triangle.png", "--method", method, "--out", dir.toString()};
    }

    @Test
    void theExporterTheJarWritesRunsWithPython(@TempDir Path dir) throws Exception {
        assumeFalse(Boolean.getBoolean("camunit.skipPython"), "Python skipped");
        Path script = dir.resolve("camunit_export.py");
        Result written = camunit("export-script", "--out", script.toString());
        assertThat(written.code()).as(written.output()).isZero();

        Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), "--help").redirectErrorStream(true).start();
        String help = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(help).isZero();
        assertThat(help).contains("--layers").contains("--out");
    }

    @Test
    void aSimulatedOneDnnFaultSwitchesTheProcessToPyTorchsKernelsAndSaysSo(@TempDir Path dir) throws Exception {
        Result r = camunitWith(List.of("-Dcamunit.engine.simulateFault=onednn"), explain(dir, "grad-cam"));

        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("camunit: engine check: PyTorch 2.7.1 through DJL 0.35.1 computes wrong"
                + " convolutions with oneDNN's kernels on this CPU")
                .contains("camunit switched to PyTorch's own convolution kernels (oneDNN and NNPACK off), verified")
                .contains("[fault simulated by -Dcamunit.engine.simulateFault]");
        assertThat(Files.readString(dir.resolve("explanation.json"))).contains("\"status\": \"worked_around\"")
                .contains("\"convolutions\": \"pytorch\"").contains("\"simulated_fault\": true");
    }

    @Test
    void wrongGradientsEverywhereRefuseGradientMethodsButForwardOnlyMethodsRun(@TempDir Path dir) throws Exception {
        List<String> fault = List.of("-Dcamunit.engine.simulateFault=gradients");
        Result gradCam = camunitWith(fault, explain(dir.resolve("grad-cam"), "grad-cam"));
        Result scoreCam = camunitWith(fault, explain(dir.resolve("score-cam"), "score-cam"));

        assertThat(gradCam.code()).as(gradCam.output()).isEqualTo(1);
        assertThat(gradCam.output()).contains("camunit: Gradient methods are refused: on this CPU")
                .contains("Fix: start the JVM with the environment variable DNNL_MAX_CPU_ISA=SSE41")
                .doesNotContain("\tat ");
        assertThat(dir.resolve("grad-cam/heatmap.npy")).doesNotExist();
        assertThat(scoreCam.code()).as(scoreCam.output()).isZero();
        assertThat(dir.resolve("score-cam/heatmap.npy")).isRegularFile();
    }

    @Test
    void wrongOutputsEverywhereRefuseTheModel(@TempDir Path dir) throws Exception {
        Result r = camunitWith(List.of("-Dcamunit.engine.simulateFault=all"), explain(dir, "score-cam"));

        assertThat(r.code()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("camunit: Models are refused: on this CPU")
                .contains("No method can run until then.").doesNotContain("\tat ");
    }

    @Test
    void evaluateWritesTheTableAndItsFiles(@TempDir Path dir) throws Exception {
        Result r = camunit("evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data", "fixtures/shapes/val/coco.json",
                "--method", "grad-cam", "--metrics", "mass-inside,peak-inside", "--save-maps", "--out", dir.toString());
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("24/24 samples (100 %)").containsPattern("grad-cam\\s+peak-inside\\s+[01]\\.\\d{6}")
                .doesNotContain("WARN");
        assertThat(Files.readAllLines(dir.resolve("samples.csv"))).hasSize(1 + 24)
                .first().isEqualTo("id,label,method,target,predicted,score,mass-inside,peak-inside,note");
        assertThat(dir.resolve("summary.json")).isRegularFile();
        assertThat(dir.resolve("maps/grad-cam/images_0024.png.npy")).isRegularFile();
    }

    @Test
    void evaluateGatesDecideTheExitCode(@TempDir Path dir) throws Exception {
        Result pass = camunit("evaluate", "--model", "fixtures/models/shapes-clean.pt", "--data", "fixtures/shapes/val/coco.json",
                "--metrics", "mass-inside,peak-inside", "--gate", "peak-inside >= 1 for 50%", "--gate", "mean mass-inside > 0",
                "--out", dir.resolve("clean").toString());
        assertThat(pass.code()).as(pass.output()).isZero();
        assertThat(pass.output()).contains("PASS  grad-cam  peak-inside >= 1 for 50%: ", "PASS  grad-cam  mean mass-inside > 0: ")
                .doesNotContain("FAIL", "WARN");
        Result fail = camunit("evaluate", "--model", "fixtures/models/shapes-shortcut.pt",
                "--data", "fixtures/shapes/test-marked/coco.json", "--gate", "peak-inside >= 1 for 80%",
                "--out", dir.resolve("shortcut").toString());
        assertThat(fail.code()).as(fail.output()).isEqualTo(3);
        assertThat(fail.output()).containsPattern("FAIL  grad-cam  peak-inside >= 1 for 80%: \\d+/60 samples .*, worst: images/");
        assertThat(Files.readString(dir.resolve("shortcut/summary.json"))).contains("\"gates\"", "\"passed\": false");
        Result help = camunit("evaluate", "--help");
        // Whitespace-normalised: picocli wraps the description wherever the option column ends.
        assertThat(help.output().replaceAll("\\s+", " ")).contains("for PERCENT% [with CONFIDENCE%", "Exit codes:")
                .doesNotContain("WARN");
    }

    @Test
    void badInputExitsWithOne() throws Exception {
        Result r = camunit("layers", "--model", "fixtures/models/missing.pt");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.output()).startsWith("camunit: Model file").contains("missing.pt does not exist");
    }
}
