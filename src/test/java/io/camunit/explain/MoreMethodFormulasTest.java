package io.camunit.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The plain-Java parts of FEM, KPCA-CAM, Finer-CAM and the Sobel control, on hand-computed cases. */
class MoreMethodFormulasTest {

    @Test
    void femWeighsEachChannelByItsFractionOfPositionsAboveMeanPlusKStd() {
        // Channel 0: 0, 0, 0, 4: mean 1, std sqrt(3); threshold 1 + 2 sqrt(3) = 4.46 at k = 2, so no position;
        // at k = 1, 2.73: one of four. Channel 1 is constant: std 0, nothing lies above the mean.
        LayerActivations s = new LayerActivations(new float[] {0, 0, 0, 4, 2, 2, 2, 2}, null, null, 2, 2, 2);

        assertThat(FeatureExplanation.weights(s, 2)).containsExactly(0f, 0f);
        assertThat(FeatureExplanation.weights(s, 1)).containsExactly(0.25f, 0f);
        assertThat(FeatureExplanation.weights(s, 0)).containsExactly(0.25f, 0f);
    }

    @Test
    void kpcaWithTheLinearKernelIsEigenCam() {
        SeededNoise noise = new SeededNoise(3);
        float[] a = noise.gaussians(6 * 20, 1);

        float[] kernel = KernelPrincipalComponent.projection(a, 6, 20, MethodOptions.Kernel.LINEAR, 1);
        float[] eigen = PrincipalComponent.projection(a, 6, 20);

        for (int p = 0; p < 20; p++) {
            assertThat(kernel[p]).as("position %d", p).isCloseTo(eigen[p], within(1e-5f));
        }
    }

    @Test
    void theEigensolverFindsTheLargestAlgebraicEigenvalueEvenWhenANegativeOneIsLarger() {
        // Eigenvalues 3 (vector (1, 1) / sqrt 2) and -5 (vector (1, -1) / sqrt 2).
        double[][] m = {{-1, 4}, {4, -1}};
        double[] v = new double[2];

        assertThat(KernelPrincipalComponent.topEigenpair(m, v)).isCloseTo(3, within(1e-12));
        assertThat(Math.abs(v[0])).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(v[0] * v[1]).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void finerCamComparesWithTheClassesWhoseLogitsAreNearestTiesToTheLowerIndex() {
        float[] logits = {0, 5, 3, 7, 4, 9};

        // Class 1 (5) of the first five: distances 5, -, 2, 2, 1.
        assertThat(FinerCam.similarClasses(logits, 0, 5, 1, 3)).containsExactly(4, 2, 3);
        // Class 2 (7) of the five from offset 1 (5, 3, 7, 4, 9): distances 2, 4, -, 3, 2; all four when 10 are asked for.
        assertThat(FinerCam.similarClasses(logits, 1, 5, 2, 10)).containsExactly(0, 4, 3, 1);
    }

    @Test
    void sobelOfAVerticalStepIsFourTimesHalfTheStepBesideIt() {
        // Columns 0, 0, 1, 1: gx = (1 + 2 + 1) * 1 at the two middle columns, 0 at the reflected borders.
        double[] grey = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1};

        assertThat(InputControls.sobel(grey, 4, 3)).containsExactly(0, 2, 2, 0, 0, 2, 2, 0, 0, 2, 2, 0);
    }
}
