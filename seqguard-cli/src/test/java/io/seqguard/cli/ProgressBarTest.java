package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bar a person sees at a terminal; pipes and tests never get one (AlignRun only draws with a console). */
class ProgressBarTest {

    @Test
    void shortRunsDrawNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.progress("reading data", 5, 10);
        bar.progress("reading data", 10, 10);
        bar.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void longRunsDrawTheBarThenClearIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        bar.progress("reading data", 5, 10);
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        assertThat(drawn).startsWith("\rreading data").contains("[" + "#".repeat(15) + " ".repeat(15) + "] 5/10");
        bar.finish();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("\r");
    }

    @Test
    void aRunOverSeveralDatabasesLabelsTheBarAndPrintsALinePerDatabase() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
        bar.label("database shop (1 of 2)");
        bar.progress("reading data", 1, 2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\rdatabase shop (1 of 2): reading data");
        bar.line("seqguard verify: database shop (1 of 2): aligned");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .endsWith("\rseqguard verify: database shop (1 of 2): aligned" + System.lineSeparator());
    }

    @Test
    void standardErrorUnderTheTestRunnerIsNoTerminal() {
        // surefire captures standard error in a pipe or a file: no bar for it
        assertThat(Terminal.stderrIsTerminal()).isFalse();
        assertThat(ProgressBar.forTerminal()).isNull();
    }
}
