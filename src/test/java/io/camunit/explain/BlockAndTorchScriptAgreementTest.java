package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.camunit.Fixtures;
import io.camunit.TinyCnnBlock;
import io.camunit.model.BlockModel;
import io.camunit.model.InputImage;
import io.camunit.model.TorchScriptModel;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The same weights give the same maps whether PyTorch runs the TorchScript or DJL runs a block. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlockAndTorchScriptAgreementTest {

    private TorchScriptModel torch;
    private BlockModel block;

    @BeforeAll
    void load() {
        torch = TorchScriptModel.load(Fixtures.TINY_CNN);
        block = TinyCnnBlock.withWeightsOf(torch);
    }

    @AfterAll
    void close() {
        block.close();
        torch.close();
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"CAM", "GRAD_CAM", "GRAD_CAM_PLUS_PLUS", "XGRAD_CAM", "HIRES_CAM", "GRAD_CAM_ELEMENTWISE",
            "LAYER_CAM", "EIGEN_CAM", "EIGEN_GRAD_CAM", "SCORE_CAM", "ABLATION_CAM", "SMOOTH_GRAD_CAM_PLUS_PLUS"})
    void lastLayerMapsAgree(Method method) {
        List<InputImage> scenes = List.of(Fixtures.scene(0), Fixtures.scene(1), Fixtures.scene(2));
        List<Target> targets = List.of(Target.predicted(), Target.classIndex(2), Target.predicted());
        List<Explanation> fromTorch = Explainer.of(method, "features.9").explain(torch, scenes, targets);
        List<Explanation> fromBlock = Explainer.of(method, TinyCnnBlock.FEATURES_9).explain(block, scenes, targets);
        for (int i = 0; i < scenes.size(); i++) {
            assertThat(fromBlock.get(i).targetClass()).isEqualTo(fromTorch.get(i).targetClass());
            assertThat(fromBlock.get(i).score()).isCloseTo(fromTorch.get(i).score(), within(1e-4));
            assertThat(fromBlock.get(i).display().maxAbsDifference(fromTorch.get(i).display())).isLessThan(1e-4);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"GRAD_CAM", "GRAD_CAM_PLUS_PLUS", "XGRAD_CAM", "HIRES_CAM",
            "GRAD_CAM_ELEMENTWISE", "LAYER_CAM", "EIGEN_CAM", "EIGEN_GRAD_CAM", "SCORE_CAM", "ABLATION_CAM",
            "SMOOTH_GRAD_CAM_PLUS_PLUS"})
    void twoLayerMapsAgree(Method method) {
        Explanation fromTorch = Explainer.of(method, "features.4", "features.9")
                .explain(torch, Fixtures.scene(1), Target.predicted());
        Explanation fromBlock = Explainer.of(method, TinyCnnBlock.FEATURES_4, TinyCnnBlock.FEATURES_9)
                .explain(block, Fixtures.scene(1), Target.predicted());
        assertThat(fromBlock.display().maxAbsDifference(fromTorch.display())).isLessThan(1e-4);
        assertThat(fromBlock.layerMaps().get(0).width()).isEqualTo(32);
        assertThat(fromBlock.layerMaps().get(1).width()).isEqualTo(16);
    }
}
