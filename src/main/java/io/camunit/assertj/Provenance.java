package io.camunit.assertj;

import io.camunit.explain.ExplainedSample;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What explained the samples of one pass over a data set: the methods, layers and models, in order
 * of appearance, for evidence labels and baseline checks. Fill it from one thread.
 */
final class Provenance {

    private final Set<String> methods = new LinkedHashSet<>();
    private final Set<List<String>> layerLists = new LinkedHashSet<>();
    private final Set<String> models = new LinkedHashSet<>();

    /** @param s the next explained sample */
    void see(ExplainedSample s) {
        methods.add(s.explanation().method().id());
        layerLists.add(s.explanation().layers());
        s.model().ifPresent(models::add);
    }

    /** @return the method ids, in order of appearance */
    List<String> methods() {
        return List.copyOf(methods);
    }

    /** @return every layer, in order of appearance */
    List<String> layers() {
        return layerLists.stream().flatMap(List::stream).distinct().toList();
    }

    /** @return the layer lists, one per distinct combination */
    List<List<String>> layerLists() {
        return List.copyOf(layerLists);
    }

    /** @return the model's name when every sample named the same one */
    Optional<String> model() {
        return models.size() == 1 ? Optional.of(models.iterator().next()) : Optional.empty();
    }
}
