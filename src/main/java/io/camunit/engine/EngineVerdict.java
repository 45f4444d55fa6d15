package io.camunit.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the engine check found in this JVM: whether the engine's convolutions, forward and backward,
 * are correct, and which {@link ConvolutionKernels} compute them. Reports carry it
 * ({@code explanation.json}, {@code summary.json}, the Allure environment) and the command line
 * prints {@link #summary()}.
 *
 * <pre>{@code
 * EngineVerdict v = EngineCheck.verdict();
 * v.gradientsAllowed();   // false only when no kernels compute correct gradients
 * v.summary();            // "engine check: convolutions verified on oneDNN's kernels ..."
 * }</pre>
 *
 * @param status what the check concluded
 * @param kernels the kernels every convolution of the JVM now uses
 * @param cpu the processor
 * @param engine the engine and its version, e.g. {@code PyTorch 2.7.1 through DJL 0.35.1}
 * @param reports the probe reports in the order they ran (oneDNN first, unless PyTorch's own
 *     kernels were asked for)
 * @param unavailable why {@link ConvolutionKernels#PYTORCH} could not be selected, when it could not
 * @param fixVariable the value of {@code DNNL_MAX_CPU_ISA} the JVM was started with, if any
 */
public record EngineVerdict(Status status, ConvolutionKernels kernels, CpuInfo cpu, String engine,
        List<ConvolutionProbe.Report> reports, Optional<String> unavailable, Optional<String> fixVariable) {

    /** What the check concluded. */
    public enum Status {
        /** oneDNN's kernels computed every probe exactly: convolutions use them. */
        VERIFIED,
        /** oneDNN's kernels failed the probe; PyTorch's own passed and every convolution uses them. */
        WORKED_AROUND,
        /** PyTorch's own kernels were asked for by {@code camunit.engine.convolutions=pytorch} and passed. */
        SAFE_BY_CHOICE,
        /** Outputs are correct but no kernels compute correct gradients: gradient methods are refused. */
        GRADIENTS_REFUSED,
        /** No kernels compute correct outputs: models are refused. */
        REFUSED
    }

    /** The methods that need no gradient, as {@code Method.needsGradients()} says (a test keeps them equal). */
    static final List<String> FORWARD_ONLY_METHODS = List.of("cam", "eigen-cam", "fem", "kpca-cam", "score-cam",
            "ss-cam", "is-cam", "ablation-cam", "occlusion", "rise", "random", "sobel");

    /** @return an immutable verdict */
    public EngineVerdict {
        reports = List.copyOf(reports);
    }

    /** @return whether models may run: their outputs are computed correctly */
    public boolean forwardAllowed() {
        return status != Status.REFUSED;
    }

    /** @return whether gradient methods may run */
    public boolean gradientsAllowed() {
        return status != Status.REFUSED && status != Status.GRADIENTS_REFUSED;
    }

    /** @return whether any report was spoiled on purpose by {@code camunit.engine.simulateFault} */
    public boolean simulated() {
        return reports.stream().anyMatch(ConvolutionProbe.Report::simulatedFault);
    }

    /** @return one line for logs and the command line's standard error */
    public String summary() {
        String simulated = simulated() ? " [fault simulated by -D" + EngineCheck.SIMULATE_FAULT + "]" : "";
        return "engine check: " + switch (status) {
            case VERIFIED -> "convolutions verified on " + kernels.description() + " (" + cases() + ", "
                    + cpu.describe() + ")";
            case WORKED_AROUND -> engine + " computes wrong convolutions with oneDNN's kernels on this CPU, "
                    + cpu.describe() + " (" + firstFailure() + "); camunit switched to " + kernels.description()
                    + ", verified (" + cases() + ")";
            case SAFE_BY_CHOICE -> "convolutions use " + kernels.description() + " as -D" + EngineCheck.CONVOLUTIONS
                    + "=pytorch asks, verified (" + cases() + ", " + cpu.describe() + ")";
            case GRADIENTS_REFUSED -> "no kernels compute correct convolution gradients on this CPU, " + cpu.describe()
                    + " (" + firstFailure() + "); gradient methods are refused, outputs verified on "
                    + kernels.description();
            case REFUSED -> "no kernels compute correct convolutions on this CPU, " + cpu.describe() + " ("
                    + firstFailure() + "); models are refused";
        } + simulated;
    }

    /**
     * @return the message of a refusal: what is refused, the fault, the evidence, the fix and what
     *     still works
     */
    public String refusal() {
        boolean models = status == Status.REFUSED;
        StringBuilder s = new StringBuilder(models ? "Models are refused" : "Gradient methods are refused")
                .append(": on this CPU, ").append(cpu.describe()).append(", the engine (").append(engine)
                .append(") computes wrong convolution ").append(models ? "outputs" : "gradients")
                .append(", so every map that needs them would be wrong. The engine check compared its convolutions")
                .append(" with an exact computation: ");
        for (ConvolutionProbe.Report report : reports) {
            s.append(report.kernels().description()).append(": ");
            s.append(report.failures().isEmpty() ? "correct" : report.failures().stream()
                    .limit(3).map(ConvolutionProbe.Result::describe).collect(Collectors.joining("; ")));
            s.append(". ");
        }
        unavailable.ifPresent(why -> s.append(ConvolutionKernels.PYTORCH.description()).append(" could not be selected: ")
                .append(why).append(". "));
        if (simulated()) {
            s.append("(The fault was simulated by -D").append(EngineCheck.SIMULATE_FAULT)
                    .append("; remove it to check the real engine.) ");
        }
        s.append("Fix: start the JVM with the environment variable DNNL_MAX_CPU_ISA=SSE41, which keeps oneDNN to")
                .append(" kernels that compute these convolutions correctly (shell: export DNNL_MAX_CPU_ISA=SSE41;")
                .append(" Maven Surefire: <environmentVariables><DNNL_MAX_CPU_ISA>SSE41</DNNL_MAX_CPU_ISA>")
                .append("</environmentVariables>)");
        fixVariable.ifPresent(v -> s.append("; this JVM was started with DNNL_MAX_CPU_ISA=").append(v));
        s.append(". ");
        s.append(models ? "No method can run until then."
                : "Methods that need no gradients (" + String.join(", ", FORWARD_ONLY_METHODS) + ") still run.");
        return s.toString();
    }

    /**
     * @return the verdict as JSON-ready values: {@code status}, {@code convolutions}, {@code cpu},
     *     {@code engine}, {@code probes} (per kernels: passed, cases, seconds, failures) and
     *     {@code simulated_fault}
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("status", status.name().toLowerCase(Locale.ROOT));
        map.put("convolutions", kernels.id());
        map.put("cpu", cpu.describe());
        map.put("engine", engine);
        Map<String, Object> probes = new LinkedHashMap<>();
        for (ConvolutionProbe.Report report : reports) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("passed", report.passed());
            r.put("cases", report.results().size());
            r.put("seconds", Math.round(report.nanos() / 1e6) / 1e3);
            r.put("failures", report.failures().stream().map(ConvolutionProbe.Result::describe).toList());
            probes.put(report.kernels().id(), r);
        }
        map.put("probes", probes);
        unavailable.ifPresent(why -> map.put("pytorch_kernels_unavailable", why));
        map.put("simulated_fault", simulated());
        return map;
    }

    private String cases() {
        ConvolutionProbe.Report last = reports.get(reports.size() - 1);
        return last.results().size() + " known-answer convolutions, "
                + String.format(Locale.ROOT, "%.2f s", reports.stream().mapToLong(ConvolutionProbe.Report::nanos).sum() / 1e9);
    }

    private String firstFailure() {
        return reports.stream().flatMap(r -> r.failures().stream()).findFirst()
                .map(ConvolutionProbe.Result::describe).orElse("no failure recorded");
    }
}
