package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class CompilerBudgetTest {

    @Test
    void theDefaultsCompileWithC2() {
        assertThat(CompilerBudget.optimizingCompilerOn("true", "4")).isTrue();
    }

    /** bin/seqguard runs -XX:TieredStopAtLevel=1: there is no C2 to keep out. */
    @Test
    void tiersBelowFourHaveNoC2() {
        assertThat(CompilerBudget.optimizingCompilerOn("true", "1")).isFalse();
        assertThat(CompilerBudget.optimizingCompilerOn("true", "3")).isFalse();
    }

    /** -XX:-TieredCompilation leaves C2 alone, whatever the level says. */
    @Test
    void withoutTiersC2IsTheOnlyCompiler() {
        assertThat(CompilerBudget.optimizingCompilerOn("false", "1")).isTrue();
        assertThat(CompilerBudget.optimizingCompilerOn("false", "4")).isTrue();
    }

    /** The flags are read by the names HotSpot gives them, and this JVM (the build's) compiles with C2. */
    @Test
    void theFlagsAreReadFromTheRunningJvm() {
        HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertThat(CompilerBudget.optimizingCompilerOn(flags.getVMOption("TieredCompilation").getValue(),
                flags.getVMOption("TieredStopAtLevel").getValue())).isTrue();
    }
}
