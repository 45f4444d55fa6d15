package io.camunit.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The processor the engine runs on, as messages and reports name it: the model name and the vector
 * instruction sets that decide which oneDNN kernels the engine picks.
 *
 * <pre>{@code
 * CpuInfo.current().describe();   // "AMD EPYC (avx2, avx512f)"
 * }</pre>
 *
 * @param model the model name {@code /proc/cpuinfo} gives, or the JVM's {@code os.arch} elsewhere
 * @param vectorFlags the vector instruction sets among avx, avx2, avx512f, avx512bw, avx512_vnni,
 *     amx_tile that the processor reports, in this order
 */
public record CpuInfo(String model, List<String> vectorFlags) {

    /** The flags worth naming: they select oneDNN's kernel families. */
    private static final List<String> NAMED = List.of("avx", "avx2", "avx512f", "avx512bw", "avx512_vnni", "amx_tile");

    /** @return a copy with an immutable flag list */
    public CpuInfo {
        vectorFlags = List.copyOf(vectorFlags);
    }

    /** @return this machine's processor; {@code /proc/cpuinfo} on Linux, the architecture elsewhere */
    public static CpuInfo current() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/cpuinfo")));
        } catch (IOException | SecurityException e) {
            // Not Linux, or not readable: the architecture is all that can be said.
            return new CpuInfo(System.getProperty("os.arch", "unknown processor"), List.of());
        }
    }

    /**
     * @param cpuinfo the lines of a {@code /proc/cpuinfo}
     * @return the first processor's model name and named vector flags
     */
    static CpuInfo parse(List<String> cpuinfo) {
        String model = "unknown processor";
        Set<String> flags = new TreeSet<>();
        boolean haveModel = false;
        boolean haveFlags = false;
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (!haveModel && key.equals("model name")) {
                model = value;
                haveModel = true;
            } else if (!haveFlags && key.equals("flags")) {
                flags.addAll(List.of(value.split("\\s+")));
                haveFlags = true;
            }
        }
        return new CpuInfo(model, NAMED.stream().filter(flags::contains).toList());
    }

    /** @return the model and its vector flags, e.g. {@code AMD EPYC (avx, avx2, avx512f)} */
    public String describe() {
        return vectorFlags.isEmpty() ? model : model + " (" + String.join(", ", vectorFlags) + ")";
    }
}
