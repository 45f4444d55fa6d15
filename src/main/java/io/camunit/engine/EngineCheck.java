package io.camunit.engine;

import io.camunit.CamunitException;
import io.camunit.engine.ConvolutionProbe.Spoil;

import ai.djl.engine.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.LoggerFactory;

/**
 * Checks, once per JVM and before its first model runs, that the engine computes convolutions and
 * their gradients correctly, and chooses the kernels that do. The oneDNN kernels of the native
 * PyTorch that DJL ships compute wrong outputs and wrong input gradients on some processors for
 * convolutions whose channel counts are not multiples of the kernels' vector width (seen on an
 * AVX-512 AMD EPYC: 3x3 and 5x5 convolutions with 8, 12, 20, 24 or 40 channels; a map from them is
 * silently wrong). The check:
 *
 * <ol>
 *   <li>runs the {@link ConvolutionProbe} on oneDNN's kernels (PyTorch's default); if every output
 *       and gradient is exact, they stay ({@link EngineVerdict.Status#VERIFIED});
 *   <li>otherwise switches the JVM to PyTorch's own kernels and runs the probe again; if that is
 *       exact, they stay ({@link EngineVerdict.Status#WORKED_AROUND});
 *   <li>otherwise refuses gradient methods, or every model when outputs are wrong too, with a message
 *       naming the CPU, the evidence and the fix ({@link EngineVerdict.Status#GRADIENTS_REFUSED},
 *       {@link EngineVerdict.Status#REFUSED}).
 * </ol>
 *
 * <p>Two system properties exercise this on any machine: {@code camunit.engine.convolutions=pytorch}
 * skips step 1 (the safe path, verified), and {@code camunit.engine.simulateFault} spoils the
 * engine's answers in the probe as a faulty processor would: {@code onednn} (the gradients of step
 * 1, so the check switches), {@code gradients} (every probe's gradients, so gradient methods are
 * refused) or {@code all} (every output and gradient, so models are refused). The verdict is the
 * JVM's: computed once, logged once (INFO, or WARN when something is refused) and kept, documented
 * static state like the {@link GradientLock}.
 *
 * <pre>{@code
 * EngineVerdict v = EngineCheck.verdict();   // runs the probe the first time, in well under a second
 * System.err.println(v.summary());
 * }</pre>
 */
public final class EngineCheck {

    /** {@code auto} (the default: oneDNN's kernels where verified) or {@code pytorch} (PyTorch's own). */
    public static final String CONVOLUTIONS = "camunit.engine.convolutions";
    /** {@code none} (the default), {@code onednn}, {@code gradients} or {@code all}: what the probe sees spoiled. */
    public static final String SIMULATE_FAULT = "camunit.engine.simulateFault";

    private static volatile EngineVerdict verdict;

    private EngineCheck() {}

    /** What a simulated fault spoils. */
    enum Simulation {
        NONE, ONEDNN, GRADIENTS, ALL;

        Spoil spoil(ConvolutionKernels kernels) {
            return switch (this) {
                case NONE -> Spoil.NOTHING;
                case ONEDNN -> kernels == ConvolutionKernels.ONEDNN ? Spoil.GRADIENTS : Spoil.NOTHING;
                case GRADIENTS -> Spoil.GRADIENTS;
                case ALL -> Spoil.OUTPUTS_AND_GRADIENTS;
            };
        }
    }

    /**
     * The settings the check runs with.
     *
     * @param pytorchKernels skip the oneDNN probe and use PyTorch's own kernels
     * @param simulation what the probe sees spoiled
     */
    record Settings(boolean pytorchKernels, Simulation simulation) {

        static final Settings DEFAULT = new Settings(false, Simulation.NONE);

        /**
         * @param properties the system properties
         * @return the settings they ask for
         * @throws CamunitException for a value other than those documented
         */
        static Settings read(Map<?, ?> properties) {
            String convolutions = value(properties, CONVOLUTIONS, "auto");
            if (!convolutions.equals("auto") && !convolutions.equals("pytorch")) {
                throw new CamunitException("System property " + CONVOLUTIONS + " must be 'auto' (oneDNN's kernels"
                        + " where the engine check verifies them, else PyTorch's own) or 'pytorch' (always PyTorch's"
                        + " own); got '" + properties.get(CONVOLUTIONS) + "'.");
            }
            String simulate = value(properties, SIMULATE_FAULT, "none");
            Simulation simulation = switch (simulate) {
                case "none" -> Simulation.NONE;
                case "onednn" -> Simulation.ONEDNN;
                case "gradients" -> Simulation.GRADIENTS;
                case "all" -> Simulation.ALL;
                default -> throw new CamunitException("System property " + SIMULATE_FAULT + " must be 'none',"
                        + " 'onednn' (oneDNN's gradients are wrong, as on a faulty CPU), 'gradients' (every kernel's"
                        + " gradients are wrong) or 'all' (every output and gradient is wrong); got '"
                        + properties.get(SIMULATE_FAULT) + "'.");
            };
            return new Settings(convolutions.equals("pytorch"), simulation);
        }

