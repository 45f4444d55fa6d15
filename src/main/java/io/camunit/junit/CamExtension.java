package io.camunit.junit;

import io.camunit.CamunitException;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension.ExtensionContextScope;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit 5 extension behind {@link CamTest}: resolves parameters (and fills instance fields)
 * that carry {@link UseModel}, {@link UseExplainer} or {@link UseDataset}, directly or through an
 * annotation of the user's own that carries one, and {@link CamSettings} parameters; and attaches
 * evidence to tests after they run. Parameters without a camunit annotation are left to other
 * resolvers, so a user's own resolver for {@code CamModel} keeps working next to it. It only adapts
 * JUnit's callbacks; a problem becomes a {@link ParameterResolutionException} whose message names
 * the parameter and carries camunit's explanation.
 *
 * <p>Evidence is attached in {@link #afterEach} (on the test's thread, while Allure's test case is
 * still open) rather than in an exception handler, so that failures reported after the test body,
 * e.g. by AssertJ's {@code SoftAssertionsExtension}, get evidence too. What is attached follows
 * {@link CamSettings#EVIDENCE_POLICY}; see {@code EvidenceAttacher}. Injected explainers report
 * what they explain to a recorder in the test's store, so evidence can name the model and draw the
 * image. Test instances are post-processed in the test method's context
 * ({@link ExtensionContextScope#TEST_METHOD}), so explainers in fields record per test too.
 *
 * <pre>{@code
 * @Target({ElementType.PARAMETER, ElementType.FIELD})
 * @Retention(RetentionPolicy.RUNTIME)
 * @UseModel("fixtures/models/shapes-clean.pt")
 * @interface ShapesModel {}
 *
 * @ExtendWith(CamExtension.class)   // or @CamTest
 * class MyTest {
 *     @Test
 *     void layers(@ShapesModel CamModel model) {
 *         assertThat(model.layers()).contains("features.10");
 *     }
 * }
 * }</pre>
 */
public final class CamExtension implements ParameterResolver, TestInstancePostProcessor, AfterEachCallback {

    /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
    public CamExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return Injector.handles(CamAnnotations.of(parameterContext), parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter p = parameterContext.getParameter();
        Executable owner = parameterContext.getDeclaringExecutable();
        List<UseModel> models = new ArrayList<>();
        for (Parameter q : owner.getParameters()) {
            AnnotationSupport.findAnnotation(q, UseModel.class).ifPresent(models::add);
        }
        if (models.isEmpty()) {
            models.addAll(fieldModels(owner.getDeclaringClass()));
        }
        try {
            return Injector.resolve(CamAnnotations.of(parameterContext), p.getType(), models, extensionContext);
        } catch (CamunitException e) {
            throw new ParameterResolutionException("Cannot inject parameter " + parameterContext.getIndex() + " ("
                    + p.getType().getSimpleName() + ") of " + owner.getDeclaringClass().getSimpleName() + "."
                    + owner.getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ExplanationRecorder recorder = SharedResources.existingRecorder(context);
        CamSettings settings = SharedResources.settings(context);
        EvidenceAttacher.forTest(settings, recorder == null ? new ExplanationRecorder(settings.evidenceWorst()) : recorder,
                TestIdentity.of(context.getUniqueId(), context.getRequiredTestClass().getName(),
                        context.getRequiredTestMethod().getName())).finish(context.getExecutionException());
        EngineEnvironment.recordOnce(context);
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        List<UseModel> models = fieldModels(testInstance.getClass());
        for (Field f : injectableFields(testInstance.getClass())) {
            try {
                Object value = Injector.resolve(CamAnnotations.of(f), f.getType(), models, context);
                f.setAccessible(true);
                f.set(testInstance, value);
            } catch (CamunitException e) {
                throw new ExtensionConfigurationException("Cannot inject field " + f.getDeclaringClass().getSimpleName()
                        + "." + f.getName() + ": " + e.getMessage(), e);
            } catch (IllegalAccessException | RuntimeException e) {
                throw new ExtensionConfigurationException("Cannot set field " + f.getDeclaringClass().getSimpleName()
                        + "." + f.getName() + ": " + e + ". Make it a non-final instance field.", e);
            }
        }
    }

    /** Instance fields with a camunit annotation, superclasses' first (as JUnit orders them). */
    private static List<Field> injectableFields(Class<?> type) {
        return ReflectionSupport.findFields(type, f -> !Modifier.isStatic(f.getModifiers()) && CamAnnotations.of(f).any(),
                HierarchyTraversalMode.TOP_DOWN);
    }

    private static List<UseModel> fieldModels(Class<?> type) {
        return injectableFields(type).stream().map(f -> AnnotationSupport.findAnnotation(f, UseModel.class))
                .flatMap(Optional::stream).toList();
    }
}
