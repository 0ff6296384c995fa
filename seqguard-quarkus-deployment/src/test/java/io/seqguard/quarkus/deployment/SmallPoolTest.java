package io.seqguard.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.QuarkusUnitTest;
import io.seqguard.quarkus.runtime.SeqguardGuards;

import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool of two connections: the guard holds one for its lock and reads with the other, instead of asking Agroal for
 * a third and waiting out its acquisition timeout; the run says so and the start-up writes still get safe ids.
 */
class SmallPoolTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .setArchiveProducer(() -> TestApps.shop("quarkus.datasource.jdbc.max-size=2\n"
                    + "quarkus.datasource.jdbc.acquisition-timeout=2S\nquarkus.seqguard.jobs=4\n"))
            .setLogRecordPredicate(record -> String.valueOf(record.getMessage()).contains("lends at most"))
            .assertLogRecords(records -> assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.INFO);
                assertThat(formatted(record)).isEqualTo("seqguard: the default datasource lends at most 2 connections "
                                + "(quarkus.datasource.jdbc.max-size); reading with 1 job(s) instead of 4 "
                                + "(quarkus.seqguard.jobs)");
            }));

    @Inject
    SeqguardGuards guards;

    /** The SLF4J message with its arguments in place, however the log manager hands it over. */
    private static String formatted(LogRecord record) {
        String text = record.getMessage();
        for (Object parameter : record.getParameters() == null ? new Object[0] : record.getParameters()) {
            text = text.replaceFirst("\\{\\}", Matcher.quoteReplacement(String.valueOf(parameter)));
        }
        return text;
    }

    @Test
    void theGuardRanWithinThePool() {
        var run = guards.runs().latest("<default>").orElseThrow();
        assertThat(run.passed()).as(String.valueOf(run.failure())).isTrue();
        assertThat(run.result().repaired()).extracting(s -> s.displayName()).contains("public.invoice_seq");
    }
}
