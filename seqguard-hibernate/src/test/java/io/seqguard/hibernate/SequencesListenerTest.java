package io.seqguard.hibernate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seqguard.GuardOutcome;
import io.seqguard.GuardResult;
import io.seqguard.SequenceMapping;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.hibernate.model.Customer;
import io.seqguard.hibernate.model.Invoice;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ORM step's hook: a {@link SequencesListener} set as a Hibernate setting runs inside the session factory's build,
 * once its metamodel is complete and before anyone holds the factory, and what it throws stops the build.
 */
@PostgresTest
class SequencesListenerTest {

    private final TestDatabase db;

    SequencesListenerTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void schema() {
        db.execute("DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public");
    }

    private TestApp app() {
        return TestApp.on(db.dataSource()).entities(List.of(Invoice.class, Customer.class));
    }

    @Test
    void theListenerGetsTheMappingsBeforeTheFactoryIsHandedOut() {
        List<String> events = new ArrayList<>();
        AtomicReference<List<SequenceMapping>> seen = new AtomicReference<>();
        SequencesListener listener = (factory, mappings) -> {
            events.add("listener");
            seen.set(mappings);
        };
        try (SessionFactory factory = app().set(HibernateSequences.LISTENER_SETTING, listener).start()) {
            events.add("built");
            assertThat(events).containsExactly("listener", "built");
            assertThat(seen.get()).isEqualTo(HibernateSequences.from(factory)).hasSize(2);
        }
    }

    @Test
    void whatTheListenerThrowsStopsTheBuild() {
        SequencesListener refuse = (factory, mappings) -> {
            throw new IllegalStateException("seqguard says no");
        };
        assertThatThrownBy(() -> app().set(HibernateSequences.LISTENER_SETTING, refuse).start())
                .hasStackTraceContaining("seqguard says no");
    }

    @Test
    void aSettingOfAnotherTypeIsRefusedByName() {
        assertThatThrownBy(() -> app().set(HibernateSequences.LISTENER_SETTING, "not a listener").start())
                .hasStackTraceContaining(HibernateSequences.LISTENER_SETTING)
                .hasStackTraceContaining("SequencesListener");
    }

    /** The ORM step as a framework module runs it: the guard with the entities' mappings, inside the build. */
    @Test
    void theGuardAsTheListenerRepairsBeforeTheFirstInsert() {
        TestApp app = app();
        db.execute(app.schemaScript());
        db.execute("insert into invoice (id, number) select g, 'INV-' || g from generate_series(1, 120) g",
                "insert into customer (id, name) select g, 'c' from generate_series(1, 3) g");
        AtomicReference<GuardResult> result = new AtomicReference<>();
        SequencesListener guard = (factory, mappings) -> result.set(StartupGuard.configure()
                .dataSource(db.dataSource()).aligner(a -> a.mappings(mappings)).load().run());
        try (SessionFactory factory = app.set(HibernateSequences.LISTENER_SETTING, guard).start()) {
            assertThat(result.get().outcome()).isEqualTo(GuardOutcome.REPAIRED);
            List<Object> entities = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                entities.add(new Invoice());
                entities.add(new Customer());
            }
            assertThat(TestApp.insertEach(factory, entities)).isEmpty();
        }

        db.execute("drop sequence customer_seq");
        assertThatThrownBy(() -> app().set(HibernateSequences.LISTENER_SETTING, guard).start())
                .as("an incomplete run stops the build").isInstanceOf(StartupGuardException.class)
                .hasStackTraceContaining("customer_seq").hasStackTraceContaining("does not exist");
    }
}
