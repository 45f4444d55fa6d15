package io.camunit.junit;

import static io.camunit.explain.Method.GRAD_CAM;
import static io.camunit.explain.Method.LAYER_CAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.camunit.ShapesBlock;
import io.camunit.explain.Explainer;
import io.camunit.model.CamModel;
import io.camunit.model.TorchScriptModel;
import io.camunit.region.LabeledDataset;
import io.camunit.region.LabeledSample;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The extension through the JUnit engine: each kind of injection, sharing across classes, closing
 * at the end of the run, and the messages of failed injections. The nested classes are run only
 * through the test kit (Surefire skips nested classes).
 */
class CamExtensionTest {

    static final String CLEAN = "fixtures/models/shapes-clean.pt";
    static final String TINY = "fixtures/models/tiny-cnn.pt";
    static final String TEST_SET = "fixtures/shapes/test/coco.json";

    static EngineExecutionResults run(Map<String, String> config, Class<?>... classes) {
        var kit = EngineTestKit.engine("junit-jupiter").configurationParameters(config);
        for (Class<?> c : classes) {
            kit = kit.selectors(selectClass(c));
        }
        return kit.execute();
    }

    static EngineExecutionResults run(Class<?>... classes) {
        return run(Map.of(), classes);
    }

    static String failureMessage(EngineExecutionResults results) {
        List<Event> failed = results.allEvents().failed().list();
        assertThat(failed).as("failed events").hasSize(1);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow()
                .getMessage();
    }

    // --- injection -------------------------------------------------------------------------

    @CamTest
    static class InjectsEveryKind {
        @UseModel(TINY)
        CamModel field;

        @Test
        void parameters(@UseModel(CLEAN) CamModel model,
                        @UseExplainer(method = GRAD_CAM, layer = "features.10") Explainer explainer,
                        @UseDataset(TEST_SET) LabeledDataset data, CamSettings settings) {
            assertThat(model).isInstanceOf(TorchScriptModel.class);
            assertThat(model.layers()).containsExactly("features.6", "features.10");
            assertThat(explainer.method()).isEqualTo(GRAD_CAM);
            assertThat(explainer.layers()).containsExactly("features.10");
            assertThat(data.size()).isEqualTo(60);
            assertThat(settings.reportDir()).isEqualTo(Path.of("reports"));
            assertThat(settings.modelCache()).isTrue();
            assertThat(field.name()).isEqualTo("tiny-cnn.pt");
        }

        @Test
        void overridesAndFactories(@UseModel(value = "fixtures/models/tiny-cnn-plain.pt", size = "32x48",
                                           mean = {0.5, 0.5, 0.5}, std = {0.25, 0.25, 0.25},
                                           classes = {"a", "b", "c"}) CamModel plain,
                                   @UseModel(factory = RecordingFactory.class) CamModel block) {
            assertThat(plain.input().width()).isEqualTo(32);
            assertThat(plain.input().height()).isEqualTo(48);
            assertThat(plain.input().mean()).containsExactly(0.5, 0.5, 0.5);
            assertThat(plain.classes()).containsExactly("a", "b", "c");
            assertThat(block.layers()).contains(ShapesBlock.LAST_RELU);
        }

        @Test
        void explainerFromTheConfiguration(@UseModel(CLEAN) CamModel model, @UseExplainer Explainer explainer) {
            assertThat(explainer.method()).isEqualTo(LAYER_CAM);
            assertThat(explainer.layers()).containsExactly("features.6", "features.10");
        }

        @ParameterizedTest
        @LabeledSamples(value = TEST_SET, classes = "star", limit = 3)
        void samples(LabeledSample s, @UseModel(CLEAN) CamModel model) {
            assertThat(s.label()).isEqualTo("star");
            assertThat(model.classes()).contains("star");
        }
    }

    @CamTest
    static class PerClassSamples {
        static final List<String> SEEN = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        @ParameterizedTest
        @LabeledSamples(value = "src/test/resources/io/camunit/junit/two-classes/coco.json", perClass = true)
        void item(LabeledSample s) {
            SEEN.add(s.label() + " " + s.objects().size());
        }
    }

