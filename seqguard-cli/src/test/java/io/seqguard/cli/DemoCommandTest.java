package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command, run for real: two servers, logical replication, cutover, repair. */
class DemoCommandTest {

    @Test
    void theDemoShowsTheFailureAndTheRepair() {
        CliTest.Run run = CliTest.run(Map.of(), "demo");
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCode.ALIGNED);
        String out = run.out();
        assertThat(out).contains("FAILED  shop.customer: ERROR: duplicate key value");
        assertThat(out).contains("SILENT  shop.event");
        assertThat(out).contains("5 behind").contains("5 moved forward");
        String after = out.substring(out.indexOf("8. The same inserts again"));
        assertThat(after).doesNotContain("FAILED").doesNotContain("SILENT").contains("ok      shop.orders");
        assertThat(out).contains("every sequence is ahead of its data");
    }
}
