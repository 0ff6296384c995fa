package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

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
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplicationAotProcessor;

/**
 * The shop with every kind of early writer ({@link AotShop}) processed ahead of time as the {@code process-aot} goal of
 * spring-boot-maven-plugin does it ({@link SpringApplicationAotProcessor} in a JVM of its own, then javac on the
 * generated sources), and run as users run it, {@code java -Dspring.aot.enabled=true}, in another JVM. The
 * auto-configuration's conditions and the ORM step's bean ordering were fixed at build time; the entity's sequence
 * is still safe before the first write. Nothing in the shop mentions seqguard.
 */
class AotProcessedApplicationTests {

    /** A guard against a hung JVM only: a run takes seconds. */
    private static final long TIMEOUT_MINUTES = 5;
    /** The test class path, which surefire names in a property of its own. */
    private static final String CLASS_PATH = System.getProperty("surefire.test.class.path",
            System.getProperty("java.class.path"));

    /** The shop processed once with no build-time property, for the tests that run it as it is. */
    @TempDir
    static Path processedAsIs;

    private static Processed asIs;

    @TempDir
    Path build;

    @BeforeAll
    static void processTheShop() throws Exception {
        asIs = processAheadOfTime(processedAsIs);
    }

    @Test
    void theAotProcessedShopWritesAtStartUpWithNoSeqguardProperty() throws Exception {
        try (TestDatabase db = TestDatabase.create("aotshop")) {
            Run run = runProcessed(asIs, db);
            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains("Starting AOT-processed AotShop")
                    .contains("': guarding again with the 1 sequence mapping(s) of Hibernate's entities");
            assertEveryWriteGotAFreeId(db);
        }
    }

    /**
     * The guard's beans were generated at build time with {@code seqguard.enabled} unset; at run time
     * {@code seqguard.enabled=false} turns it off all the same, and the same writes fail.
     */
    @Test
    void seqguardEnabledFalseAtRunTimeTurnsTheGuardOffAndTheSameWritesFail() throws Exception {
        try (TestDatabase db = TestDatabase.create("aotshopoff")) {
            Run run = runProcessed(asIs, db, "--seqguard.enabled=false");
            assertThat(run.exitCode).as(run.output).isNotZero();
            assertThat(run.output).contains("Starting AOT-processed AotShop")
                    .contains("duplicate key value violates unique constraint");
            assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1000);
        }
    }

    /**
     * With {@code spring.jpa.defer-datasource-initialization=true} at build and run time, Flyway runs after the
     * EntityManagerFactory; the guard then runs once after it, with the entities' mappings, and every write (the
     * repositories' ordering comes from the generated bean definitions) still comes after it.
     */
    @Test
    void withDeferredDataSourceInitializationTheAotProcessedShopWritesSafelyToo() throws Exception {
        String deferred = "--spring.jpa.defer-datasource-initialization=true";
        Processed processed = processAheadOfTime(build, deferred);
        try (TestDatabase db = TestDatabase.create("aotshopdeferred")) {
            Run run = runProcessed(processed, db, deferred);
            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains("Starting AOT-processed AotShop");
            assertEveryWriteGotAFreeId(db);
        }
    }

    /** The cutover loaded 1000 invoices and 42 audit rows with their ids; every start-up write came after them. */
    private static void assertEveryWriteGotAFreeId(TestDatabase db) {
        assertThat(db.queryForString("SELECT string_agg(number, ',' ORDER BY number) FROM invoice WHERE id > 1000"))
                .isEqualTo("INV-COMMANDLINE,INV-FIRST,INV-JDBC,INV-NEW-1,INV-NEW-2,INV-POSTCONSTRUCT,INV-SINGLETONS");
        assertThat(db.queryForLong("SELECT count(*) FROM invoice")).isEqualTo(1007);
        // the raw DataSource writer and AuditLog's two rows
        assertThat(db.queryForLong("SELECT count(*) FROM audit_event WHERE id > 42")).isEqualTo(3);
    }

    /**
     * {@code process-aot}: generated sources, resources and classes, then the sources compiled.
     *
     * @return where it is, and the class path to run it with
     */
    private static Processed processAheadOfTime(Path build, String... buildArguments) throws Exception {
        Path sources = Files.createDirectories(build.resolve("sources"));
        Path resources = Files.createDirectories(build.resolve("resources"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        List<String> processor = new ArrayList<>(List.of(SpringApplicationAotProcessor.class.getName(),
                AotShop.class.getName(), sources.toString(), resources.toString(), classes.toString(),
                "io.seqguard", "shop"));
        processor.addAll(commonArguments());
        processor.addAll(List.of(buildArguments));
        Run processed = java(build, CLASS_PATH, List.of(), processor);
        assertThat(processed.exitCode).as(processed.output).isZero();

        List<String> generated;
        try (Stream<Path> files = Files.walk(sources)) {
            generated = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
        assertThat(generated).as("the generated initializer")
                .anyMatch(f -> f.endsWith("AotShop__ApplicationContextInitializer.java"));
        List<String> javac = new ArrayList<>(List.of("-proc:none", "-d", classes.toString(), "-cp", CLASS_PATH));
        javac.addAll(generated);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(String[]::new)))
                .as("javac on the generated sources").isZero();
        return new Processed(build, classes + File.pathSeparator + resources + File.pathSeparator + CLASS_PATH);
    }

    /** {@code java -Dspring.aot.enabled=true}, the generated classes and resources first on the class path. */
    private static Run runProcessed(Processed processed, TestDatabase db, String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of(AotShop.class.getName()));
        for (String property : Databases.springDataSource(db)) {
            arguments.add("--" + property);
        }
        arguments.addAll(commonArguments());
        arguments.addAll(List.of(extra));
        return java(processed.dir, processed.classPath, List.of("-Dspring.aot.enabled=true"), arguments);
    }

    private static List<String> commonArguments() {
        return List.of("--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                "--spring.liquibase.enabled=false", "--spring.main.web-application-type=none",
                "--spring.application.name=shop");
    }

    /** Runs a JVM on the class path; its output goes to a log file in {@code logs}. */
    private static Run java(Path logs, String classPath, List<String> options, List<String> arguments)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", classPath));
        command.addAll(arguments);
        Path log = Files.createTempFile(logs, "java", ".log");
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

    /** An application processed ahead of time: its build directory and the class path that runs it. */
    private record Processed(Path dir, String classPath) {
    }
}
