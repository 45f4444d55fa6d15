package io.camunit.assertj;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunit.gate.SampleShare;
import io.camunit.gate.SampleValues;

import com.google.errorprone.annotations.CheckReturnValue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.assertj.core.api.AbstractAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shape of the assertion API, checked on every public method camunit declares, so that no
 * chain can read as an assertion and check nothing: a method that reads as a check ({@code is*},
 * {@code has*}, {@code does*}, {@code meets}) returns the assertion itself, having checked; every
 * other method that returns something (navigation, a share, values) is marked
 * {@code @CheckReturnValue}, so that tools flag a result left unused; and no method returns a
 * half-built check waiting for a call that may never come.
 */
class AssertionApiTest {

    /** What a navigation may return besides another assertion: values to be used, never a pending check. */
    private static final Set<Class<?>> VALUES = Set.of(SampleValues.class, SampleShare.class,
            io.camunit.gate.Verdict.class);

    private static List<Method> declared(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()).toList();
    }

    private static boolean readsAsACheck(Method m) {
        String n = m.getName();
        return n.startsWith("is") || n.startsWith("has") || n.startsWith("does") || n.equals("meets");
    }

    @ParameterizedTest
    @ValueSource(classes = {ExplanationAssert.class, DatasetAssert.class, DatasetMetricAssert.class, MetricAssert.class,
        ExplainerAssert.class})
    void aMethodThatReadsAsACheckReturnsTheAssertionItself(Class<?> type) {
        List<String> wrong = new ArrayList<>();
        for (Method m : declared(type)) {
            if (readsAsACheck(m) && !m.getReturnType().equals(type)) {
                wrong.add(m.getName() + " returns " + m.getReturnType().getSimpleName());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(classes = {ExplanationAssert.class, DatasetAssert.class, DatasetMetricAssert.class, MetricAssert.class,
        ExplainerAssert.class, CamAssertions.class, CamSoftAssertions.class})
    void everyOtherResultIsMarkedToBeUsedAndIsAnAssertionOrAValue(Class<?> type) {
        List<String> wrong = new ArrayList<>();
        for (Method m : declared(type)) {
            Class<?> r = m.getReturnType();
            if (r == void.class || r.equals(type) || readsAsACheck(m)) {
                continue;
            }
            if (!m.isAnnotationPresent(CheckReturnValue.class)) {
                wrong.add(m.getName() + " lacks @CheckReturnValue");
            }
            if (!AbstractAssert.class.isAssignableFrom(r) && !VALUES.contains(r)) {
                wrong.add(m.getName() + " returns " + r.getSimpleName() + ", neither an assertion nor a value");
            }
        }
        assertThat(wrong).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"forAtLeast", "forAtLeastWithConfidence", "forAll", "isAtLeast", "isAtMost"})
    void noAssertionReturnsAHalfBuiltGate(String name) {
        for (Class<?> type : List.of(DatasetAssert.class, DatasetMetricAssert.class)) {
            for (Method m : declared(type)) {
                if (m.getName().equals(name)) {
                    assertThat(m.getReturnType()).as(type.getSimpleName() + "." + name).isEqualTo(type);
                }
            }
        }
    }
}
