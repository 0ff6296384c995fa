package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.spring.boot.app.ShopApplication;
import io.seqguard.test.TestDatabase;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplicationAotProcessor;

/**
 * The shop processed ahead of time as the {@code process-aot} goal of spring-boot-maven-plugin does it
 * ({@link SpringApplicationAotProcessor} in a JVM of its own, then javac on the generated sources), and run as users
 * run it, {@code java -Dspring.aot.enabled=true}, in another JVM: the auto-configuration's conditions and the ORM
 * step's bean ordering were fixed at build time, and the entity's sequence is still safe before the application's
 * first write. Nothing in the shop mentions seqguard.
 */
class AotProcessedApplicationTests {

    private static final long TIMEOUT_MINUTES = 5;

    @TempDir
    static Path build;

    private static String classPath;

    /** {@code process-aot}: generated sources, resources and classes, then the sources compiled. */
    @BeforeAll
    static void processAheadOfTime() throws Exception {
        classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path sources = Files.createDirectories(build.resolve("sources"));
        Path resources = Files.createDirectories(build.resolve("resources"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        List<String> processor = new ArrayList<>(List.of(SpringApplicationAotProcessor.class.getName(),
                ShopApplication.class.getName(), sources.toString(), resources.toString(), classes.toString(),
                "io.seqguard", "shop"));
        processor.addAll(commonArguments());
        Run processed = java(classPath, List.of(), processor);
        assertThat(processed.exitCode).as(processed.output).isZero();

        List<String> generated;
        try (Stream<Path> files = Files.walk(sources)) {
            generated = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
        assertThat(generated).as("the generated initializer")
                .anyMatch(f -> f.endsWith("ShopApplication__ApplicationContextInitializer.java"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-cp", classPath));
        options.addAll(generated);
        assertThat(javac.run(null, null, null, options.toArray(String[]::new))).as("javac on the generated sources")
                .isZero();
    }

    @Test
    void theAotProcessedShopInsertsItsInvoicesWithNoSeqguardProperty() throws Exception {
        try (TestDatabase db = TestDatabase.create("aotshop")) {
            Run run = runProcessed(db);
            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains("Starting AOT-processed ShopApplication")
                    .contains("': guarding again with the 1 sequence mapping(s) of Hibernate's entities");
            // ShopApplication's StartUpWrites: two invoices, above the 1000 the cutover loaded
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1002);
            assertThat(db.queryForLong("SELECT count(*) FROM invoice WHERE id > 1000")).isEqualTo(2);
            assertThat(db.queryForLong("SELECT count(*) FROM audit_event WHERE id > 42")).isEqualTo(2);
        }
    }

    /**
     * The guard's beans were generated at build time with {@code seqguard.enabled} unset; at run time
     * {@code seqguard.enabled=false} turns it off all the same, and the same inserts fail.
     */
    @Test
    void seqguardEnabledFalseAtRunTimeTurnsTheGuardOffAndTheSameInsertsFail() throws Exception {
        try (TestDatabase db = TestDatabase.create("aotshopoff")) {
            Run run = runProcessed(db, "--seqguard.enabled=false");
            assertThat(run.exitCode).as(run.output).isNotZero();
            assertThat(run.output).contains("Starting AOT-processed ShopApplication")
                    .contains("duplicate key value violates unique constraint");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1000);
            assertThat(db.queryForLong("SELECT count(*) FROM audit_event")).isEqualTo(42);
        }
    }

    /** {@code java -Dspring.aot.enabled=true}, the generated classes and resources first on the class path. */
    private static Run runProcessed(TestDatabase db, String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(ShopApplication.class.getName()));
        for (String property : Databases.springDataSource(db)) {
            arguments.add("--" + property);
        }
        arguments.addAll(commonArguments());
        arguments.addAll(List.of(extra));
        String path = build.resolve("classes") + File.pathSeparator + build.resolve("resources") + File.pathSeparator
                + classPath;
        return java(path, List.of("-Dspring.aot.enabled=true"), arguments);
    }

    private static List<String> commonArguments() {
        return List.of("--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                "--spring.liquibase.enabled=false", "--spring.main.web-application-type=none",
                "--spring.application.name=shop");
    }

    private static Run java(String path, List<String> options, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", path));
        command.addAll(arguments);
        Path log = Files.createTempFile(build, "java", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("no exit within " + TIMEOUT_MINUTES + " minutes: " + read(log));
        }
        return new Run(process.exitValue(), read(log));
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private record Run(int exitCode, String output) {
    }
}
