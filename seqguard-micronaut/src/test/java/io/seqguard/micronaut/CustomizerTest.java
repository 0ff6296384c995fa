package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceReport;
import io.seqguard.test.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SeqguardConfigurationCustomizer} beans add what properties cannot say: here the old primary as a second
 * witness, which keeps the ids it handed out beyond the copied rows.
 */
class CustomizerTest {

    @Test
    void customizersRunInOrderAfterThePropertiesAndTheOldPrimaryWitnesses() {
        try (TestDatabase oldPrimary = TestDatabase.create("micronaut_old_primary");
                TestDatabase books = TestDatabase.create("micronaut_customized")) {
            // the old primary handed out ids up to 50; only rows 1 to 3 reached the new database
            oldPrimary.execute("CREATE SEQUENCE public.book_id_seq", "SELECT setval('public.book_id_seq', 50)");
            try (ApplicationContext context = TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    Map.of("seqguard.datasources.default.time-limit", "77s",
                            OrderedCustomizers.ENABLED, "true",
                            OrderedCustomizers.OLD_PRIMARY_URL, oldPrimary.jdbcUrl(),
                            OrderedCustomizers.OLD_PRIMARY_USER, oldPrimary.server().superuser())))) {
                assertThat(context.getBean(OrderedCustomizers.Calls.class).calls)
                        .as("in @Order, each after the properties").containsExactly("first:default:PT1M17S",
                                "witness:default:PT1M17S");
                GuardResult result = context.getBean(SeqguardRuns.class).latest("default").orElseThrow().result();
                assertThat(result.outcome()).isEqualTo(GuardOutcome.REPAIRED);
                SequenceReport book = result.report().sequences().stream()
                        .filter(s -> s.name().equals("book_id_seq")).findFirst().orElseThrow();
                assertThat(book.sourceNextValue()).isEqualTo(51L);
                assertThat(TestApps.nextValue(books, "book_id_seq")).as("past the old primary's ids, not the rows'")
                        .isEqualTo(51);
            }
        }
    }

    @Test
    void anUnreachableOldPrimaryStopsStartUpNamingTheDataSource() {
        try (TestDatabase books = TestDatabase.create("micronaut_customizer_fails")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    Map.of(OrderedCustomizers.ENABLED, "true",
                            // the witness cannot connect: the source is read when the guard runs
                            OrderedCustomizers.OLD_PRIMARY_URL, "jdbc:postgresql://127.0.0.1:1/gone",
                            OrderedCustomizers.OLD_PRIMARY_USER, "nobody"))).close());
            assertThat(thrown).as("start-up fails").isNotNull();
            assertThat(TestApps.causes(thrown).map(Throwable::getMessage))
                    .anySatisfy(message -> assertThat(message).startsWith("Micronaut data source 'default': ")
                            .contains("(the old primary): Could not connect to the database: Connection to 127.0.0.1:1 refused")
                            // no doubled full stop; the ellipsis of "aligner.source(...)" is meant
                            .doesNotContainPattern("[^.]\\.\\.[^.]"));
            assertThat(TestApps.nextValue(books, "book_id_seq")).as("nothing moved").isEqualTo(1);
        }
    }

    @Test
    void aFailingCustomizerStopsStartUpNamingItAndTheDataSource() {
        try (TestDatabase books = TestDatabase.create("micronaut_customizer_throws")) {
            Throwable thrown = catchThrowable(() -> TestApps.start(TestApps.merge(
                    TestApps.dataSource("default", books, "books"),
                    Map.of(OrderedCustomizers.FAIL, "true"))).close());
            assertThat(thrown).as("start-up fails").isNotNull();
            assertThat(TestApps.causes(thrown)).filteredOn(ConfigurationException.class::isInstance).first()
                    .extracting(Throwable::getMessage).asString()
                    .isEqualTo("Micronaut data source 'default': io.seqguard.micronaut.OrderedCustomizers$Failing "
                            + "(a SeqguardConfigurationCustomizer) failed: no old primary configured for default");
            assertThat(TestApps.nextValue(books, "book_id_seq")).as("the guard did not run").isEqualTo(1);
        }
    }
}
