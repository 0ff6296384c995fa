package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging folder holds what Maven Central requires; and the check finds what is missing when it is not. */
class StagedReleaseTest {

    private static final Path STAGING = Path.of(URI.create(System.getProperty("seqguard.staging")));
    private static final String VERSION = System.getProperty("seqguard.version");

    @Test
    void everyPublishedModuleHasSourcesJavadocAndCentralsMetadata() {
        assertThat(StagedRelease.problems(STAGING, VERSION)).isEmpty();
    }

    @Test
    void aMissingJavadocJarLicenseOrBomEntryIsFound(@TempDir Path copy) throws IOException {
        copyTree(STAGING, copy);
        Path group = copy.resolve("io/seqguard");
        try (Stream<Path> files = Files.walk(group)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("seqguard-junit-") && name.endsWith("-javadoc.jar")) {
                    Files.delete(file);
                }
                if (name.startsWith("seqguard-parent-") && name.endsWith(".pom")) {
                    String pom = Files.readString(file);
                    Files.writeString(file, pom.substring(0, pom.indexOf("<licenses>"))
                            + pom.substring(pom.indexOf("</licenses>") + "</licenses>".length()));
                }
            }
        }
        copyTree(group.resolve("seqguard-junit"), group.resolve("seqguard-unlisted"));

        List<String> problems = StagedRelease.problems(copy, VERSION);
        assertThat(problems).contains("seqguard-junit: no javadoc jar",
                "seqguard-core: no <licenses><license><name>, not even from its parent",
                "seqguard-parent: no <licenses><license><url>, not even from its parent",
                "seqguard-unlisted: staged, but missing from seqguard-bom");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
