package io.camunit.junit;

import io.camunit.explain.ExplanationCache;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledDataset;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * Loads models and data sets once and shares them through JUnit's store: the root store (the whole
 * engine run) when {@code camunit.model.cache} is on, else the store of the asking test, closed
 * when that test ends. {@link Store#getOrComputeIfAbsent} makes a load happen once even when
 * parallel tests ask at the same moment; a failed load fails every test that asks, with the same
 * message.
 */
final class SharedResources {

    static final Namespace NAMESPACE = Namespace.create(SharedResources.class);

    private SharedResources() {}

    /** The stored value: JUnit 5.13+ closes {@link AutoCloseable} store values when their context ends. */
    record SharedModel(CamModel model) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    private record ModelKey(ModelSpec spec) {}

    private record DatasetKey(Path path) {}

    static CamSettings settings(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(CamSettings.class,
                k -> CamSettings.read(context::getConfigurationParameter), CamSettings.class);
    }

    /** @return the run's explanation cache, or null when configured off */
    static ExplanationCache explanationCache(ExtensionContext context) {
        int size = settings(context).explanationCacheSize();
        return size == 0 ? null : context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(ExplanationCache.class,
                k -> new ExplanationCache(size), ExplanationCache.class);
    }

    /**
     * @return the recorder of the asking test (or of its class, for a class-wide test instance);
     *     created on first use
     */
    static ExplanationRecorder recorder(ExtensionContext context) {
        int shown = settings(context).evidenceWorst();
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(ExplanationRecorder.class,
                k -> new ExplanationRecorder(shown), ExplanationRecorder.class);
    }

    /** @return the recorder the test's explainers report to, or null when none was injected */
    static ExplanationRecorder existingRecorder(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(ExplanationRecorder.class, ExplanationRecorder.class);
    }

    static CamModel model(ModelSpec spec, ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(new ModelKey(spec), k -> new SharedModel(spec.load()),
                SharedModel.class).model();
    }

    static LabeledDataset dataset(String path, ExtensionContext context) {
        Path normalised = Path.of(path).toAbsolutePath().normalize();
        return store(context).getOrComputeIfAbsent(new DatasetKey(normalised), k -> LabeledDataset.open(Path.of(path)),
                LabeledDataset.class);
    }

    private static Store store(ExtensionContext context) {
        ExtensionContext owner = settings(context).modelCache() ? context.getRoot() : context;
        return owner.getStore(NAMESPACE);
    }
}
