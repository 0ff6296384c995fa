package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * On Java 19 or later a command that reads a database writes the class-data archive as it exits, and the next run
     * maps it; nothing about it reaches the run's output. A closed port is enough: the archive holds what the run
     * loaded.
     */
    @Test
    void onANewerJavaTheFirstDatabaseCommandWritesAClassArchiveTheNextMaps(@TempDir Path cache) throws Exception {
        Path newer = newerJava();
        Map<String, String> environment = Map.of("JAVA_HOME", newer.toString(), "SEQGUARD_CACHE", cache.toString());

        Result version = run(List.of(launcher.toString(), "--version"), environment);
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(cache).as("--version writes no archive").isEmptyDirectory();

        Result first = verifyOnAClosedPort(environment);
        assertThat(first.exit()).isEqualTo(1);
        assertThat(first.err()).contains("refused").doesNotContain("cds").doesNotContain("warning");
        List<Path> archives = archives(cache);
        assertThat(archives).hasSize(1);

        Path classes = cache.resolve("classes.log");
        Map<String, String> logged = new HashMap<>(environment);
        logged.put("SEQGUARD_OPTS", "-Xlog:class+load=info:file=" + classes);
        Result second = verifyOnAClosedPort(logged);
        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.err()).contains("refused").doesNotContain("cds");
        assertThat(Files.readString(classes)).contains("io.seqguard.cli.Main source: shared objects file (top)");
    }

    /** A run killed while the JVM wrote the archive leaves its header zero; the launcher removes it to be rewritten. */
    @Test
    void anArchiveWhoseHeaderWasNeverWrittenIsWrittenAgain(@TempDir Path cache) throws Exception {
        Map<String, String> environment = Map.of("JAVA_HOME", newerJava().toString(), "SEQGUARD_CACHE",
                cache.toString());
        verifyOnAClosedPort(environment);
        Path archive = archives(cache).get(0);
        Files.write(archive, new byte[4096]);

        Result again = verifyOnAClosedPort(environment);
        assertThat(again.err()).contains("refused").doesNotContain("cds");
        assertThat(Files.size(archive)).isGreaterThan(4096);
        byte[] header = Arrays.copyOf(Files.readAllBytes(archive), 4);
        assertThat(header).isNotEqualTo(new byte[4]);
    }

    /** No archive where it cannot be written or is turned off, nor on Java 17, and the run is the same. */
    @Test
    void withoutAWritableCacheOrWhenTurnedOffThereIsNoArchive(@TempDir Path dir) throws Exception {
        Path newer = newerJava();
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Result unwritable = verifyOnAClosedPort(Map.of("JAVA_HOME", newer.toString(), "SEQGUARD_CACHE",
                file.resolve("cache").toString()));
        assertThat(unwritable.exit()).isEqualTo(1);
        assertThat(unwritable.err()).contains("refused").doesNotContain("mkdir").doesNotContain("cds");

        Path home = Files.createDirectories(dir.resolve("home"));
        Result off = verifyOnAClosedPort(Map.of("JAVA_HOME", newer.toString(), "SEQGUARD_CACHE", "none",
                "HOME", home.toString()));
        assertThat(off.exit()).isEqualTo(1);
        assertThat(home).isEmptyDirectory();
        assertThat(dir.resolve("none")).doesNotExist();

        if (Runtime.version().feature() < 19) {
            Result old = verifyOnAClosedPort(Map.of("SEQGUARD_CACHE", dir.resolve("old").toString()));
            assertThat(old.exit()).isEqualTo(1);
            assertThat(dir.resolve("old")).doesNotExist();
        }
    }

    /** The default place: the XDG cache directory, else ~/.cache. */
    @Test
    void theArchiveGoesToTheUsersCacheDirectory(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", newerJava().toString(),
                "HOME", home.toString()));
        environment.put("SEQGUARD_CACHE", "");
        environment.put("XDG_CACHE_HOME", "");
        verifyOnAClosedPort(environment);
        assertThat(archives(home.resolve(".cache").resolve("seqguard"))).hasSize(1);

        environment.put("XDG_CACHE_HOME", dir.resolve("xdg").toString());
        verifyOnAClosedPort(environment);
        assertThat(archives(dir.resolve("xdg").resolve("seqguard"))).hasSize(1);
    }

    private static Result verifyOnAClosedPort(Map<String, String> environment) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        return run(List.of(launcher.toString(), "verify", "--url", "jdbc:postgresql://127.0.0.1:" + closed + "/shop",
                "--user", "app"), environment);
    }

    private static List<Path> archives(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    /**
     * A Java 19 or later: {@code -Dseqguard.newerJava=<home>}, else the first under /usr/lib/jvm (the build machine has
     * one beside its Java 17); without one the archive's tests are skipped, and say so.
     */
    private static Path newerJava() throws IOException {
        String given = System.getProperty("seqguard.newerJava", "");
        List<Path> candidates = new ArrayList<>();
        if (!given.isEmpty()) {
            candidates.add(Path.of(given));
        } else if (Files.isDirectory(Path.of("/usr/lib/jvm"))) {
            try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
                homes.sorted().forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            Path release = home.resolve("release");
            if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin").resolve("java"))) {
                Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                if (m.find() && Integer.parseInt(m.group(1)) >= 19) {
                    return home;
                }
            }
        }
        Assumptions.abort("no Java 19 or later here (give one with -Dseqguard.newerJava=<home>): the launcher's "
                + "class-data archive is not tested");
        return null;
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
        // never the user's own cache: a test that wants the default place clears this
        builder.environment().put("SEQGUARD_CACHE", unpacked.resolve("cache").toString());
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
