package io.camunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunit.CamunitException;
import io.camunit.Fixtures;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EngineThreadsTest {

    @Test
    void withoutTheUsersChoiceHalfTheCoresWorkOnEachOperationAndOneThreadBetweenOperations() {
        assertThat(EngineThreads.defaults(Map.of(), Map.of(), 2))
                .containsExactly(Map.entry(EngineThreads.INTRA_OP, "1"), Map.entry(EngineThreads.INTER_OP, "1"));
        assertThat(EngineThreads.defaults(Map.of(), Map.of(), 8)).containsEntry(EngineThreads.INTRA_OP, "4");
        assertThat(EngineThreads.defaults(Map.of(), Map.of(), 1)).containsEntry(EngineThreads.INTRA_OP, "1");
    }

    @Test
    void theUsersPropertiesOrOmpNumThreadsWin() {
        assertThat(EngineThreads.defaults(Map.of(EngineThreads.INTRA_OP, "2"), Map.of(), 2))
                .containsOnlyKeys(EngineThreads.INTER_OP);
        assertThat(EngineThreads.defaults(Map.of(), Map.of("OMP_NUM_THREADS", "2"), 2))
                .containsOnlyKeys(EngineThreads.INTER_OP);
        assertThat(EngineThreads.defaults(Map.of(EngineThreads.INTER_OP, "2"), Map.of(), 2))
                .containsOnlyKeys(EngineThreads.INTRA_OP);
    }

    @Test
    void policyAllLeavesTheIntraOpCountToPyTorch() {
        assertThat(EngineThreads.defaults(Map.of(EngineThreads.POLICY, "all"), Map.of(), 2))
                .containsExactly(Map.entry(EngineThreads.INTER_OP, "1"));
        assertThat(EngineThreads.defaults(Map.of(EngineThreads.POLICY, " Half "), Map.of(), 2))
                .containsEntry(EngineThreads.INTRA_OP, "1");
    }

    @Test
    void anUnknownPolicyIsAClearError() {
        assertThatThrownBy(() -> EngineThreads.defaults(Map.of(EngineThreads.POLICY, "4"), Map.of(), 2))
                .isInstanceOf(CamunitException.class)
                .hasMessage("System property camunit.threads must be 'half' (half the cores for PyTorch's intra-op"
                        + " threads) or 'all' (one per core); got '4'. To set a number of threads, use"
                        + " -Dai.djl.pytorch.num_threads=N instead.");
    }

    @Test
    void loadingAModelSetsTheThreadPropertiesBeforeTheEngineStarts() {
        Fixtures.tinyCnn();
        if (System.getenv("OMP_NUM_THREADS") == null) {
            assertThat(System.getProperty(EngineThreads.INTRA_OP)).isNotNull();
        }
        assertThat(System.getProperty(EngineThreads.INTER_OP)).isNotNull();
    }
}
