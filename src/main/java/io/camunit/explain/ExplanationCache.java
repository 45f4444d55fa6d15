package io.camunit.explain;

import io.camunit.model.CamModel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Remembers explanations of labelled samples by (model, image file, method, layers, target), so
 * that several assertions on one sample in one test run compute its map once. Least recently used
 * entries are dropped beyond the capacity. Thread-safe; two threads asking for the same missing
 * entry at once may both compute it (the result is the same).
 *
 * <pre>{@code
 * ExplanationCache cache = new ExplanationCache(256);
 * Explainer gradCam = Explainer.builder().setMethod(Method.GRAD_CAM).addLayer("features.10").optCache(cache).build();
 * gradCam.explain(model, sample);   // computed
 * gradCam.explain(model, sample);   // the same Explanation, from the cache
 * }</pre>
 */
public final class ExplanationCache {

    private final int capacity;
    private final Map<Key, Explanation> entries;
    private int hits;
    private int misses;

    /** What identifies an explanation; the model by identity (models do not override equals). */
    record Key(CamModel model, Path image, Method method, List<String> layers, MethodOptions options, String target) {}

    /** @param capacity how many explanations to keep, at least 1 */
    public ExplanationCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("An explanation cache needs a capacity of at least 1; got " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Explanation> eldest) {
                return size() > ExplanationCache.this.capacity;
            }
        };
    }

    Explanation get(Key key, Supplier<Explanation> compute) {
        synchronized (this) {
            Explanation cached = entries.get(key);
            if (cached != null) {
                hits++;
                return cached;
            }
            misses++;
        }
        // Computed outside the lock, so that explanations of other samples are not held up.
        Explanation computed = compute.get();
        synchronized (this) {
            entries.put(key, computed);
        }
        return computed;
    }

    /** @return how many lookups found an explanation */
    public synchronized int hits() {
        return hits;
    }

    /** @return how many lookups had to compute one */
    public synchronized int misses() {
        return misses;
    }

    /** @return how many explanations are kept */
    public synchronized int size() {
        return entries.size();
    }
}
