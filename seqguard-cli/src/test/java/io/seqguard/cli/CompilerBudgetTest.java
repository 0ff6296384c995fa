package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerBudgetTest {

    @Test
    void aJvmWithoutOptionsHasItsOptimizingCompiler() {
        assertThat(CompilerBudget.optimizingCompilerOn(List.of())).isTrue();
        assertThat(CompilerBudget.optimizingCompilerOn(List.of("-Xmx256m", "-XX:+UseSerialGC"))).isTrue();
    }

    @Test
    void theLaunchersQuickCompilerOnlyNeedsNoBudget() {
        assertThat(CompilerBudget.optimizingCompilerOn(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable"))).isFalse();
        assertThat(CompilerBudget.optimizingCompilerOn(List.of("-XX:TieredStopAtLevel=3"))).isFalse();
    }

    @Test
    void theLastLevelGivenWinsAsInHotSpot() {
        // SEQGUARD_OPTS comes after the launcher's own options and may bring C2 back
        assertThat(CompilerBudget.optimizingCompilerOn(
                List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4"))).isTrue();
        assertThat(CompilerBudget.optimizingCompilerOn(
                List.of("-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=1"))).isFalse();
    }
}
