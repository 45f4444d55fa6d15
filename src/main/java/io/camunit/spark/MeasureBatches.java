package io.camunit.spark;

import io.camunit.evaluation.MeasuredSample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The task of one partition on an executor: its batches explained and measured by
 * {@link io.camunit.evaluation.Evaluation#measure}, the local run's per-batch code, one list of rows per batch.
 */
final class MeasureBatches implements FlatMapFunction<Iterator<ArrayList<Integer>>, ArrayList<MeasuredRow>> {

    private static final long serialVersionUID = 1L;

    /**
     * Fault drill: the first task in a JVM that measures the sample of this id dies once it has measured
     * its batch (later attempts and tasks go on), e.g. {@code -Dcamunit.spark.failOnce=scene-3}, to check
     * that Spark's retry yields every row exactly once.
     */
    static final String FAIL_ONCE = "camunit.spark.failOnce";
    private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    private final EvaluationRecipe recipe;
    private final SharedFiles files;

    MeasureBatches(EvaluationRecipe recipe, SharedFiles files) {
        this.recipe = recipe;
        this.files = files;
    }

    @Override
    public Iterator<ArrayList<MeasuredRow>> call(Iterator<ArrayList<Integer>> batches) {
        EvaluationRecipe.Opened opened = ExecutorEvaluations.borrow(recipe, files);
        boolean healthy = false;
        try {
            List<ArrayList<MeasuredRow>> out = new ArrayList<>();
            while (batches.hasNext()) {
                List<Integer> batch = batches.next();
                List<MeasuredSample> rows = opened.evaluation().measure(batch);
                int methods = rows.size() / batch.size();
                ArrayList<MeasuredRow> forms = new ArrayList<>(rows.size());
                for (int r = 0; r < rows.size(); r++) {
                    forms.add(new MeasuredRow(batch.get(r / methods), rows.get(r)));
                }
                failOnceIfAsked(rows);
                out.add(forms);
            }
            healthy = true;
            return out.iterator();
        } finally {
            if (healthy) {
                ExecutorEvaluations.giveBack(recipe, opened);
            } else {
                // After a fault the model's state is unknown: the next task opens a fresh one.
                ExecutorEvaluations.close(opened);
            }
        }
    }

    /** @return whether this JVM injected the failure at the sample of this id */
    static boolean failedOnce(String id) {
        return FAILED_ONCE.contains(id);
    }

    private static void failOnceIfAsked(List<MeasuredSample> rows) {
        String id = System.getProperty(FAIL_ONCE);
        if (id != null && rows.stream().anyMatch(r -> r.sample().id().equals(id)) && FAILED_ONCE.add(id)) {
            throw new IllegalStateException("Task failure injected by -D" + FAIL_ONCE + "=" + id + " after measuring"
                    + " sample " + id + " (once per JVM); Spark retries the task.");
        }
    }
}
