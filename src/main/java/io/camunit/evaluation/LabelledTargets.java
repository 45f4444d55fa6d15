package io.camunit.evaluation;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Target;
import io.camunit.model.CamModel;
import io.camunit.region.LabeledSample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The class-index target of each sample's labelled class, or on a detector the box target of its one
 * object; every unknown label is reported at once.
 */
final class LabelledTargets {

    private LabelledTargets() {}

    /**
     * @param samples the samples, each of one class (per-class items)
     * @param model a model with class names
     * @return one target per sample
     * @throws CamunitException for a model without class names, a sample without exactly one class,
     *     or labels the model does not know (all listed, with a sample of each)
     */
    static List<Target> of(List<LabeledSample> samples, CamModel model) {
        List<String> classes = model.classes();
        if (classes.isEmpty()) {
            throw new CamunitException("Model " + model.name() + " names no classes, so a sample's label cannot be"
                    + " mapped to a class index. Give the model its class names (\"classes\" in its camunit.json)"
                    + " or explain the predicted class (--target predicted, TargetMode.PREDICTED).");
        }
        List<Target> out = new ArrayList<>(samples.size());
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (LabeledSample s : samples) {
            List<String> labels = s.labels();
            if (labels.size() != 1) {
                throw new CamunitException("Sample " + s.id() + " has " + (labels.isEmpty() ? "no labelled objects"
                        + "" : "objects of several classes " + labels) + ", but a labelled target explains one"
                        + " labelled class per item. Explain the predicted class (--target predicted,"
                        + " TargetMode.PREDICTED), or leave such samples out of the data.");
            }
            int index = classes.indexOf(labels.get(0));
            if (index < 0) {
                unknown.computeIfAbsent(labels.get(0), l -> new ArrayList<>()).add(s.id());
            }
            out.add(index >= 0 && model.isDetector() ? Explainer.labelledTarget(model, s)
                    : Target.classIndex(Math.max(index, 0)));
        }
        if (!unknown.isEmpty()) {
            List<String> parts = new ArrayList<>();
            unknown.forEach((label, ids) -> parts.add("'" + label + "' (" + ids.size() + " sample"
                    + (ids.size() == 1 ? "" : "s") + ", e.g. " + ids.get(0) + ")"));
            throw new CamunitException("Model " + model.name() + " does not know the label"
                    + (unknown.size() == 1 ? " " : "s ") + String.join(", ", parts) + ": its classes are " + classes
                    + ". Labels are matched to class names exactly; use the model trained on these classes, fix the"
                    + " labels, evaluate only the classes it knows (--classes, Evaluation.Builder.optClasses), or"
                    + " explain the predicted class (--target predicted, TargetMode.PREDICTED).");
        }
        return out;
    }
}
