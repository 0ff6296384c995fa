package io.seqguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void theAlignCommandsLoadNothingTheDemoNeeds() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort(); // free again once closed: the connection is refused
        }
        for (String command : new String[] {"verify", "plan", "repair"}) {
            List<String> loaded = new ArrayList<>();
            String out = run(1, List.of("-verbose:class"), command, "--url",
                    "jdbc:postgresql://127.0.0.1:" + closed + "/shop", "--user", "app");
            for (String line : out.split("\n")) {
                if (line.startsWith("[") && line.contains("class,load")) {
                    loaded.add(line);
                }
            }
            assertThat(out).as(command).contains("Connection to 127.0.0.1:" + closed + " refused");
            assertThat(loaded).as(command).isNotEmpty().noneMatch(l -> l.contains("io.seqguard.test.")
                    || l.contains("io.seqguard.cli.DemoCommand") || l.contains("io.zonky")
                    || l.contains("picocli.CommandLine$HelpCommand"));
        }
    }

    private static String java(String... args) throws Exception {
        return run(0, List.of(), args);
    }

    private static String run(int exitCode, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isEqualTo(exitCode);
        return out;
    }
}
