package io.seqguard.bench;

import io.seqguard.AlignmentReport;
import io.seqguard.SequenceAligner;
import io.seqguard.test.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The benchmark: builds the workloads on an embedded PostgreSQL, runs every contender on each (one warm-up round,
 * then {@code bench.runs} timed rounds, contenders interleaved within a round, every sequence reset before each run),
 * and writes the results as markdown. See the module's README for what is measured and how to read it.
 *
 * <p>System properties: {@code bench.quick} (100 and 1,000 tables, 1M rows, 3 runs; results under target/),
 * {@code bench.runs}, {@code bench.dir} (the module directory), {@code bench.psql} (default /usr/bin/psql),
 * {@code pg.version} (the embedded server's major, default 18).
 */
public final class BenchMain {

    private final boolean quick = Boolean.getBoolean("bench.quick");
    private final int runs = Integer.parseInt(setting("bench.runs", quick ? "3" : "5"));
    private final Path dir = Path.of(setting("bench.dir", ".")).toAbsolutePath();
    private final String psql = setting("bench.psql", "/usr/bin/psql");
    private final int[] sizes = quick ? new int[] {100, 1000} : new int[] {100, 1000, 10000};
    private final long bigRows = quick ? 1_000_000L : 10_000_000L;
    private final int bigOthers = 1000;
    /** The network of {@link #overANetwork()}: about a round trip between two availability zones. */
    static final Duration ROUND_TRIP = Duration.ofMillis(1);
    private final long bigTimeoutMillis = Long.parseLong(setting("bench.bigTimeoutMillis", quick ? "30" : "100"));

    /** The majors to run, in order; the first also runs the extras (async commits, the network, the 10M rows). */
    private final List<String> majors = List.of(setting("bench.majors", "18,12").split("\\s*,\\s*"));
    /** The schema-per-tenant database: {@code bench.tenants} schemas of 100 tables (0 to leave it out). */
    private final int tenantSchemas = Integer.parseInt(setting("bench.tenants", quick ? "0" : "1000"));
    static final int TABLES_PER_TENANT = 100;

    /**
     * The parts to run ({@code bench.only}, comma-separated; unset: every part): {@code tables} (100 / 1,000 /
     * 10,000 tables and the shared sequence, side by side), {@code users} (the command line as a process, the
     * guard and the API against the recipe and the floor, every sequence behind), {@code start} (the 200-table
     * application, the command line's first query), {@code heap}, {@code phases}, {@code tenants} (100,000 tables);
     * on the first major also {@code async}, {@code network}, {@code unindexed}, {@code diagnostics}.
     */
    static final List<String> PARTS = List.of("tables", "users", "start", "heap", "phases", "tenants", "async",
            "network", "unindexed", "diagnostics");
    private final List<String> only = parts(setting("bench.only", String.join(",", PARTS)));

    /** What the machine is, for every major. */
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final List<MajorRun> done = new ArrayList<>();
    private final long started = System.nanoTime();

    // the major being measured
    private MajorRun current;
    private Map<String, Map<String, Stats>> results;
    private Map<String, Workload> workloads;
    private Map<String, String> facts;
    private EmbeddedPostgres pg;
    private Path work;
    private String childClasspath;
    private Path cliJar;
    /** The distribution's bin/seqguard, unpacked into the work directory. */
    private Path launcher;
    private WikiRecipe wiki;

    public static void main(String[] args) throws Exception {
        if (System.getProperty("bench.snapshot") == null) {
            System.exit(relaunch());
        }
        new BenchMain().run();
    }

    private static List<String> parts(String list) {
        List<String> parts = List.of(list.split("\\s*,\\s*"));
        for (String part : parts) {
            if (!PARTS.contains(part)) {
                throw new IllegalArgumentException("bench.only: unknown part '" + part + "'; the parts are "
                        + String.join(", ", PARTS));
            }
        }
        return parts;
    }

    /** Whether {@code bench.only} asks for the part. */
    boolean wants(String part) {
        return only.contains(part);
    }

    /** A system property, or the default when it is unset or blank (Maven passes an unset property as empty). */
    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * Runs the harness again in a JVM whose classpath is a private copy of this one: the module jars live in the
     * shared work tree, where a concurrent build may rebuild them while classes are still being loaded.
     */
    private static int relaunch() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(Path.of("/tmp"), "seqguard-bench-");
        String classpath = snapshotClasspath(work);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx" + (Runtime.getRuntime().maxMemory() / 1048576) + "m"));
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("bench.") || name.equals("pg.version") || name.equals("java.io.tmpdir")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.addAll(List.of("-Dbench.snapshot=" + work, "-cp", classpath, BenchMain.class.getName()));
        int code = new ProcessBuilder(command).inheritIO().start().waitFor();
        try (var walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return code;
    }

    private void say(String line) {
        System.out.printf(Locale.ROOT, "[%6.1fs] [PostgreSQL %s] %s%n", (System.nanoTime() - started) / 1e9,
                current == null ? "-" : current.major, line);
        System.out.flush();
    }

    private void run() throws Exception {
        machine.put("date (UTC)", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .substring(0, 19));
        machine.put("load average at start", loadAverage());
        work = Path.of(System.getProperty("bench.snapshot"));
        childClasspath = System.getProperty("java.class.path");
        cliJar = work.resolve("seqguard.jar");
        Files.copy(Path.of(setting("bench.cliJar", "../seqguard-cli/target/seqguard.jar")), cliJar);
        launcher = unpackDistribution();
        machineFacts();
        for (String major : majors) {
            current = new MajorRun(major, done.isEmpty());
            results = current.results;
            workloads = current.workloads;
            facts = current.facts;
            facts.put("load average at start", loadAverage());
            say("starting embedded PostgreSQL " + major + (quick ? " (quick mode)" : ""));
            try (EmbeddedPostgres server = EmbeddedPostgres.builder().version(major)
                    // PostgreSQL's own default (the test kit raises it to 200): the lock table is 64 x 100 slots
                    .setting("max_connections", "100")
                    // a server sized for the schema-per-tenant database: the catalogs of 100,000 tables alone are
                    // larger than the default 128MB, which then churns catalog and data pages for every table read
                    .setting("shared_buffers", "1GB")
                    // no background vacuum racing the runs: the harness vacuums each database once after building it
                    .setting("autovacuum", "off")
                    // durable commits as in production (the test kit turns them off): a recipe that commits once per
                    // statement pays a WAL flush per statement, as it does on a real server
                    .setting("fsync", "on")
                    .setting("synchronous_commit", "on")
                    .setting("full_page_writes", "on")
                    // one explicit CHECKPOINT after building; none of its own in the middle of the measurements
                    .setting("max_wal_size", "16GB")
                    .setting("checkpoint_timeout", "1d")
                    .start()) {
                pg = server;
                wiki = new WikiRecipe(psql, pg.port(), work);
                current.wiki = wiki;
                serverFacts();
                build();
                if (wants("tables")) {
                    for (int n : sizes) {
                        measure(workloads.get(tablesName(n)), tableContenders(n == sizes[sizes.length - 1]));
                    }
                }
                if (wants("users")) {
                    whatUsersRun();
                }
                if (current.extras && wants("async")) {
                    asyncCommits();
                }
                if (current.extras && wants("network")) {
                    overANetwork();
                }
                if (wants("tables")) {
                    measure(workloads.get("shared sequence"), tableContenders(false));
                }
                if (current.extras && wants("unindexed")) {
                    unindexed();
                }
                if (wants("start")) {
                    startup();
                }
                if (wants("heap")) {
                    heapProbes();
                }
                if (wants("phases")) {
                    phases();
                }
                if (current.extras && wants("diagnostics")) {
                    stateDiagnostic();
                    shortTimeoutProbe();
                }
                if (wants("tenants")) {
                    tenants();
                }
            }
            facts.put("load average at end", loadAverage());
            done.add(current);
        }
        machine.put("load average at end", loadAverage());
        Path out = quick ? dir.resolve("target").resolve("RESULTS-quick.md") : dir.resolve("RESULTS.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new ResultsWriter(this).markdown(), StandardCharsets.UTF_8);
        say("wrote " + out);
    }

    static String tablesName(int n) {
        return String.format(Locale.ROOT, "%,d tables", n);
    }

    private List<Contender> tableContenders(boolean largest) {
        List<Contender> list = new ArrayList<>();
        list.add(new SeqguardRun("seqguard verify", false, 2));
        list.add(new SeqguardRun("seqguard repair", true, 2));
        list.add(new SeqguardRun("seqguard repair, jobs 1", true, 1));
        if (largest) {
            list.add(new SeqguardRun("seqguard repair, jobs 4", true, 4));
        }
        list.add(wiki);
        list.add(new NaiveLoop());
        list.add(new ServerFloor(2));
        list.add(new ServerFloor(1));
        return list;
    }

    private void build() throws Exception {
        Workloads builder = new Workloads(pg);
        for (int n : sizes) {
            long t0 = System.nanoTime();
            Workload w = builder.tables(tablesName(n), "bench_" + n, n);
            workloads.put(w.name, w);
            say(String.format(Locale.ROOT, "built %s in %.1f s", w, (System.nanoTime() - t0) / 1e9));
        }
        long t0 = System.nanoTime();
        Workload shared = builder.shared("shared sequence", "bench_shared");
        workloads.put(shared.name, shared);
        say(String.format(Locale.ROOT, "built %s in %.1f s", shared, (System.nanoTime() - t0) / 1e9));
        t0 = System.nanoTime();
        Workload big = !current.extras || !wants("unindexed") ? null : builder.unindexed(String.format(Locale.ROOT,
                "unindexed %,d rows + %,d tables", bigRows,
                bigOthers), "bench_unindexed", bigRows, bigOthers);
        if (big != null) {
            workloads.put("unindexed", big);
            say(String.format(Locale.ROOT, "built %s in %.1f s", big, (System.nanoTime() - t0) / 1e9));
        }
        if (wants("start")) {
            t0 = System.nanoTime();
            Workload app = StartupContenders.app(pg, "bench_app", work.resolve("migrations"));
            workloads.put("app", app);
            say(String.format(Locale.ROOT, "built %s in %.1f s", app, (System.nanoTime() - t0) / 1e9));
        }
        int largest = sizes[sizes.length - 1];
        Workload lagging = workloads.get(tablesName(largest)).allBehind(laggingName(), tablesName(largest)
                + " as above, every sequence reset never called (behind), as a copy of the whole database leaves "
                + "them: what a cutover leaves, and the most a repair has to move");
        workloads.put("lagging", lagging);
        t0 = System.nanoTime();
        Workload.execute(pg.dataSource("postgres"), "CHECKPOINT");
        say(String.format(Locale.ROOT, "checkpoint after building took %.1f s", (System.nanoTime() - t0) / 1e9));
    }

    /**
     * Unpacks the command line's distribution ({@code bench.cliDist}, default the one {@code seqguard-cli} built) into
     * the work directory, as a user does.
     *
     * @return its bin/seqguard
     */
    private Path unpackDistribution() throws IOException, InterruptedException {
        Path archive;
        String given = setting("bench.cliDist", "");
        if (!given.isEmpty()) {
            archive = Path.of(given);
        } else {
            try (var found = Files.newDirectoryStream(Path.of("../seqguard-cli/target"),
                    "seqguard-cli-*-dist.tar.gz")) {
                var it = found.iterator();
                if (!it.hasNext()) {
                    throw new IllegalStateException("no seqguard-cli/target/seqguard-cli-*-dist.tar.gz: build "
                            + "seqguard-cli first (the bench command does), or give -Dbench.cliDist");
                }
                archive = it.next();
            }
        }
        Path into = Files.createDirectories(work.resolve("dist"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IllegalStateException("tar xzf " + archive + " failed");
        }
        try (var homes = Files.newDirectoryStream(into, "seqguard-*")) {
            return homes.iterator().next().resolve("bin").resolve("seqguard");
        }
    }

    /** The largest table-count workload with every sequence behind. */
    String laggingName() {
        return tablesName(sizes[sizes.length - 1]) + ", every sequence behind";
    }

    /** The schema-per-tenant workload. */
    String tenantsName() {
        return String.format(Locale.ROOT, "%,d tables in %,d schemas, every sequence behind",
                tenantSchemas * TABLES_PER_TENANT, tenantSchemas);
    }

    /** The contenders of what users run, on a database a copy left every sequence of behind. */
    private List<Contender> userContenders(boolean withRecipes, List<String> cliJvmOptions) {
        List<Contender> list = new ArrayList<>();
        list.add(new CliRun(CLI_REPAIR, CliRun.javaJar(cliJar, cliJvmOptions), work, "repair"));
        if (withRecipes) {
            list.add(new CliRun(CLI_LAUNCHER_REPAIR, List.of(launcher.toString()), work, "repair"));
        }
        list.add(new StartupContenders.Guard());
        list.add(new SeqguardRun("seqguard repair", true, 2));
        if (withRecipes) {
            list.add(wiki);
        }
        list.add(new ServerFloor(2));
        if (withRecipes) {
            list.add(new ServerFloor(1));
        }
        return list;
    }

    /** The command line's repair, a new JVM per run; with its own time and the time outside its report apart. */
    static final String CLI_REPAIR = "seqguard CLI repair (java -jar)";
    /** The same through the distribution's launcher (the quick compiler only, the serial collector). */
    static final String CLI_LAUNCHER_REPAIR = "seqguard CLI repair (bin/seqguard)";
    static final String OWN = ": its own time (the report's durationMillis)";
    static final String OUTSIDE = ": outside its report (JVM start, class loading, parsing, output)";
    static final String CLI_OWN = CLI_REPAIR + OWN;
    static final String CLI_OUTSIDE = CLI_REPAIR + OUTSIDE;

    /**
     * What users run, side by side with the recipe and the floor, on the largest database with every sequence behind:
     * the command line as a process, the startup guard, and the API.
     */
    private void whatUsersRun() throws Exception {
        measure(workloads.get("lagging"), userContenders(true, List.of()));
    }

    /** One warm-up round, then the timed rounds; contenders rotate their order from round to round. */
    Map<String, Stats> measure(Workload w, List<Contender> contenders) throws Exception {
        Map<String, Stats> stats = results.computeIfAbsent(w.name, k -> new LinkedHashMap<>());
        for (Contender c : contenders) {
            stats.put(c.name(), new Stats(w.name, c.name()));
        }
        for (int round = 0; round <= runs; round++) {
            for (int i = 0; i < contenders.size(); i++) {
                Contender c = contenders.get((i + round) % contenders.size());
                w.reset();
                long nanos = c.run(w);
                Stats s = stats.get(c.name());
                if (round > 0) {
                    s.add(nanos);
                    if (c instanceof CliRun cli) {
                        stats.computeIfAbsent(c.name() + OWN, k -> new Stats(w.name, k)).add(cli.lastOwnNanos);
                        stats.computeIfAbsent(c.name() + OUTSIDE, k -> new Stats(w.name, k))
                                .add(nanos - cli.lastOwnNanos);
                    }
                }
                s.outcome = c.lastOutcome();
                if (c.mutates() && !(c instanceof SeqguardRun r && r.partial)) {
                    int[] check = w.check();
                    s.stillBehind = check[0];
                    s.movedBackwards = check[1];
                }
            }
            say(w.name + ": " + (round == 0 ? "warm-up round" : "round " + round + "/" + runs) + " done");
        }
        for (Stats s : stats.values()) {
            say(String.format(Locale.ROOT, "  %-32s median %10s ms   (%s)", s.contender, Stats.ms(s.medianMillis()),
                    s.outcome == null ? "" : s.outcome));
        }
        return stats;
    }

    /**
     * The largest database again with {@code synchronous_commit = off} for every session (ALTER DATABASE): commits no
     * longer wait for the WAL flush, which isolates what per-statement commits cost the recipes that make them.
     */
    private void asyncCommits() throws Exception {
        Workload largest = workloads.get(tablesName(sizes[sizes.length - 1]));
        Workload async = largest.renamed(largest.name + ", synchronous_commit off", largest.description
                + "; every session with synchronous_commit = off (ALTER DATABASE ... SET), so no commit waits for "
                + "its WAL flush");
        workloads.put("async", async);
        Workload.execute(pg.dataSource("postgres"), "ALTER DATABASE " + largest.database
                + " SET synchronous_commit = off");
        try {
            measure(async, tableContenders(false));
        } finally {
            Workload.execute(pg.dataSource("postgres"), "ALTER DATABASE " + largest.database
                    + " RESET synchronous_commit");
        }
    }

    /**
     * The largest database again, every contender through {@link LatencyProxy}: a round trip of
     * {@link #ROUND_TRIP} per exchange, as to a database in another availability zone. The naive loop (two round trips
     * a table) is left out: it would add minutes per run and says nothing the wiki recipe does not.
     */
    private void overANetwork() throws Exception {
        Workload largest = workloads.get(tablesName(sizes[sizes.length - 1]));
        try (LatencyProxy proxy = LatencyProxy.start(pg.port(), ROUND_TRIP)) {
            PGSimpleDataSource remote = new PGSimpleDataSource();
            remote.setURL("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + largest.database);
            remote.setUser("postgres");
            Workload w = largest.via(largest.name + ", " + ROUND_TRIP.toMillis() + " ms round trip", largest.description
                    + "; every connection through a proxy that delays each exchange by " + ROUND_TRIP.toMillis()
                    + " ms (half each way)", remote, "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/"
                    + largest.database);
            workloads.put("network", w);
            measure(w, List.of(new SeqguardRun("seqguard verify", false, 2),
                    new SeqguardRun("seqguard repair", true, 2), new SeqguardRun("seqguard repair, jobs 1", true, 1),
                    new WikiRecipe(psql, proxy.port(), work)));
        }
    }

    private void unindexed() throws Exception {
        Workload w = workloads.get("unindexed");
        List<Contender> contenders = tableContenders(false);
        SeqguardRun bigOnly = new SeqguardRun("seqguard repair, schema big only", true, 2, c -> c.schemas("big"));
        bigOnly.partial = true;
        SeqguardRun restOnly = new SeqguardRun("seqguard repair, schema rest only", true, 2,
                c -> c.schemas("rest"));
        restOnly.partial = true;
        SeqguardRun timeout = new SeqguardRun(timeoutName(false), true, 2,
                c -> c.statementTimeout(Duration.ofMillis(bigTimeoutMillis)));
        timeout.mayFail = true;
        SeqguardRun timeoutBig = new SeqguardRun(timeoutName(true), true, 2,
                c -> c.schemas("big").statementTimeout(Duration.ofMillis(bigTimeoutMillis)));
        timeoutBig.partial = true;
        timeoutBig.mayFail = true;
        contenders.add(bigOnly);
        contenders.add(restOnly);
        contenders.add(timeout);
        contenders.add(timeoutBig);
        measure(w, contenders);
        for (SeqguardRun r : List.of(timeout, timeoutBig)) {
            String key = r == timeout ? "unindexed.timeout" : "unindexed.timeoutBig";
            facts.put(key, r.failure != null ? "FAILED: " + r.failure
                    : SeqguardRun.counts(r.lastReport) + "\n" + String.join("\n", SeqguardRun.reasons(r.lastReport)));
        }
    }

    String timeoutName(boolean bigOnly) {
        return "seqguard repair, statementTimeout " + bigTimeoutMillis + " ms" + (bigOnly ? ", schema big only" : "");
    }

    private void startup() throws Exception {
        Workload app = workloads.get("app");
        Path migrations = work.resolve("migrations");
        measure(app, List.of(new StartupContenders.FlywayMigrate(migrations), new StartupContenders.Guard(),
                new SeqguardRun("seqguard verify", false, 2)));
        Stats coldFlyway = new Stats(app.name, "Flyway migrate() (no-op), first call in a new JVM");
        Stats coldGuard = new Stats(app.name, "seqguard StartupGuard.run(), first call in a new JVM");
        for (int i = 0; i < runs; i++) {
            coldFlyway.add(Long.parseLong(child("cold-flyway", pg.jdbcUrl(app.database), migrations.toString())
                    .trim()));
            coldGuard.add(Long.parseLong(child("cold-guard", pg.jdbcUrl(app.database)).trim()));
        }
        results.get(app.name).put(coldFlyway.contender, coldFlyway);
        results.get(app.name).put(coldGuard.contender, coldGuard);
        say(String.format(Locale.ROOT, "cold start: Flyway %s ms, guard %s ms", Stats.ms(coldFlyway.medianMillis()),
                Stats.ms(coldGuard.medianMillis())));
        commandLineStart(app);
    }

    static final String JVM_ALONE = "a JVM alone: java -version, launch to exit";
    static final String CLI_VERSION = "seqguard --version (java -jar), launch to exit";
    static final String FIRST_QUERY_VERIFY = "seqguard verify (java -jar), launch to its first query";
    static final String FIRST_QUERY_REPAIR = "seqguard repair (java -jar), launch to its first query";
    static final String FIRST_QUERY_LAUNCHER = "seqguard verify (bin/seqguard), launch to its first query";

    /**
     * How fast the command line starts, as the database sees it: each run launches {@code java -jar seqguard.jar}
     * with a URL through {@link FirstQueryProbe}, which notes when the first query arrives; beside it a JVM that
     * does nothing and the command line's {@code --version}. Runs interleaved, one warm-up round.
     */
    private void commandLineStart(Workload app) throws Exception {
        Map<String, Stats> stats = results.computeIfAbsent("command-line start", k -> new LinkedHashMap<>());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (FirstQueryProbe probe = FirstQueryProbe.start(pg.port())) {
            String url = "jdbc:postgresql://127.0.0.1:" + probe.port() + "/" + app.database;
            Map<String, List<String>> commands = new LinkedHashMap<>();
            commands.put(JVM_ALONE, List.of(java, "-version"));
            commands.put(CLI_VERSION, List.of(java, "-jar", cliJar.toString(), "--version"));
            commands.put(FIRST_QUERY_VERIFY, List.of(java, "-jar", cliJar.toString(), "verify", "--url", url,
                    "--user", "postgres"));
            commands.put(FIRST_QUERY_REPAIR, List.of(java, "-jar", cliJar.toString(), "repair", "--url", url,
                    "--user", "postgres"));
            commands.put(FIRST_QUERY_LAUNCHER, List.of(launcher.toString(), "verify", "--url", url, "--user",
                    "postgres"));
            for (String name : commands.keySet()) {
                stats.put(name, new Stats("command-line start", name));
            }
            for (int round = 0; round <= runs * 2; round++) {
                for (Map.Entry<String, List<String>> command : commands.entrySet()) {
                    probe.arm();
                    long t0 = System.nanoTime();
                    ProcessBuilder builder = new ProcessBuilder(command.getValue());
                    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
                    Process p = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    int code = p.waitFor();
                    long end = System.nanoTime();
                    if (code != 0) {
                        throw new IllegalStateException(command.getValue() + " exited with " + code);
                    }
                    boolean probed = command.getKey().contains("first query");
                    if (probed && probe.firstQueryNanos() == 0) {
                        throw new IllegalStateException(command.getValue() + " sent no query through the probe");
                    }
                    if (round > 0) {
                        stats.get(command.getKey()).add((probed ? probe.firstQueryNanos() : end) - t0);
                    }
                }
            }
        }
        for (Stats s : stats.values()) {
            say(String.format(Locale.ROOT, "  %-60s median %8s ms", s.contender, Stats.ms(s.medianMillis())));
        }
    }

    /**
     * Schema per tenant, 1,000 schemas of 100 tables, on the first major only: the API, the guard and the command line
     * (with {@code -Xmx256m}) against the floor, then
     * the heap of repair and verify in a 256 MB JVM, and whether a person at a terminal sees the progress (the command
     * line run once with -Xmx256m on a pseudo-terminal by script(1)).
     */
    private void tenants() throws Exception {
        // once, on the first major: building and measuring it takes most of a run's time
        if (tenantSchemas == 0 || !current.extras) {
            return;
        }
        long t0 = System.nanoTime();
        Workload w = new Workloads(pg).tenants(tenantsName(), "bench_tenants", tenantSchemas, TABLES_PER_TENANT);
        workloads.put("tenants", w);
        facts.put("tenants.build", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - t0) / 1e9));
        say(String.format(Locale.ROOT, "built %s in %.1f s", w, (System.nanoTime() - t0) / 1e9));
        Workload.execute(pg.dataSource("postgres"), "CHECKPOINT");
        // the command line under the heap cap the target names: a 256 MB JVM must do 100,000 tables
        measure(w, userContenders(false, List.of("-Xmx256m")));
        w.reset();
        try {
            String line = child("heap", pg.jdbcUrl(w.database), "2");
            facts.put("heap." + w.name, line.trim() + " " + w.rows);
            say("heap probe " + w.name + ": " + line.trim());
        } catch (IllegalStateException e) {
            // a result, not a broken harness: repair() and verify() of 100,000 tables held in 256 MB did not fit
            String why = e.getMessage().contains("OutOfMemoryError") ? "OutOfMemoryError" : e.getMessage();
            facts.put("heapFailure." + w.name, why.length() > 300 ? why.substring(0, 300) : why);
            say("heap probe " + w.name + " failed: " + facts.get("heapFailure." + w.name));
        }
        progressProbe(w);
    }

    /**
     * The command line's repair once on a pseudo-terminal ({@code script -qfc}), its report redirected to a file as
     * a runbook does: counts how often the progress bar was drawn on standard error, and how long the run took.
     */
    private void progressProbe(Workload w) throws Exception {
        Path script = Path.of("/usr/bin/script");
        if (!Files.isExecutable(script)) {
            facts.put("progress", "not probed: no /usr/bin/script on this machine");
            return;
        }
        w.reset();
        Path typescript = work.resolve("progress.typescript");
        Path report = work.resolve("progress-report.txt");
        String command = Path.of(System.getProperty("java.home"), "bin", "java") + " -Xmx256m -jar " + cliJar
                + " repair --url " + w.jdbcUrl + " --user postgres > " + report;
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(script.toString(), "-qfc", command, typescript.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String drawn = Files.readString(typescript, StandardCharsets.ISO_8859_1);
        int redraws = 0;
        String lastBar = "";
        for (String piece : drawn.split("\r")) {
            if (piece.contains("] ") && piece.contains("/")) {
                redraws++;
                lastBar = piece.strip();
            }
        }
        String first = Files.readAllLines(report, StandardCharsets.UTF_8).stream().findFirst().orElse("");
        facts.put("progress", String.format(Locale.ROOT, "exit %d after %.1f s; the bar was drawn %d times on "
                + "standard error (a pseudo-terminal), the report went to a file; last bar: `%s`; report: `%s`",
                code, seconds, redraws, lastBar, first));
        say("progress probe: " + facts.get("progress"));
    }

    /** Heap of repair + verify in a JVM limited to 256 MB, at each size and beside the 10M-row table. */
    private void heapProbes() throws Exception {
        List<String> names = new ArrayList<>();
        for (int n : sizes) {
            names.add(tablesName(n));
        }
        names.add("unindexed");
        for (String name : names) {
            Workload w = workloads.get(name);
            if (w == null) {
                continue;
            }
            w.reset();
            String line = child("heap", pg.jdbcUrl(w.database), "2");
            facts.put("heap." + w.name, line.trim() + " " + w.rows);
            say("heap probe " + w.name + ": " + line.trim());
        }
    }

    /**
     * Where the time of a repair and a verify goes, statement by statement, at 1,000 and the largest size: one
     * warm-up run, then three, and the run with the median wall-clock time is reported.
     */
    private void phases() throws Exception {
        java.util.Set<Integer> done = new java.util.TreeSet<>();
        for (int n : new int[] {1000, sizes[sizes.length - 1]}) {
            if (!done.add(n)) {
                continue;
            }
            Workload w = workloads.get(tablesName(n));
            for (boolean repair : new boolean[] {false, true}) {
                List<long[]> walls = new ArrayList<>();
                List<String> texts = new ArrayList<>();
                for (int run = 0; run <= 3; run++) {
                    TimingDataSource timing = new TimingDataSource(w.dataSource);
                    w.reset();
                    long t0 = System.nanoTime();
                    SequenceAligner aligner = SequenceAligner.configure().dataSource(timing).jobs(2).load();
                    if (repair) {
                        aligner.repair();
                    } else {
                        aligner.verify();
                    }
                    long wall = System.nanoTime() - t0;
                    if (run == 0) {
                        continue;
                    }
                    StringBuilder text = new StringBuilder();
                    text.append(wall).append('\n');
                    for (Map.Entry<String, TimingDataSource.Tally> e : timing.sorted().entrySet()) {
                        text.append(e.getKey()).append('\t').append(e.getValue().calls.sum()).append('\t')
                                .append(e.getValue().statements.sum()).append('\t')
                                .append(e.getValue().nanos.sum()).append('\n');
                    }
                    walls.add(new long[] {wall, texts.size()});
                    texts.add(text.toString());
                }
                walls.sort((a, b) -> Long.compare(a[0], b[0]));
                facts.put("phases." + (repair ? "repair" : "verify") + "." + w.name,
                        texts.get((int) walls.get(walls.size() / 2)[1]));
            }
            say("phase breakdown " + w.name + " done");
        }
    }

    /** Whether a verify of the largest database survives the short statement timeout used for the unindexed table. */
    private void shortTimeoutProbe() throws Exception {
        Workload w = workloads.get(tablesName(sizes[sizes.length - 1]));
        SeqguardRun probe = new SeqguardRun("verify, statementTimeout " + bigTimeoutMillis + " ms", false, 2,
                c -> c.statementTimeout(Duration.ofMillis(bigTimeoutMillis)));
        probe.mayFail = true;
        w.reset();
        long nanos = probe.run(w);
        facts.put("shortTimeoutProbe", w.name + ": verify with statementTimeout " + bigTimeoutMillis + " ms "
                + (probe.failure != null ? "failed after " + Stats.ms(nanos / 1e6) + " ms: " + probe.failure
                        : "succeeded in " + Stats.ms(nanos / 1e6) + " ms: " + SeqguardRun.counts(probe.lastReport)));
        say(facts.get("shortTimeoutProbe"));
    }

    /**
     * What reading every sequence's state costs with {@code pg_get_sequence_data()} (PostgreSQL 18), one statement
     * per 1,000 sequences on a fresh connection: the alternative to seqguard's state reads.
     */
    private void stateDiagnostic() throws Exception {
        Workload w = workloads.get(tablesName(sizes[sizes.length - 1]));
        if (pg.majorVersion() < 18) {
            return;
        }
        Stats s = new Stats(w.name, "diagnostic: every sequence's state via pg_get_sequence_data()");
        for (int run = 0; run <= runs; run++) {
            w.reset();
            long t0 = System.nanoTime();
            int read = 0;
            try (Connection c = w.dataSource.getConnection()) {
                c.setAutoCommit(false);
                List<Long> oids = new ArrayList<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT seqrelid::bigint FROM pg_sequence")) {
                    while (rs.next()) {
                        oids.add(rs.getLong(1));
                    }
                }
                c.commit();
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT o, d.last_value, d.is_called "
                        + "FROM unnest(?::oid[]) AS o, pg_get_sequence_data(o::regclass) AS d")) {
                    for (int from = 0; from < oids.size(); from += 1000) {
                        ps.setArray(1, c.createArrayOf("bigint",
                                oids.subList(from, Math.min(oids.size(), from + 1000)).toArray()));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                read++;
                            }
                        }
                        c.commit();
                    }
                }
            }
            if (run > 0) {
                s.add(System.nanoTime() - t0);
            }
            s.outcome = read + " sequences read";
        }
        results.get(w.name).put(s.contender, s);
        say("state diagnostic: " + Stats.ms(s.medianMillis()) + " ms");
    }

    /** Starts {@link ChildMain} in a new JVM with -Xmx256m and returns what follows RESULT. */
    private String child(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", childClasspath, ChildMain.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                if (code != 0) {
                    break;
                }
                return line.substring(7);
            }
        }
        throw new IllegalStateException("child JVM " + command + " exited with " + code + ":\n" + output);
    }

    /**
     * Copies the project's own classpath entries (the module jars and class directories, which a concurrent build of
     * the same tree may rebuild at any moment) so every child JVM runs the code this run started with.
     */
    private static String snapshotClasspath(Path work) throws IOException {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2").toAbsolutePath();
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry).toAbsolutePath();
            if (source.startsWith(m2) || !Files.exists(source)) {
                entries.add(entry);
                continue;
            }
            Path target = work.resolve("classpath").resolve(i++ + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                try (var walk = Files.walk(source)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t);
                        }
                    }
                }
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(source, target);
            }
            entries.add(target.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private void machineFacts() throws Exception {
        String cpu = "unknown";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    machine.put("memory", String.format(Locale.ROOT, "%.1f GiB", kb / 1048576.0));
                }
            }
        } catch (IOException e) {
            // not Linux: leave unknown
        }
        machine.put("cpu", cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores available to the JVM");
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")");
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", harness heap -Xmx" + (Runtime.getRuntime().maxMemory() / 1048576) + "m; the command line runs "
                + "in a JVM of its own with the JVM's defaults (-Xmx256m at 100,000 tables)");
        Process p = new ProcessBuilder(psql, "--version").redirectErrorStream(true).start();
        machine.put("psql", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        p.waitFor();
        Properties versions = new Properties();
        try (InputStream in = BenchMain.class.getResourceAsStream("/bench.properties")) {
            versions.load(in);
        }
        String commit = setting("bench.commit", "");
        machine.put("seqguard", versions.getProperty("seqguard.version") + (commit.isEmpty() ? "" : " " + commit));
        machine.put("flyway", versions.getProperty("flyway.version"));
        machine.put("pgjdbc", versions.getProperty("pgjdbc.version"));
        machine.put("mode", (quick ? "quick" : "full") + ", " + runs + " timed runs after 1 warm-up run; majors "
                + String.join(", ", majors)
                + (only.size() == PARTS.size() ? "" : "; parts " + String.join(", ", only)));
    }

    /** The server of the current major: its version and the settings that matter to the numbers. */
    private void serverFacts() throws Exception {
        try (Connection c = pg.dataSource("postgres").getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version(), current_setting('max_connections'), "
                        + "current_setting('max_locks_per_transaction'), current_setting('shared_buffers'), "
                        + "current_setting('max_parallel_workers_per_gather'), current_setting('fsync'), "
                        + "current_setting('synchronous_commit'), current_setting('full_page_writes'), "
                        + "current_setting('autovacuum')")) {
            rs.next();
            facts.put("postgresql", rs.getString(1) + " (embedded binaries " + pg.binariesVersion() + ")");
            facts.put("server settings", "max_connections " + rs.getString(2) + ", max_locks_per_transaction "
                    + rs.getString(3) + " (defaults), shared_buffers " + rs.getString(4)
                    + ", max_parallel_workers_per_gather " + rs.getString(5)
                    + ", fsync " + rs.getString(6) + ", synchronous_commit " + rs.getString(7) + ", full_page_writes "
                    + rs.getString(8) + ", autovacuum " + rs.getString(9)
                    + ", max_wal_size 16GB and checkpoint_timeout 1d (one CHECKPOINT after building, none during the "
                    + "runs)");
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    // accessors for ResultsWriter
    List<MajorRun> majorRuns() {
        return done;
    }

    Map<String, String> machine() {
        return machine;
    }

    int[] sizes() {
        return sizes;
    }

    boolean quick() {
        return quick;
    }

    int runs() {
        return runs;
    }

    long bigTimeoutMillis() {
        return bigTimeoutMillis;
    }
}
