package io.camunit.engine;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The gate every gradient computation of camunit passes. DJL's PyTorch gradient collector is
 * process-wide: only one may be open in a JVM at a time, so gradient work runs under this lock,
 * while forward-only work runs in parallel. Before the first gradient work of the JVM the
 * {@link EngineCheck} runs; where it found no kernels that compute correct gradients, gradient work
 * is refused with its message. The lock is camunit's one piece of static mutable state besides the
 * check's verdict.
 *
 * <pre>{@code
 * float[] g = GradientLock.run(() -> computeGradients());
 * }</pre>
 */
public final class GradientLock {

    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientLock() {}

    /**
     * Runs {@code work} while holding the lock, after the engine check.
     *
     * @param work what opens a gradient collector
     * @param <T> its result type
     * @return its result
     * @throws EngineFaultException when the engine check refuses gradients on this machine
     */
    public static <T> T run(Supplier<T> work) {
        return locked(() -> {
            EngineCheck.requireGradients();
            return work.get();
        });
    }

    /** Runs {@code work} under the lock without the check: the check's own probe. */
    static <T> T locked(Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
