package io.camunit.junit;

import io.camunit.CamunitException;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/**
 * The {@link ArgumentsProvider} behind {@link LabeledSamples}; use the annotation, not this class.
 * Each argument is a {@link Named} sample, so the invocation is displayed as
 * {@code "<id> (<labels>)"} while the test receives the {@link LabeledSample} itself.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @LabeledSamples("fixtures/shapes/test/coco.json")   // uses this provider
 * void test(LabeledSample s) { ... }
 * }</pre>
 */
public final class LabeledSamplesProvider implements ArgumentsProvider, AnnotationConsumer<LabeledSamples> {

    private LabeledSamples annotation;

    /** Creates the provider; JUnit does this for {@link LabeledSamples}. */
    public LabeledSamplesProvider() {}

    @Override
    public void accept(LabeledSamples labeledSamples) {
        this.annotation = labeledSamples;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        LabeledDataset data;
        try {
            data = SharedResources.dataset(annotation.value(), context);
        } catch (CamunitException e) {
            String where = context.getRequiredTestMethod().getDeclaringClass().getSimpleName() + "."
                    + context.getRequiredTestMethod().getName();
            throw new CamunitException("@LabeledSamples(\"" + annotation.value() + "\") on " + where + ": "
                    + e.getMessage(), e);
        }
        return select(data, annotation).stream().map(s -> Arguments.of(Named.of(displayName(s), s)));
    }

    static String displayName(LabeledSample s) {
        List<String> labels = s.labels();
        return s.id() + " (" + (labels.isEmpty() ? "no objects" : String.join(", ", labels)) + ")";
    }

    /** Applies ids, then per-class items, then classes, then limit; an unknown id or an empty selection is an error. */
    static List<LabeledSample> select(LabeledDataset data, LabeledSamples a) {
        List<LabeledSample> samples = data.samples();
        String where = "@LabeledSamples(\"" + a.value() + "\")";
        if (a.ids().length > 0) {
            Set<String> wanted = new LinkedHashSet<>(List.of(a.ids()));
            Set<String> known = new LinkedHashSet<>();
            samples.forEach(s -> known.add(s.id()));
            List<String> missing = wanted.stream().filter(id -> !known.contains(id)).toList();
            if (!missing.isEmpty()) {
                throw new CamunitException(where + ": no sample has id " + missing + ". Ids in " + data.source()
                        + " look like " + known.stream().limit(5).toList() + " (" + known.size() + " samples).");
            }
            samples = samples.stream().filter(s -> wanted.contains(s.id())).toList();
        }
        if (a.perClass() && a.perObject()) {
            throw new CamunitException(where + ": perClass and perObject exclude each other; choose perObject for a"
                    + " detector (one invocation per object), perClass for a classifier (one per image and class).");
        }
        if (a.perClass()) {
            samples = LabeledSample.perClass(samples);
        }
        if (a.perObject()) {
            samples = LabeledSample.perObject(samples);
        }
        if (a.classes().length > 0) {
            List<String> classes = List.of(a.classes());
            List<String> unknown = classes.stream().filter(c -> !data.classes().contains(c)).toList();
            if (!unknown.isEmpty()) {
                throw new CamunitException(where + ": classes " + unknown + " are not in " + data.source()
                        + "; its classes are " + data.classes() + ".");
            }
            samples = samples.stream().filter(s -> s.labels().stream().anyMatch(classes::contains)).toList();
        }
        if (a.limit() < 0) {
            throw new CamunitException(where + ": limit must be 0 (no limit) or positive; got " + a.limit() + ".");
        }
        if (a.limit() > 0 && samples.size() > a.limit()) {
            samples = new ArrayList<>(samples.subList(0, a.limit()));
        }
        if (samples.isEmpty()) {
            throw new CamunitException(where + ": no sample of " + data.source() + " is left after the filters"
                    + " (ids, classes, limit); loosen them.");
        }
        return samples;
    }
}
