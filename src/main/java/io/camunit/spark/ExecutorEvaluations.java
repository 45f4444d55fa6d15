package io.camunit.spark;

import io.camunit.CamunitException;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The evaluations opened in this JVM, one per executor slot: a task borrows one (opening it, i.e.
 * loading the model, only when none is idle) and gives it back, so that an executor loads the model
 * once per concurrent task, not once per partition. In local mode the executors are threads of the
 * driver's JVM and share this pool; a model is never used by two tasks at once.
 */
final class ExecutorEvaluations {

    private static final Map<EvaluationRecipe, Deque<EvaluationRecipe.Opened>> IDLE = new ConcurrentHashMap<>();

    private ExecutorEvaluations() {}

    static EvaluationRecipe.Opened borrow(EvaluationRecipe recipe, SharedFiles files) {
        EvaluationRecipe.Opened idle = IDLE.computeIfAbsent(recipe, r -> new ConcurrentLinkedDeque<>()).pollFirst();
        return idle != null ? idle : recipe.open(files::localCopy);
    }

    static void giveBack(EvaluationRecipe recipe, EvaluationRecipe.Opened opened) {
        IDLE.computeIfAbsent(recipe, r -> new ConcurrentLinkedDeque<>()).addFirst(opened);
    }

    /** Closes the idle evaluations of a recipe, e.g. after a run whose executors were this JVM's threads. */
    static void closeIdle(EvaluationRecipe recipe) {
        Deque<EvaluationRecipe.Opened> idle = IDLE.remove(recipe);
        if (idle != null) {
            idle.forEach(ExecutorEvaluations::close);
        }
    }

    static void close(EvaluationRecipe.Opened opened) {
        try {
            opened.resources().close();
        } catch (Exception e) {
            throw new CamunitException("Could not close the model of an executor's evaluation: " + e, e);
        }
    }
}
