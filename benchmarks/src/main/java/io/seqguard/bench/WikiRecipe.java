package io.seqguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL wiki's "Fixing Sequences" recipe, run the way the wiki tells users to: save the query to a file,
 * let psql print one {@code SELECT SETVAL(...)} statement per owned sequence into a second file
 * ({@code psql -Atq -f reset.sql -o temp}), then run that file with psql ({@code psql -f temp}), which sends each
 * statement on its own, in auto-commit, on one connection. Timed end to end: both psql processes, start to exit.
 */
final class WikiRecipe implements Contender {

    /** The recipe's query, verbatim from the wiki page (only the line breaks differ). */
    static final String QUERY = """
            SELECT 'SELECT SETVAL(' ||
                   quote_literal(quote_ident(PGT.schemaname) || '.' || quote_ident(S.relname)) ||
                   ', COALESCE(MAX(' ||quote_ident(C.attname)|| '), 1) ) FROM ' ||
                   quote_ident(PGT.schemaname)|| '.'||quote_ident(T.relname)|| ';'
            FROM pg_class AS S,
                 pg_depend AS D,
                 pg_class AS T,
                 pg_attribute AS C,
                 pg_tables AS PGT
            WHERE S.relkind = 'S'
                AND S.oid = D.objid
                AND D.refobjid = T.oid
                AND D.refobjid = C.attrelid
                AND D.refobjsubid = C.attnum
                AND T.relname = PGT.tablename
            ORDER BY S.relname;
            """;

    private final String psql;
    private final int port;
    private final Path work;
    /** Per workload: nanoseconds of the generating step and of the executing step, run by run. */
    final Map<String, List<long[]>> steps = new LinkedHashMap<>();
    private String last;

    WikiRecipe(String psql, int port, Path work) throws IOException {
        this.psql = psql;
        this.port = port;
        this.work = work;
        Files.writeString(work.resolve("reset.sql"), QUERY, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "wiki recipe (psql)";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public long run(Workload w) throws Exception {
        Path temp = work.resolve("temp-" + w.database + ".sql");
        Files.deleteIfExists(temp);
        long t0 = System.nanoTime();
        psql(w, "-Atq", "-f", work.resolve("reset.sql").toString(), "-o", temp.toString());
        long t1 = System.nanoTime();
        psql(w, "-q", "-f", temp.toString(), "-o", "/dev/null");
        long t2 = System.nanoTime();
        steps.computeIfAbsent(w.name, k -> new ArrayList<>()).add(new long[] {t1 - t0, t2 - t1});
        try (var lines = Files.lines(temp)) {
            last = lines.filter(l -> !l.isBlank()).count() + " setval statements generated";
        }
        return t2 - t0;
    }

    private void psql(Workload w, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(psql, "-X", "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-d", w.database));
        command.addAll(List.of(args));
        Path err = work.resolve("psql.err");
        Process p = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        int code = p.waitFor();
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        if (code != 0 || errors.contains("ERROR")) {
            throw new IllegalStateException("psql " + command + " exited with " + code + ": " + errors);
        }
    }

    @Override
    public String lastOutcome() {
        return last;
    }
}
