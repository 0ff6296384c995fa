package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution (classifier {@code dist}): unpacked as a user unpacks it, {@code bin/seqguard} runs the runnable
 * jar with the JVM options of a short run, from anywhere and through a symbolic link, and keeps stdout for the report.
 */
@DisabledOnOs(OS.WINDOWS)
class DistributionIT {

    private static final Path ARCHIVE = Path.of(System.getProperty("seqguard.dist"));
    private static final String VERSION = System.getProperty("project.version");

    @TempDir
    static Path unpacked;

    private static Path launcher;

    @BeforeAll
    static void unpack() throws Exception {
        Process tar = new ProcessBuilder("tar", "xzf", ARCHIVE.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(out).isZero();
        launcher = unpacked.resolve("seqguard-" + VERSION).resolve("bin").resolve("seqguard");
    }

    @Test
    void theArchiveHoldsTheLauncherTheJarAndTheLicense() {
        Path home = unpacked.resolve("seqguard-" + VERSION);
        assertThat(Files.isExecutable(launcher)).isTrue();
        assertThat(home.resolve("lib").resolve("seqguard.jar")).isRegularFile();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("bin").resolve("seqguard.cmd")).isRegularFile();
    }

    @Test
    void theLauncherRunsTheJarWithTheOptionsOfAShortRun() throws Exception {
        Result version = run(List.of(launcher.toString(), "--version"), Map.of());
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("seqguard " + VERSION + "\n");

        // the JVM's own options, as the launcher set them, seen from inside
        Result options = run(List.of(launcher.toString(), "--version"),
                Map.of("SEQGUARD_OPTS", "-XX:+PrintCommandLineFlags"));
        assertThat(options.out()).contains("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
    }

    @Test
    void itRunsThroughASymbolicLinkFromAnotherDirectory() throws Exception {
        Path elsewhere = Files.createDirectories(unpacked.resolve("usr-local-bin"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("seqguard"), launcher);
        Result result = run(List.of(link.toString(), "--version"), Map.of());
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("seqguard " + VERSION);
    }

    @Test
    void aFailureGoesToStderrAndStdoutStaysTheReports() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Result result = run(List.of(launcher.toString(), "verify", "--url", "jdbc:postgresql://127.0.0.1:" + closed
                + "/shop", "--user", "app", "--format", "json"), Map.of());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("Connection to 127.0.0.1:" + closed + " refused");
        assertThat(result.out()).doesNotContain("refused");
    }

    @Test
    void withoutJavaItSaysWhatToInstall() throws Exception {
        Result result = run(List.of(launcher.toString(), "--version"), Map.of("JAVA_HOME", "/nonexistent"));
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("no Java found").contains("JAVA_HOME");

        Path notJava = Files.createDirectories(unpacked.resolve("not-a-jdk").resolve("bin"));
        Files.writeString(notJava.resolve("java"), "not executable");
        Result notExecutable = run(List.of(launcher.toString(), "--version"),
                Map.of("JAVA_HOME", notJava.getParent().toString()));
        assertThat(notExecutable.exit()).isEqualTo(1);
        assertThat(notExecutable.err()).contains("no Java found");
    }

    /** Run by a relative path with CDPATH exported, which makes a plain cd print where it went. */
    @Test
    void aRelativePathAndCdpathFindTheInstallation() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("seqguard-" + VERSION + "/bin/seqguard", "--version")
                .directory(unpacked.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("CDPATH", ".:" + unpacked);
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        assertThat(out).startsWith("seqguard " + VERSION);
    }

    /** A file named like the option a pattern in SEQGUARD_OPTS would match stays a file: the JVM gets the pattern. */
    @Test
    void jvmOptionsAreNeverExpandedAsFilePatterns() throws Exception {
        Path here = Files.createDirectories(unpacked.resolve("cwd-with-a-file"));
        Files.writeString(here.resolve("-XX:+PrintCommandLineFlags"), "");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version").directory(here.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SEQGUARD_OPTS", "-XX:+PrintCommandLine*");
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isEqualTo(1);
        assertThat(out).contains("Unrecognized VM option 'PrintCommandLine*'");
    }

    @Test
    void theWindowsLauncherHasWindowsLineEnds() throws IOException {
        Path zip = Path.of(ARCHIVE.toString().replaceFirst("\\.tar\\.gz$", ".zip"));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            ZipEntry cmd = archive.getEntry("seqguard-" + VERSION + "/bin/seqguard.cmd");
            assertThat(cmd).isNotNull();
            String text = new String(archive.getInputStream(cmd).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).startsWith("@echo off\r\n").contains("lib\\seqguard.jar");
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Path err = Files.createTempFile("seqguard-dist", ".err");
        try {
            Process process = builder.redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            return new Result(exit, out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
