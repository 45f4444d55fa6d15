package io.camunit.assertj;

import io.camunit.CamunitException;
import io.camunit.explain.ExplainedSample;
import io.camunit.explain.ExplainedSamples;
import io.camunit.gate.Gate;
import io.camunit.gate.SampleTally;
import io.camunit.gate.SampleValue;
import io.camunit.gate.Verdict;
import io.camunit.metric.RegionMetric;
import io.camunit.region.LabeledSample;
import io.camunit.region.Region;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.assertj.core.error.ErrorMessageFactory;

/**
 * Gates judged in one pass over a data set's explained samples: each region metric is measured once
 * per sample, each gate's tally keeps its values, counts and {@link DatasetMetricAssert#KEPT} worst
 * samples.
 */
final class GateCheck {

    private final List<Gate> gates;
    private final List<SampleTally<ExplainedSample>> tallies;
    private final Provenance provenance;
    /** What the samples are: {@link Verdict#OBJECTS} for a detector's per-object items. */
    private final String unit;

    private GateCheck(List<Gate> gates, List<SampleTally<ExplainedSample>> tallies, Provenance provenance,
            String unit) {
        this.gates = gates;
        this.tallies = tallies;
        this.provenance = provenance;
        this.unit = unit;
    }

    /**
     * @param metric the metric every gate must be on
     * @param regionOf the region each sample is measured against
     * @param gates the gates, region metrics only
     * @return the gates judged in one pass
     */
    static GateCheck run(ExplainedSamples samples, Function<LabeledSample, Region> regionOf, List<Gate> gates) {
        Map<String, RegionMetric> metrics = new LinkedHashMap<>();
        for (Gate g : gates) {
            metrics.computeIfAbsent(g.metric(), name -> RegionMetric.parse(name).orElseThrow(() -> new CamunitException(
                    "Gate \"" + g + "\" is on " + name + ", which is not a region metric; data-set assertions measure"
                            + " mass-inside, peak-inside, rank-accuracy, top-N-inside and iou against each sample's"
                            + " region. Gate model metrics with camunit evaluate.")));
        }
        List<SampleTally<ExplainedSample>> tallies = new ArrayList<>();
        gates.forEach(g -> tallies.add(g.tally(DatasetMetricAssert.KEPT, true)));
        Provenance provenance = new Provenance();
        for (ExplainedSample s : samples) {
            provenance.see(s);
            Map<String, SampleValue> values = new LinkedHashMap<>();
            metrics.forEach((name, m) -> values.put(name, DatasetMetric.value(m, regionOf, s)));
            for (int i = 0; i < gates.size(); i++) {
                tallies.get(i).add(values.get(gates.get(i).metric()), s);
            }
        }
        return new GateCheck(List.copyOf(gates), tallies, provenance,
                samples.ofObjects() ? Verdict.OBJECTS : Verdict.SAMPLES);
    }

    /** @return the check of one metric over the samples */
    static GateCheck run(DatasetMetric metric, List<Gate> gates) {
        for (Gate g : gates) {
            if (!g.metric().equals(metric.name())) {
                throw new CamunitException("Gate \"" + g + "\" is on " + g.metric() + " but the assertion measures "
                        + metric.name() + "; navigate to " + g.metric() + " first, or use assertThat(samples).meets(...).");
            }
        }
        return run(metric.samples(), metric.regionOf(), gates);
    }

    /**
     * @param i the gate's index
     * @return its verdict
     */
    Verdict verdict(int i) {
        return gates.get(i).judge(tallies.get(i)).withUnit(unit);
    }

    /**
     * @param i the gate's index
     * @param worst how many failing samples the message lists
     * @return the gate's failure, when it does not hold
     */
    Optional<DatasetMetricAssert.Failure> failure(int i, int worst) {
        Verdict v = verdict(i);
        if (v.passed()) {
            return Optional.empty();
        }
        Gate gate = gates.get(i);
        SampleTally<ExplainedSample> tally = tallies.get(i);
        ErrorMessageFactory message;
        if (gate.isStatistic()) {
            message = v.statistic() == null
                    ? ShouldHoldForSamples.statisticsOfMissing(gate.metric(), v.missing(), v.total(),
                            v.worst().stream().filter(s -> !s.hasValue()).toList())
                    : ShouldHoldForSamples.statistic(v, worst);
        } else {
            message = gate.share().orElseThrow().confidence().isPresent() ? ShouldHoldForSamples.withConfidence(v, worst)
                    : ShouldHoldForSamples.forAtLeast(v, worst);
        }
        return Optional.of(new DatasetMetricAssert.Failure(message, GateEvidence.of(gate.metric(), gate.toString(),
                v.outcome(), v.figures(), tally, s -> Optional.empty(), provenance)));
    }

    /** @return how many gates were judged */
    int size() {
        return gates.size();
    }
}