        private static String value(Map<?, ?> properties, String key, String otherwise) {
            Object v = properties.get(key);
            return v == null ? otherwise : v.toString().trim().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @return this JVM's verdict, checking the engine the first time (under the {@link GradientLock})
     * @throws CamunitException when a check property has a value other than those documented
     */
    public static EngineVerdict verdict() {
        EngineVerdict v = verdict;
        if (v != null) {
            return v;
        }
        return GradientLock.locked(() -> {
            if (verdict == null) {
                EngineVerdict checked = check(Settings.read(System.getProperties()));
                var log = LoggerFactory.getLogger(EngineCheck.class);
                if (checked.gradientsAllowed()) {
                    log.info(checked.summary());
                } else {
                    log.warn(checked.summary());
                }
                verdict = checked;
            }
            return verdict;
        });
    }

    /** @return the verdict if the engine was checked in this JVM, without checking it */
    public static Optional<EngineVerdict> checked() {
        return Optional.ofNullable(verdict);
    }

    /**
     * Checks the engine if needed; models call this before their first forward pass.
     *
     * @throws EngineFaultException when no kernels compute correct convolution outputs here
     */
    public static void requireForward() {
        EngineVerdict v = verdict();
        if (!v.forwardAllowed()) {
            throw new EngineFaultException(v.refusal());
        }
    }

    /**
     * Checks the engine if needed; gradient work calls this (through {@link GradientLock#run}).
     *
     * @throws EngineFaultException when no kernels compute correct convolution gradients here
     */
    public static void requireGradients() {
        EngineVerdict v = verdict();
        if (!v.gradientsAllowed()) {
            throw new EngineFaultException(v.refusal());
        }
    }

    /**
     * Runs the check with {@code settings} and leaves the JVM on the kernels of its verdict; call
     * under the {@link GradientLock}.
     *
     * @param settings the settings
     * @return the verdict
     */
    static EngineVerdict check(Settings settings) {
        QuietLogging.beforeFirstLogger();
        EngineThreads.configure();
        CpuInfo cpu = CpuInfo.current();
        Engine engine = Engine.getEngine("PyTorch");
        String name = "PyTorch " + engine.getVersion() + " through DJL " + Engine.getDjlVersion();
        Optional<String> fixVariable = Optional.ofNullable(System.getenv("DNNL_MAX_CPU_ISA"));
        List<ConvolutionProbe.Report> reports = new ArrayList<>(2);
        ConvolutionProbe probe = new ConvolutionProbe();
        if (!settings.pytorchKernels()) {
            ConvolutionProbe.Report onednn = probe.run(ConvolutionKernels.ONEDNN,
                    settings.simulation().spoil(ConvolutionKernels.ONEDNN));
            reports.add(onednn);
            if (onednn.passed()) {
                return new EngineVerdict(EngineVerdict.Status.VERIFIED, ConvolutionKernels.ONEDNN, cpu, name, reports,
                        Optional.empty(), fixVariable);
            }
        }
        Optional<String> unavailable = Optional.empty();
        try {
            OneDnnSwitch.shared();
            ConvolutionProbe.Report pytorch = probe.run(ConvolutionKernels.PYTORCH,
                    settings.simulation().spoil(ConvolutionKernels.PYTORCH));
            reports.add(pytorch);
            if (pytorch.passed()) {
                return new EngineVerdict(settings.pytorchKernels() ? EngineVerdict.Status.SAFE_BY_CHOICE
                        : EngineVerdict.Status.WORKED_AROUND, ConvolutionKernels.PYTORCH, cpu, name, reports,
                        Optional.empty(), fixVariable);
            }
        } catch (IllegalStateException e) {
            unavailable = Optional.of(e.getMessage());
        }
        // Nothing passed whole: keep the latest kernels whose outputs are right, for forward-only methods.
        for (int i = reports.size() - 1; i >= 0; i--) {
            ConvolutionProbe.Report report = reports.get(i);
            if (report.forwardPassed()) {
                report.kernels().select();
                return new EngineVerdict(EngineVerdict.Status.GRADIENTS_REFUSED, report.kernels(), cpu, name, reports,
                        unavailable, fixVariable);
            }
        }
        ConvolutionKernels.ONEDNN.select();
        return new EngineVerdict(EngineVerdict.Status.REFUSED, ConvolutionKernels.ONEDNN, cpu, name, reports,
                unavailable, fixVariable);
    }
}
