package io.seqguard.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.seqguard.test.TestDatabase;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Micronaut runs the {@code BeanCreatedEventListener}s of a data source by ascending order: a probe listener placed
 * before Flyway (order -1) finds no table; one placed between Flyway (order 0) and seqguard
 * ({@link SeqguardDataSourceListener#ORDER}) finds Flyway's rows and the sequence still lagging; one after seqguard
 * finds it repaired. Together: Flyway, then seqguard, then the bean goes to the application.
 */
class ListenerOrderTest {

    private static ProbeListener probe(TestDatabase database, int order) {
        try (ApplicationContext context = TestApps.start(TestApps.merge(
                TestApps.dataSource("default", database, "books"), Map.of(ProbeListener.ORDER, order)))) {
            return context.getBean(ProbeListener.class);
        }
    }

    @Test
    void beforeFlywayThereIsNoTable() {
        try (TestDatabase database = TestDatabase.create("micronaut_order_before")) {
            ProbeListener probe = probe(database, -1);
            assertThat(probe.bookTableExisted).isFalse();
        }
    }

    @Test
    void betweenFlywayAndSeqguardTheRowsAreLoadedAndTheSequenceLags() {
        try (TestDatabase database = TestDatabase.create("micronaut_order_between")) {
            ProbeListener probe = probe(database, SeqguardDataSourceListener.ORDER - 1);
            assertThat(probe.bookTableExisted).isTrue();
            assertThat(probe.nextValue).isEqualTo(1L);
        }
    }

    @Test
    void afterSeqguardTheSequenceIsRepaired() {
        try (TestDatabase database = TestDatabase.create("micronaut_order_after")) {
            ProbeListener probe = probe(database, SeqguardDataSourceListener.ORDER + 1);
            assertThat(probe.bookTableExisted).isTrue();
            assertThat(probe.nextValue).isEqualTo(4L);
        }
    }
}
