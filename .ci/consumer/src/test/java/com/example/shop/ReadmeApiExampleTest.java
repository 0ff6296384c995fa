package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.junit.SeqguardAssertions;
import io.seqguard.test.PostgresTest;
import io.seqguard.test.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's API example, compiled and run exactly as the README writes it, on a database that needs it: a cutover
 * left the sequences of both schemas behind, and an invoice number that only application code hands out.
 */
@PostgresTest
class ReadmeApiExampleTest {

    private static final Path README = Path.of(System.getProperty("seqguard.readme"));

    @Test
    void theExampleRepairsAndEndsAligned(TestDatabase db, @TempDir Path work) throws Exception {
        db.execute("CREATE SCHEMA billing",
                "CREATE TABLE public.\"Order Lines; DROP TABLE x\" (id bigserial PRIMARY KEY)",
                "INSERT INTO public.\"Order Lines; DROP TABLE x\" SELECT generate_series(1, 120)",
                "CREATE SEQUENCE billing.invoice_number_seq",
                "CREATE TABLE billing.invoice (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, number bigint)",
                "INSERT INTO billing.invoice OVERRIDING SYSTEM VALUE VALUES (7, 1000), (8, 1001)");

        String output = runReadmeExample(db.dataSource(), work);

        assertThat(output).contains("billing.invoice_number_seq").contains("moved forward");
        SeqguardAssertions.assertAligned(db.dataSource(), a -> a.schemas("public", "billing")
                .map("billing.invoice_number_seq", "billing.invoice", "number"));
        assertThat(db.queryForLong("SELECT nextval('billing.invoice_number_seq')")).isEqualTo(1002);
    }

    /** Compiles the first java block under "## The API" as the body of a method with a {@code dataSource}. */
    private static String runReadmeExample(DataSource dataSource, Path work) throws Exception {
        List<String> lines = Files.readAllLines(README);
        int start = lines.indexOf("## The API");
        assertThat(start).as("README has a section '## The API'").isNotNegative();
        int open = start + lines.subList(start, lines.size()).indexOf("```java");
        int close = open + lines.subList(open, lines.size()).indexOf("```");
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : lines.subList(open + 1, close)) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        String source = imports + "public class ReadmeExample {\n"
                + "    public static void run(javax.sql.DataSource dataSource) throws Exception {\n" + body + "}}\n";
        Path file = Files.writeString(work.resolve("ReadmeExample.java"), source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, null, errors, "-classpath", System.getProperty("java.class.path"), "-d",
                work.toString(), file.toString());
        assertThat(code).as("the README's example compiles:\n" + errors + "\n" + source).isZero();

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {work.toUri().toURL()},
                ReadmeApiExampleTest.class.getClassLoader())) {
            Method run = loader.loadClass("ReadmeExample").getMethod("run", DataSource.class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            run.invoke(null, dataSource);
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }
}
