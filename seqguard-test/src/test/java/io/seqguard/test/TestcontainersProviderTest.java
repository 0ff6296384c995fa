package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The testcontainers provider calls Testcontainers by reflection, so that seqguard-test does not depend on it. This
 * machine has no Docker engine: these tests check those calls against the real Testcontainers 2 classes, and that
 * a missing engine is reported with the image, short of starting a container.
 */
class TestcontainersProviderTest {

    @Test
    void theProviderFindsTestcontainers2AndEveryCallItMakes() {
        Class<?> type = Providers.Testcontainers.containerClass();
        assertThat(type.getName()).isEqualTo("org.testcontainers.postgresql.PostgreSQLContainer");

        Providers.Testcontainers.ContainerApi api = Providers.Testcontainers.ContainerApi.of(type);

        assertThat(api.withCommand().getReturnType()).isAssignableFrom(type);
        assertThat(api.jdbcUrl().getReturnType()).isEqualTo(String.class);
        assertThat(api.username().getReturnType()).isEqualTo(String.class);
        assertThat(api.password().getReturnType()).isEqualTo(String.class);
    }

    @Test
    void aClassWithoutTheCallsIsRefusedNamingTheMissingOne() {
        assertThatThrownBy(() -> Providers.Testcontainers.ContainerApi.of(Object.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Unsupported Testcontainers version: java.lang.Object has no ")
                .hasMessageContaining("use Testcontainers 1.20+ or 2.x");
    }

    @Test
    void withoutADockerEngineTheFailureNamesTheImage() {
        assumeFalse(DockerClientFactory.instance().isDockerAvailable(), "a Docker engine is here: this test would "
                + "start a container");
        assertThatThrownBy(Providers.Testcontainers::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Testcontainers could not start postgres:"
                        + Providers.Testcontainers.imageTag(PostgresBinaries.selectedVersion()) + ": ");
    }
}
