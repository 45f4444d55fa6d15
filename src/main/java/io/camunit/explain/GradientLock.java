package io.camunit.explain;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises gradient work across threads. DJL's PyTorch gradient collector is process-wide: only
 * one may be open in a JVM at a time, so every backward pass in camunit runs under this lock, while
 * forward-only work runs in parallel. This is camunit's one piece of static mutable state.
 *
 * <pre>{@code
 * float[] g = GradientLock.run(() -> computeGradients());
 * }</pre>
 */
public final class GradientLock {

    private static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientLock() {}

    /**
     * Runs {@code work} while holding the lock.
     *
     * @param work what opens a gradient collector
     * @param <T> its result type
     * @return its result
     */
    public static <T> T run(Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
