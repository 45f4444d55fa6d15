package io.camunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.engine.ConvolutionProbe.Spoil;
import io.camunit.engine.EngineCheck.Settings;
import io.camunit.engine.EngineCheck.Simulation;
import io.camunit.engine.EngineVerdict.Status;
import io.camunit.explain.Method;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * The engine check on this machine, and its detection, switch and refusals on any machine through
 * the simulated faults. Each check leaves the JVM on the kernels of the JVM's own verdict.
 */
class EngineCheckTest {

    /** Runs a check with other settings, then puts the JVM's kernels back as its verdict chose them. */
    private static EngineVerdict check(Settings settings) {
        EngineVerdict jvm = EngineCheck.verdict();
        return GradientLock.locked(() -> {
            try {
                return EngineCheck.check(settings);
            } finally {
                jvm.kernels().select();
            }
        });
    }

    private static <T> T locked(Supplier<T> work) {
        return GradientLock.locked(work);
    }

    @Test
    void thisMachineComputesCorrectConvolutionsWithOneKindOfKernelsOrTheOther() {
        EngineVerdict verdict = EngineCheck.verdict();

        assertThat(verdict.status()).isIn(Status.VERIFIED, Status.WORKED_AROUND);
        assertThat(verdict.reports().get(verdict.reports().size() - 1).passed()).isTrue();
        assertThat(verdict.reports().get(verdict.reports().size() - 1).kernels()).isEqualTo(verdict.kernels());
        System.out.println(verdict.summary());
    }

    @Test
    void convolutionsRunOnTheKernelsTheCheckVerified() {
        EngineCheck.verdict();
        for (ConvolutionProbe.Case c : ConvolutionProbe.CASES) {
            ConvolutionProbe.Result result = locked(() -> new ConvolutionProbe().check(c, Spoil.NOTHING));
            assertThat(result.passed()).as(result.describe()).isTrue();
            assertThat(result.gradientError()).as(c.describe()).isZero();
            assertThat(result.forwardError()).as(c.describe()).isZero();
        }
    }

    @Test
    void pyTorchsOwnKernelsComputeEveryProbeExactly() {
        EngineVerdict jvm = EngineCheck.verdict();
        ConvolutionProbe.Report report = locked(() -> {
            try {
                return new ConvolutionProbe().run(ConvolutionKernels.PYTORCH, Spoil.NOTHING);
            } finally {
                jvm.kernels().select();
            }
        });

        assertThat(report.failures()).isEmpty();
        assertThat(report.results()).allSatisfy(r -> {
            assertThat(r.gradientError()).isZero();
            assertThat(r.forwardError()).isZero();
        });
    }

    @Test
    void aSimulatedOneDnnFaultIsDetectedAndConvolutionsSwitchToPyTorchsKernels() {
        EngineVerdict verdict = check(new Settings(false, Simulation.ONEDNN));

        assertThat(verdict.status()).isEqualTo(Status.WORKED_AROUND);
        assertThat(verdict.kernels()).isEqualTo(ConvolutionKernels.PYTORCH);
        assertThat(verdict.reports()).extracting(ConvolutionProbe.Report::kernels)
                .containsExactly(ConvolutionKernels.ONEDNN, ConvolutionKernels.PYTORCH);
        assertThat(verdict.reports().get(0).failures()).hasSize(ConvolutionProbe.CASES.size());
        // At least the simulated 50 %: a faulty CPU adds its own error to it.
        assertThat(verdict.reports().get(0).failures().get(0).describe())
                .matches("3->8 channels 3x3 at 160x160, batch 1: input gradient (off by \\d+ % of the largest value|not finite)");
        assertThat(verdict.summary()).startsWith("engine check: PyTorch ")
                .contains("computes wrong convolutions with oneDNN's kernels on this CPU")
                .contains("camunit switched to PyTorch's own convolution kernels (oneDNN and NNPACK off), verified")
                .endsWith("[fault simulated by -Dcamunit.engine.simulateFault]");
        assertThat(verdict.gradientsAllowed()).isTrue();
    }

    @Test
    void wrongGradientsEverywhereRefuseGradientMethodsButNotModels() {
        EngineVerdict verdict = check(new Settings(false, Simulation.GRADIENTS));

        assertThat(verdict.status()).isEqualTo(Status.GRADIENTS_REFUSED);
        assertThat(verdict.forwardAllowed()).isTrue();
        assertThat(verdict.gradientsAllowed()).isFalse();
        assertThat(verdict.kernels()).isEqualTo(ConvolutionKernels.PYTORCH);
        assertThat(verdict.refusal())
                .startsWith("Gradient methods are refused: on this CPU, " + CpuInfo.current().describe())
                .contains("computes wrong convolution gradients")
                .contains("PyTorch's own convolution kernels (oneDNN and NNPACK off): 3->8 channels 3x3 at 160x160,"
                        + " batch 1: input gradient off by 50 % of the largest value")
                .contains("Fix: start the JVM with the environment variable DNNL_MAX_CPU_ISA=SSE41")
                .contains("<environmentVariables><DNNL_MAX_CPU_ISA>SSE41</DNNL_MAX_CPU_ISA></environmentVariables>")
                .contains("(The fault was simulated by -Dcamunit.engine.simulateFault; remove it to check the real engine.)")
                .endsWith("Methods that need no gradients (cam, eigen-cam, fem, kpca-cam, score-cam, ss-cam, is-cam,"
                        + " ablation-cam, occlusion, rise, random, sobel) still run.");
    }

