package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The packaged runnable jar (target/seqguard.jar, deployed as classifier {@code all}), run with {@code java -jar}. */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("seqguard.jar"));
    private static final String VERSION = System.getProperty("project.version");

    @Test
    void theManifestCarriesTheVersionAndTheEntryPoint() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue("Main-Class")).isEqualTo(Main.class.getName());
            assertThat(manifest.getValue("Implementation-Version")).isEqualTo(VERSION);
            assertThat(manifest.getValue("Automatic-Module-Name")).isEqualTo("io.seqguard.cli");
        }
    }

    @Test
    void versionAndHelpRunFromTheJar() throws Exception {
        assertThat(java("--version")).startsWith("seqguard " + VERSION + "\n");
        assertThat(java("repair", "--help")).startsWith("Usage: seqguard repair").contains("--url=JDBC_URL");
    }

    private static String java(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = JAR.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