    @Test
    void perClassSamplesGiveOneInvocationPerImageAndClassEachWithThatClassAlone() {
        PerClassSamples.SEEN.clear();
        EngineExecutionResults events = run(Map.of(), PerClassSamples.class);

        events.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(events.testEvents().started().list().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("[1] images/0001.png#square (square)", "[2] images/0001.png#circle (circle)",
                        "[3] images/0002.png (circle)");
        assertThat(PerClassSamples.SEEN).containsExactly("square 1", "circle 1", "circle 1");
    }

    @CamTest
    static class PerObjectSamples {
        static final List<String> SEEN = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        @ParameterizedTest
        @LabeledSamples(value = "src/test/resources/io/camunit/junit/two-classes/coco.json", perObject = true)
        void object(LabeledSample s) {
            SEEN.add(s.label() + " " + s.objects().size());
        }
    }

    @Test
    void perObjectSamplesGiveOneInvocationPerLabelledObject() {
        PerObjectSamples.SEEN.clear();
        EngineExecutionResults events = run(Map.of(), PerObjectSamples.class);

        events.testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(events.testEvents().started().list().stream().map(e -> e.getTestDescriptor().getDisplayName()))
                .containsExactly("[1] images/0001.png#0 (square)", "[2] images/0001.png#1 (circle)",
                        "[3] images/0002.png#0 (circle)");
        assertThat(PerObjectSamples.SEEN).containsExactly("square 1", "circle 1", "circle 1");
    }

    @Test
    void injectsModelsExplainersDataSetsSettingsFieldsAndSamples() {
        EngineExecutionResults events = run(Map.of(CamSettings.DEFAULT_METHOD, "layer-cam",
                CamSettings.DEFAULT_LAYER, "features.6, features.10"), InjectsEveryKind.class);
        events.testEvents().assertStatistics(s -> s.started(6).succeeded(6));
        List<String> names = events.testEvents().started().list().stream()
                .map(e -> e.getTestDescriptor().getDisplayName()).filter(n -> n.contains("(star)")).toList();
        assertThat(names).hasSize(3).allMatch(n -> n.matches("\\[\\d] \\S+ \\(star\\)"));
    }

    // --- sharing and closing -----------------------------------------------------------------

    /** The tiny-cnn instances the sharing classes were given, by identity. */
    static final Set<CamModel> SHARED = java.util.Collections.synchronizedSet(
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

    @CamTest
    static class SharesA {
        @Test
        void first(@UseModel(TINY) CamModel model, @UseModel(factory = RecordingFactory.class) CamModel block) {
            SHARED.add(model);
            assertThat(model.layers()).isNotEmpty();
        }
    }

    @CamTest
    static class SharesB {
        @Test
        void second(@UseModel("./fixtures/models/../models/tiny-cnn.pt") CamModel model,
                    @UseModel(factory = RecordingFactory.class) CamModel block) {
            SHARED.add(model);
            assertThat(model.layers()).isNotEmpty();
        }

        @Test
        void third(@UseModel(TINY) CamModel model, @UseDataset(TEST_SET) LabeledDataset data) {
            SHARED.add(model);
            assertThat(model.layers()).isNotEmpty();
        }
    }

    @Test
    void twoClassesAskingForTheSameModelShareOneLoadAndItIsClosedWhenTheRunEnds() {
        SHARED.clear();
        int created = RecordingFactory.CREATED.get();
        int closed = RecordingFactory.CLOSED.get();
        run(SharesA.class, SharesB.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        // tiny-cnn.pt (two spellings of its path): one instance for all three tests; the factory model once.
        assertThat(SHARED).hasSize(1);
        assertThat(RecordingFactory.CREATED.get() - created).isEqualTo(1);
        assertThat(RecordingFactory.CLOSED.get() - closed).isEqualTo(1);
    }

    @Test
    void withTheCacheOffEachTestLoadsAndClosesItsOwnModel() {
        int created = RecordingFactory.CREATED.get();
        int closed = RecordingFactory.CLOSED.get();
        run(Map.of(CamSettings.MODEL_CACHE, "off"), SharesA.class, SharesB.class)
                .testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        assertThat(RecordingFactory.CREATED.get() - created).isEqualTo(2);
        assertThat(RecordingFactory.CLOSED.get() - closed).isEqualTo(2);
    }

    // --- failures ------------------------------------------------------------------------------

    @CamTest
    static class UnknownModelPath {
        @Test
        void test(@UseModel("fixtures/models/no-such-model.pt") CamModel model) {}
    }

    @CamTest
    static class UnknownLayer {
        @Test
        void test(@UseModel(CLEAN) CamModel model, @UseExplainer(method = GRAD_CAM, layer = "layer4") Explainer e) {}
    }

    @CamTest
    static class PlainModelWithLayer {
        @Test
        void test(@UseModel("fixtures/models/tiny-cnn-plain.pt") CamModel model,
                  @UseExplainer(method = GRAD_CAM, layer = "features.9") Explainer e) {}
    }

    @CamTest
    static class ConfiguredMethod {
        @Test
        void test(@UseExplainer(layer = "features.10") Explainer e) {}
    }

    @CamTest
    static class MissingDataFile {
        @Test
        void test(@UseDataset("fixtures/shapes/nope/coco.json") LabeledDataset data) {}
    }

    @CamTest
    static class MissingSamplesFile {
        @ParameterizedTest
        @LabeledSamples("fixtures/shapes/nope/coco.json")
        void test(LabeledSample s) {}
    }

    @CamTest
    static class WrongType {
        @Test
        void test(@UseModel(CLEAN) String model) {}
    }

    @CamTest
    static class UnannotatedModel {
        @Test
        void test(CamModel model) {}
    }

    @CamTest
    static class BadSize {
        @Test
        void test(@UseModel(value = CLEAN, size = "64") CamModel model) {}
    }

    @Test
    void anUnknownModelPathNamesTheFile() {
        assertThat(failureMessage(run(UnknownModelPath.class)))
                .startsWith("Cannot inject parameter 0 (CamModel) of UnknownModelPath.test: Model file ")
                .contains("no-such-model.pt does not exist");
    }

    @Test
    void aLayerNotInTheModelListsTheLayers() {
        assertThat(failureMessage(run(UnknownLayer.class)))
                .startsWith("Cannot inject parameter 1 (Explainer) of UnknownLayer.test:")
                .contains("Unknown layer 'layer4' in model shapes-clean.pt: available layers are [features.6, features.10]");
    }

    @Test
    void aModelThatIsNotCamReadySaysHowToMakeItSo() {
        assertThat(failureMessage(run(PlainModelWithLayer.class)))
                .contains("tiny-cnn-plain.pt cannot be cut at layer 'features.9'").contains("Export it CAM-ready");
    }

    @Test
    void aBadMethodNameInTheConfigurationNamesTheKeyAndTheKnownMethods() {
        assertThat(failureMessage(run(Map.of(CamSettings.DEFAULT_METHOD, "grad-came"), ConfiguredMethod.class)))
                .contains("Configuration parameter camunit.default.method: Unknown method 'grad-came'. Known methods: cam, grad-cam");
    }

    @Test
    void anExplainerWithoutMethodOrConfigurationSaysWhatToWrite() {
        assertThat(failureMessage(run(ConfiguredMethod.class)))
                .contains("@UseExplainer names no method and configuration parameter camunit.default.method is not set");
    }

    @Test
    void aMissingDataFileIsNamed() {
        assertThat(failureMessage(run(MissingDataFile.class)))
                .startsWith("Cannot inject parameter 0 (LabeledDataset) of MissingDataFile.test:")
                .contains("nope");
        assertThat(failureMessage(run(MissingSamplesFile.class)))
                .startsWith("@LabeledSamples(\"fixtures/shapes/nope/coco.json\") on MissingSamplesFile.test: Data set ")
                .contains("does not exist");
    }

    @Test
    void aTypeTheExtensionCannotProvideListsWhatExists() {
        assertThat(failureMessage(run(WrongType.class)))
                .contains("@UseModel goes on a CamModel parameter or field; found type java.lang.String")
                .contains(Injector.WHAT_EXISTS);
        // A CamModel without camunit's annotation is left to other resolvers: with none, JUnit says so.
        assertThat(failureMessage(run(UnannotatedModel.class)))
                .startsWith("No ParameterResolver registered for parameter [io.camunit.model.CamModel");
        assertThat(failureMessage(run(BadSize.class))).contains("@UseModel size must be WIDTHxHEIGHT in pixels, e.g."
                + " 224x160 for an image 224 wide and 160 high; got '64', a single number. Write both, e.g. 64x64");
    }

    // --- living with other extensions --------------------------------------------------------------

    /** A user's own annotation carrying camunit's, for a model many tests use. */
    @java.lang.annotation.Target({java.lang.annotation.ElementType.PARAMETER, java.lang.annotation.ElementType.FIELD})
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @UseModel(CLEAN)
    @interface ShapesModel {}

    /** A user's own annotation carrying an explainer. */
    @java.lang.annotation.Target(java.lang.annotation.ElementType.PARAMETER)
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @UseExplainer(method = GRAD_CAM, layer = "features.10")
    @interface GradCamAtFeatures10 {}

    @CamTest
    static class ComposedAnnotations {
        @ShapesModel
        CamModel field;

        @Test
        void test(@ShapesModel CamModel model, @GradCamAtFeatures10 Explainer gradCam) {
            assertThat(model.name()).isEqualTo("shapes-clean.pt");
            assertThat(field).isSameAs(model);
            assertThat(gradCam.layers()).containsExactly("features.10");
        }
    }

    @Test
    void annotationsCarryingCamunitsAreFoundAsJunitFindsThem() {
        run(ComposedAnnotations.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    /** A user's own resolver of models, e.g. one that loads them from a registry. */
    static final class OwnModels implements org.junit.jupiter.api.extension.ParameterResolver {
        @Override
        public boolean supportsParameter(org.junit.jupiter.api.extension.ParameterContext p,
                org.junit.jupiter.api.extension.ExtensionContext c) {
            return p.getParameter().getType() == CamModel.class && !p.isAnnotated(UseModel.class);
        }

        @Override
        public Object resolveParameter(org.junit.jupiter.api.extension.ParameterContext p,
                org.junit.jupiter.api.extension.ExtensionContext c) {
            return c.getRoot().getStore(org.junit.jupiter.api.extension.ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("own", k -> new SharedResources.SharedModel(TorchScriptModel.load(Path.of(TINY))),
                            SharedResources.SharedModel.class).model();
        }
    }

    @CamTest
    @org.junit.jupiter.api.extension.ExtendWith(OwnModels.class)
    static class WithOwnResolver {
        @Test
        void test(CamModel own, @UseModel(CLEAN) CamModel camunits) {
            assertThat(own.name()).isEqualTo("tiny-cnn.pt");
            assertThat(camunits.name()).isEqualTo("shapes-clean.pt");
        }
    }

    @Test
    void aUsersOwnResolverOfModelsKeepsWorkingBesideTheExtension() {
        run(WithOwnResolver.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }
}
