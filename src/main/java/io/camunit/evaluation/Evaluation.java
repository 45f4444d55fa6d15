package io.camunit.evaluation;

import io.camunit.CamunitException;
import io.camunit.explain.Explainer;
import io.camunit.explain.Explanation;
import io.camunit.explain.Target;
import io.camunit.gate.Gate;
import io.camunit.gate.Regression;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.metric.DegenerateMapException;
import io.camunit.metric.EmptyRegionException;
import io.camunit.metric.SampleMetric;
import io.camunit.model.CamModel;
import io.camunit.model.InputImage;
import io.camunit.region.LabeledSample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's explanations evaluated over a labelled data set, from Java: every sample explained by
 * every explainer (formula methods sharing their passes, {@link Explainer#explainEach}), measured
 * with every metric, summarised per method, metric and class, and judged by release {@link Gate}s
 * and {@link Regression}s from baselines. It reads the samples batch by batch and keeps one value
 * per sample, metric and method, never the maps: memory does not grow with the data set but for
 * those values. {@code camunit evaluate} runs exactly this and prints it.
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.builder()
 *         .setModel(model)
 *         .setSamples(LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json")).samples())
 *         .setExplainers(List.of(Explainer.of(Method.GRAD_CAM, "features.10")))
 *         .optMetrics(SampleMetric.parseList("peak-inside,mass-inside"))
 *         .optGates(List.of(Gate.parse("peak-inside >= 1 for 80%")))
 *         .build()
 *         .run();
 * r.passed();                                   // every gate and baseline holds
 * r.verdicts().get(0).verdict().summary();      // "58/60 samples (96.7 %)"
 * }</pre>
 */
public final class Evaluation {

    /** The metrics measured unless others are given. */
    public static final String DEFAULT_METRICS = "mass-inside,peak-inside,rank-accuracy";

    /** Which class each sample is explained for, e.g. {@code builder().optTarget(TargetMode.PREDICTED)}. */
    public enum TargetMode {
        /**
         * Each labelled class of each sample, matched by name to the model's classes: a sample with
         * objects of k classes is k items ({@link LabeledSample#perClass()}), each measured against
         * its class's objects only (the pointing-game protocol). On a detector
         * ({@link CamModel#isDetector()}) each labelled object is an item
         * ({@link LabeledSample#perObject()}, ids {@code <image>#<index>}), explained with a box
         * target ({@link Target#box}) and measured against that object alone.
         */
        LABELLED,
        /** The class the model predicts (arg-max), measured against all of a sample's objects. */
        PREDICTED
    }

    private final CamModel model;
    private final List<LabeledSample> samples;
    private final List<Explainer> explainers;
    private final List<SampleMetric> metrics;
    private final List<Gate> gates;
    private final List<Regression> regressions;
    private final List<Target> targets;
    private final int batchSize;
    private final boolean keepValues;
    private final int evidenceWorst;

    private Evaluation(Builder b) {
        this.model = b.model;
        if (b.model.isDetector() && b.targetMode == TargetMode.PREDICTED) {
            throw new CamunitException("Model " + b.model.name() + " is a detector: an image has no one predicted"
                    + " class to explain. Evaluate its labelled objects (--target labelled, TargetMode.LABELLED), each"
                    + " explained for the candidate box that matches it.");
        }
        // A labelled target explains each class an image holds (the pointing game): one item per class;
        // a detector is explained object by object.
        List<LabeledSample> items = b.targetMode == TargetMode.PREDICTED ? b.samples
                : b.model.isDetector() ? LabeledSample.perObject(b.samples) : LabeledSample.perClass(b.samples);
        if (items.isEmpty()) {
            throw new CamunitException("Model " + b.model.name() + " is a detector, evaluated object by object, but"
                    + " none of the " + b.samples.size() + " samples has a labelled object. Give a data set with"
                    + " labelled objects.");
        }
        this.samples = ofClasses(items, b.classes);
        this.explainers = b.explainers;
        this.metrics = b.metrics;
        this.gates = b.gates;
        this.regressions = b.regressions;
        // Resolved here, so that an unknown label fails before anything is explained or written.
        this.targets = b.targetMode == TargetMode.LABELLED ? LabelledTargets.of(samples, b.model)
                : samples.stream().map(s -> Target.predicted()).toList();
        this.batchSize = b.batchSize;
        this.keepValues = b.keepValues;
        this.evidenceWorst = b.evidenceWorst;
    }

    /**
     * Keeps the items of the given classes: with a labelled target each item is of one class; with a
     * predicted target a sample is kept when it has an object of one of them.
     */
    private static List<LabeledSample> ofClasses(List<LabeledSample> items, List<String> classes) {
        if (classes.isEmpty()) {
            return items;
        }
        List<LabeledSample> kept = items.stream().filter(s -> s.labels().stream().anyMatch(classes::contains)).toList();
        if (kept.isEmpty()) {
            java.util.Set<String> present = new java.util.LinkedHashSet<>();
            items.forEach(s -> present.addAll(s.labels()));
            throw new CamunitException("No sample has an object of the classes " + classes + " to evaluate; the"
                    + " samples' classes are " + present + ". Name classes of the data set (--classes, optClasses).");
        }
        return kept;
    }

    /** @return a builder; model, samples and explainers are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the metrics, in order */
    public List<SampleMetric> metrics() {
        return metrics;
    }

    /** @return the explainers, in order */
    public List<Explainer> explainers() {
        return explainers;
    }

    /**
     * @return the items evaluated, in order: the samples as given, or with a labelled target their
     *     per-class items ({@link LabeledSample#perClass()}), on a detector their per-object items
     *     ({@link LabeledSample#perObject()})
     */
    public List<LabeledSample> samples() {
        return samples;
    }

    /** @return how many samples (items) */
    public int size() {
        return samples.size();
    }

    /**
     * @return the result
     * @throws CamunitException for a model fault or a batch too large for the memory
     */
    public EvaluationResult run() {
        return run(new EvaluationListener() {});
    }

    /**
     * @param listener told of every measured sample and finished batch
     * @return the result
     * @throws CamunitException as {@link #run()}
     */
    public EvaluationResult run(EvaluationListener listener) {
        // Lazily, batch by batch: only one batch's rows are held at a time.
        Iterator<List<Integer>> batches = batches().iterator();
        return tally(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public List<MeasuredSample> next() {
                return measure(batches.next());
            }
        }, listener);
    }

    /**
     * How this evaluation cuts its items into passes: consecutive runs of at most the batch size (for a
     * model without a fixed input size a run also ends where the image size changes). A distributed run
     * gives whole batches to its workers, so every batch is explained as in {@link #run()}.
     *
     * <pre>{@code
     * evaluation.batches().get(0);   // [0, 1, ..., 15]: the indices in samples() of the first pass
     * }</pre>
     *
     * @return the indices in {@link #samples()} of each batch, in order
     */
    public List<List<Integer>> batches() {
        return Batches.of(samples, batchSize, model.input().hasSize());
    }

    /**
     * Explains and measures one batch: the per-batch step of {@link #run()}, for a worker that runs
     * part of the evaluation (e.g. a Spark executor with its own copy of the model and the data).
     *
     * <pre>{@code
     * List<MeasuredSample> rows = evaluation.measure(evaluation.batches().get(3));
     * }</pre>
     *
     * @param batch indices in {@link #samples()}, e.g. one of {@link #batches()}
     * @return the rows: per item in the given order, one per explainer in the evaluation's order
     * @throws CamunitException for a model fault or a batch too large for the memory
     */
    public List<MeasuredSample> measure(List<Integer> batch) {
        for (int i : batch) {
            if (i < 0 || i >= samples.size()) {
                throw new CamunitException("Sample index " + i + " is outside this evaluation's " + samples.size()
                        + " items; a batch holds indices from batches().");
            }
        }
        List<InputImage> images = batch.stream().map(i -> samples.get(i).image()).toList();
        List<Target> batchTargets = batch.stream().map(targets::get).toList();
        // One pass per layer for all formula methods together (they share activations and gradients).
        List<List<Explanation>> each = Explainer.explainEach(model, images, batchTargets, explainers);
        List<MeasuredSample> rows = new ArrayList<>(batch.size() * explainers.size());
        for (int k = 0; k < batch.size(); k++) {
            LabeledSample sample = samples.get(batch.get(k));
            for (int m = 0; m < explainers.size(); m++) {
                Explanation e = each.get(m).get(k);
                rows.add(new MeasuredSample(sample, explainers.get(m).method().id(), e, measure(sample, e)));
            }
        }
        return rows;
    }

    /**
     * Summarises and judges rows measured elsewhere, e.g. by {@link #measure} on other machines: the
     * tally, gates and baselines of {@link #run()}. The rows must be those of {@link #batches()}, batch
     * by batch in order; every batch's rows must be complete.
     *
     * <pre>{@code
     * EvaluationResult r = evaluation.tally(evaluation.batches().stream().map(evaluation::measure).iterator(),
     *         new EvaluationListener() {});   // what run() does, one batch at a time
     * }</pre>
     *
     * @param measuredBatches the rows of each batch, in order
     * @param listener told of every row and finished batch, as in {@link #run(EvaluationListener)}
     * @return the result
     * @throws CamunitException when rows are missing, extra or out of order
     */
    public EvaluationResult tally(Iterator<List<MeasuredSample>> measuredBatches, EvaluationListener listener) {
        EvaluationTally tally = new EvaluationTally(explainers, metrics, gates, regressions, keepValues, evidenceWorst,
                model.name(), model.isDetector() ? Verdict.OBJECTS : Verdict.SAMPLES);
        int done = 0;
        while (measuredBatches.hasNext()) {
            List<MeasuredSample> rows = measuredBatches.next();
            if (rows.size() % explainers.size() != 0) {
                throw new CamunitException("A batch of rows must hold one row per item and method (" + explainers.size()
                        + " methods); got " + rows.size() + " rows.");
            }
            for (int r = 0; r < rows.size(); r++) {
                MeasuredSample row = rows.get(r);
                int item = done + r / explainers.size();
                String method = explainers.get(r % explainers.size()).method().id();
                if (item >= samples.size() || row.sample() != samples.get(item) || !row.method().equals(method)) {
                    throw new CamunitException("Row " + (done * explainers.size() + r) + " is " + row.sample().id()
                            + " by " + row.method() + "; expected " + (item < samples.size() ? samples.get(item).id()
                            : "no more rows") + " by " + method + ". Rows must come in the order of batches().");
                }
                tally.add(row);
                listener.measured(row);
            }
            done += rows.size() / explainers.size();
            listener.batchDone(done, samples.size());
        }
        if (done != samples.size()) {
            throw new CamunitException("Rows of " + done + " of " + samples.size() + " items were measured; every"
                    + " batch of batches() must be measured once.");
        }
        return tally.result();
    }

    /** Every metric of one explanation; a metric undefined for this sample keeps the reason instead. */
    private List<SampleValue> measure(LabeledSample sample, Explanation e) {
        List<SampleValue> values = new ArrayList<>(metrics.size());
        String label = sample.classLabel();
        for (SampleMetric metric : metrics) {
            try {
                values.add(new SampleValue(sample.id(), label, metric.measure(e, sample, model).value(), null));
            } catch (DegenerateMapException | EmptyRegionException ex) {
                values.add(new SampleValue(sample.id(), label, null, noMatch(e) + ex.getMessage()));
            }
        }
        return values;
    }

    /** Why a detector's map is empty when no candidate matched its object, before the metric's reason; else "". */
    private static String noMatch(Explanation e) {
        int at = e.target().indexOf(Target.Detection.NO_MATCH);
        return at < 0 ? "" : "N" + e.target().substring(at + 1) + ". ";
    }

    /**
     * Builds an {@link Evaluation}, DJL style: {@code set*} required, {@code opt*} optional; the
     * evaluation copies the values, so changing the builder afterwards changes nothing built.
     *
     * <pre>{@code
     * Evaluation.builder().setModel(model).setSamples(samples).setExplainers(explainers).optBatchSize(32).build();
     * }</pre>
     */
    public static final class Builder {
        private CamModel model;
        private List<LabeledSample> samples;
        private List<Explainer> explainers;
        private List<SampleMetric> metrics = SampleMetric.parseList(DEFAULT_METRICS);
        private List<Gate> gates = List.of();
        private List<Regression> regressions = List.of();
        private TargetMode targetMode = TargetMode.LABELLED;
        private List<String> classes = List.of();
        private int batchSize = Explainer.DEFAULT_BATCH;
        private boolean keepValues;
        private int evidenceWorst;

        private Builder() {}

        /**
         * @param model the model, open while the evaluation runs
         * @return this builder
         */
        public Builder setModel(CamModel model) {
            this.model = model;
            return this;
        }

        /**
         * @param samples the labelled samples, at least one
         * @return this builder
         */
        public Builder setSamples(List<LabeledSample> samples) {
            this.samples = List.copyOf(samples);
            return this;
        }

        /**
         * @param explainers one per method, at least one; each method once
         * @return this builder
         */
        public Builder setExplainers(List<Explainer> explainers) {
            this.explainers = List.copyOf(explainers);
            return this;
        }

        /**
         * @param metrics the metrics, each once (default {@value #DEFAULT_METRICS})
         * @return this builder
         */
        public Builder optMetrics(List<SampleMetric> metrics) {
            this.metrics = List.copyOf(metrics);
            return this;
        }

        /**
         * @param gates release gates, each judged for every method; on metrics of {@link #optMetrics}
         * @return this builder
         */
        public Builder optGates(List<Gate> gates) {
            this.gates = List.copyOf(gates);
            return this;
        }

        /**
         * @param regressions comparisons with baselines, each for the method and metric its baseline names
         * @return this builder
         */
        public Builder optRegressions(List<Regression> regressions) {
            this.regressions = List.copyOf(regressions);
            return this;
        }

        /**
         * @param mode the labelled class (default) or the predicted one
         * @return this builder
         */
        public Builder optTarget(TargetMode mode) {
            this.targetMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Evaluates only these classes: with a labelled target, the items of these classes (so a data set
         * labelling classes the model does not know, e.g. a VOC set and a model of five of its classes,
         * is evaluated on the classes it knows); with a predicted target, the samples with an object of
         * one of them.
         *
         * @param classes class names; empty (the default) evaluates every class
         * @return this builder
         */
        public Builder optClasses(List<String> classes) {
            this.classes = List.copyOf(classes);
            return this;
        }

        /**
         * @param size images per pass, at least 1 (default {@value Explainer#DEFAULT_BATCH})
         * @return this builder
         */
        public Builder optBatchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * @param keep whether the result keeps every sample's value of every metric and method, e.g. to
         *     record baselines ({@link EvaluationResult#sampleValues})
         * @return this builder
         */
        public Builder optKeepValues(boolean keep) {
            this.keepValues = keep;
            return this;
        }

        /**
         * Keeps each gate's evidence for every method (its {@link EvaluationResult.MethodVerdict#evidence}):
         * every sample's value and the {@code worst} worst samples with their explanations, for contact
         * sheets and per-class tables. Memory grows by one value per sample, gate and method, and the
         * kept explanations.
         *
         * @param worst how many of the worst samples to keep per gate and method; 0 (the default) keeps no evidence
         * @return this builder
         */
        public Builder optEvidence(int worst) {
            this.evidenceWorst = worst;
            return this;
        }

        /**
         * @return the evaluation, its settings copied
         * @throws CamunitException naming what is missing or inconsistent, or a label the model does
         *     not know (all of them listed), before anything is explained
         */
        public Evaluation build() {
            if (model == null || samples == null || explainers == null) {
                throw new CamunitException("Evaluation.builder() needs setModel, setSamples and setExplainers.");
            }
            if (samples.isEmpty()) {
                throw new CamunitException("An evaluation needs at least one sample; the data set has none.");
            }
            if (explainers.isEmpty()) {
                throw new CamunitException("An evaluation needs at least one explainer (one per method).");
            }
            if (evidenceWorst < 0) {
                throw new CamunitException("An evaluation keeps the evidence of at least 0 worst samples; got "
                        + evidenceWorst + ".");
            }
            if (batchSize < 1) {
                throw new CamunitException("The batch size of an evaluation must be a positive number of images; got "
                        + batchSize + ".");
            }
            Set<String> methods = new LinkedHashSet<>();
            for (Explainer e : explainers) {
                if (!methods.add(e.method().id())) {
                    throw new CamunitException("An evaluation takes each method once; " + e.method().id()
                            + " is given twice. Fuse layers in one explainer instead.");
                }
            }
            Map<String, SampleMetric> byName = new LinkedHashMap<>();
            for (SampleMetric m : metrics) {
                if (byName.putIfAbsent(m.name(), m) != null) {
                    throw new CamunitException("An evaluation takes each metric once; " + m.name() + " is given twice.");
                }
            }
            for (Gate g : gates) {
                requireMeasured("Gate \"" + g + "\"", g.metric(), byName.keySet());
            }
            for (Regression r : regressions) {
                requireMeasured("Baseline " + r.baseline().origin(), r.baseline().metric(), byName.keySet());
                Explainer e = explainers.stream().filter(x -> x.method().id().equals(r.baseline().method())).findFirst()
                        .orElseThrow(() -> new CamunitException("Baseline " + r.baseline().origin() + " was recorded"
                                + " for method " + r.baseline().method() + ", which this evaluation does not run; its"
                                + " methods are " + String.join(", ", methods) + "."));
                r.baseline().requireMatches(r.baseline().metric(), e.method().id(), e.layers());
            }
            return new Evaluation(this);
        }

        private static void requireMeasured(String what, String metric, Set<String> metrics) {
            if (!metrics.contains(metric)) {
                throw new CamunitException(what + " is on metric '" + metric + "', which this evaluation does not"
                        + " measure; its metrics are " + String.join(", ", metrics) + ".");
            }
        }
    }
}
