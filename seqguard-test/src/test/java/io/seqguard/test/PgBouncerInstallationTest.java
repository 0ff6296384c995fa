package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Without pgbouncer, its tests say that they did not run and why; where they are required, they fail. */
class PgBouncerInstallationTest {

    private String executable;
    private String required;

    @BeforeEach
    void pointAtAMissingPgBouncer() {
        executable = System.getProperty(PgBouncer.EXECUTABLE_PROPERTY);
        required = System.getProperty(PgBouncer.REQUIRED_PROPERTY);
        System.setProperty(PgBouncer.EXECUTABLE_PROPERTY, "/nonexistent/pgbouncer");
        System.clearProperty(PgBouncer.REQUIRED_PROPERTY);
    }

    @AfterEach
    void restore() {
        restore(PgBouncer.EXECUTABLE_PROPERTY, executable);
        restore(PgBouncer.REQUIRED_PROPERTY, required);
    }

    @Test
    void aMissingPgBouncerSkipsTheTestWithTheReason() {
        assertThat(PgBouncer.isInstalled()).isFalse();
        assertThatThrownBy(PgBouncer::assumeInstalled).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("not run: pgbouncer is not installed (property seqguard.test.pgbouncer = "
                        + "/nonexistent/pgbouncer is not executable)")
                .hasMessageContaining("apt-get install pgbouncer");
    }

    @Test
    void whereItIsRequiredAMissingPgBouncerFails() {
        System.setProperty(PgBouncer.REQUIRED_PROPERTY, "true");
        assertThatThrownBy(PgBouncer::assumeInstalled).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seqguard.test.require-pgbouncer is true, so this test must run");
        assertThatThrownBy(() -> PgBouncer.builder(EmbeddedPostgres.shared()).start())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("pgbouncer is not installed");
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }
}