    @Test
    void wrongOutputsEverywhereRefuseModels() {
        EngineVerdict verdict = check(new Settings(false, Simulation.ALL));

        assertThat(verdict.status()).isEqualTo(Status.REFUSED);
        assertThat(verdict.forwardAllowed()).isFalse();
        assertThat(verdict.refusal()).startsWith("Models are refused: on this CPU")
                .contains("computes wrong convolution outputs")
                .contains("PyTorch's own convolution kernels (oneDNN and NNPACK off): 3->8 channels 3x3 at 160x160,"
                        + " batch 1: output off by 50 % of the largest value, input gradient off by 50 % of the largest value")
                .endsWith("No method can run until then.");
        assertThat(verdict.summary()).contains("models are refused");
    }

    @Test
    void pyTorchKernelsOnRequestSkipOneDnnAndAreVerified() {
        EngineVerdict verdict = check(new Settings(true, Simulation.NONE));

        assertThat(verdict.status()).isEqualTo(Status.SAFE_BY_CHOICE);
        assertThat(verdict.reports()).singleElement().satisfies(r -> {
            assertThat(r.kernels()).isEqualTo(ConvolutionKernels.PYTORCH);
            assertThat(r.passed()).isTrue();
        });
        assertThat(verdict.toMap()).containsEntry("status", "safe_by_choice").containsEntry("convolutions", "pytorch")
                .containsEntry("simulated_fault", false).containsKeys("cpu", "engine", "probes");
    }

    @Test
    void theForwardOnlyMethodsNamedInTheRefusalAreThoseThatNeedNoGradients() {
        List<String> forwardOnly = Arrays.stream(Method.values()).filter(m -> !m.needsGradients()).map(Method::id).toList();

        assertThat(EngineVerdict.FORWARD_ONLY_METHODS).containsExactlyInAnyOrderElementsOf(forwardOnly);
    }

    @Test
    void settingsComeFromSystemProperties() {
        assertThat(Settings.read(Map.of())).isEqualTo(Settings.DEFAULT);
        assertThat(Settings.read(Map.of(EngineCheck.CONVOLUTIONS, "PyTorch", EngineCheck.SIMULATE_FAULT, "all")))
                .isEqualTo(new Settings(true, Simulation.ALL));
        assertThat(Settings.read(Map.of(EngineCheck.SIMULATE_FAULT, "onednn")))
                .isEqualTo(new Settings(false, Simulation.ONEDNN));
        assertThat(Settings.read(Map.of(EngineCheck.SIMULATE_FAULT, "gradients")))
                .isEqualTo(new Settings(false, Simulation.GRADIENTS));
    }

    @Test
    void unknownSettingsAreClearErrors() {
        assertThatThrownBy(() -> Settings.read(Map.of(EngineCheck.CONVOLUTIONS, "fast")))
                .isInstanceOf(CamunitException.class)
                .hasMessage("System property camunit.engine.convolutions must be 'auto' (oneDNN's kernels where the"
                        + " engine check verifies them, else PyTorch's own) or 'pytorch' (always PyTorch's own); got 'fast'.");
        assertThatThrownBy(() -> Settings.read(Map.of(EngineCheck.SIMULATE_FAULT, "yes")))
                .isInstanceOf(CamunitException.class)
                .hasMessageContaining("camunit.engine.simulateFault must be 'none', 'onednn'").hasMessageEndingWith("got 'yes'.");
    }

    @Test
    void theCpuIsReadFromProcCpuinfo() {
        CpuInfo cpu = CpuInfo.parse(List.of("processor\t: 0", "model name\t: AMD EPYC",
                "flags\t\t: fpu sse avx avx2 avx512f avx512bw avx512_vnni", "processor\t: 1", "model name\t: other"));

        assertThat(cpu).isEqualTo(new CpuInfo("AMD EPYC", List.of("avx", "avx2", "avx512f", "avx512bw", "avx512_vnni")));
        assertThat(cpu.describe()).isEqualTo("AMD EPYC (avx, avx2, avx512f, avx512bw, avx512_vnni)");
    }
}
