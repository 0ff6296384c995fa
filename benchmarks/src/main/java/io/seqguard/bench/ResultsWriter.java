package io.seqguard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the results of a {@link BenchMain} run as markdown. */
final class ResultsWriter {

    private final BenchMain bench;
    private final StringBuilder md = new StringBuilder();
    /** The major whose sections are being written. */
    private MajorRun run;

    ResultsWriter(BenchMain bench) {
        this.bench = bench;
    }

    private Stats stats(String workload, String contender) {
        return run.stats(workload, contender);
    }

    private double median(String workload, String contender) {
        return run.median(workload, contender);
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "–" : Stats.ms(millis);
    }

    private static String x(double ratio) {
        return Double.isNaN(ratio) ? "–" : Stats.ratio(ratio);
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object cell : cells) {
            b.append(' ').append(cell).append(" |");
        }
        line(b.toString());
    }

    /** A header whose first {@code textColumns} columns are text (left-aligned), the rest numbers. */
    private void header(int textColumns, String... cells) {
        row((Object[]) cells);
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            b.append(i < textColumns ? " --- |" : " ---: |");
        }
        line(b.toString());
    }

    private void header(String... cells) {
        header(1, cells);
    }

    String markdown() {
        Map<String, String> m = bench.machine();
        line("# seqguard benchmark results");
        line("");
        line("Written by the benchmark itself (`mvn -B -pl benchmarks -am -DskipTests -Pbench verify`"
                + (bench.quick() ? " `-Dbench.quick=true`" : "") + "); see [README.md](README.md) for what each "
                + "column measures. Times are **medians of " + bench.runs() + " timed runs** (after one warm-up "
                + "run) in milliseconds, every contender on the same database, contenders interleaved, every "
                + "sequence reset to the same state before every run. Every major runs on its own embedded server, "
                + "one after the other.");
        line("");
        header(2, "", "");
        for (String key : List.of("date (UTC)", "mode", "cpu", "memory", "os", "java", "psql", "seqguard", "flyway",
                "pgjdbc", "load average at start", "load average at end")) {
            row(key, m.getOrDefault(key, "unknown"));
        }
        for (MajorRun r : bench.majorRuns()) {
            row("PostgreSQL " + r.major, r.facts.getOrDefault("postgresql", "unknown") + "; "
                    + r.facts.getOrDefault("server settings", "") + "; load average (1, 5, 15 min) at its start "
                    + r.facts.getOrDefault("load average at start", "?") + ", at its end "
                    + r.facts.getOrDefault("load average at end", "?"));
        }
        line("");
        usersTargets();
        for (MajorRun r : bench.majorRuns()) {
            run = r;
            major();
        }
        return md.toString();
    }

    /** The targets of what users run, every major side by side. */
    private void usersTargets() {
        line("## What users run: the command line and the guard, on every major");
        line("");
        line("The largest table-count database with **every sequence behind** (as a copy leaves it), and the "
                + "schema-per-tenant database. *End to end*: `java -jar seqguard.jar repair ... --format json > file`, "
                + "launch to exit, a new JVM per run. *Its own time*: the run's duration as its report gives it "
                + "(`durationMillis`, first connection to report). *Outside*: the rest (JVM start, class loading, "
                + "command-line parsing, writing the report). Floor: the server-side work alone (a `max()` and a "
                + "`setval()` per table) on 2 backends.");
        line("");
        header(2, "target", "PostgreSQL", "measured", "met?");
        for (MajorRun r : bench.majorRuns()) {
            run = r;
            String lagging = bench.laggingName();
            double cli = median(lagging, BenchMain.CLI_REPAIR);
            double own = median(lagging, BenchMain.CLI_OWN);
            double outside = median(lagging, BenchMain.CLI_OUTSIDE);
            double wikiMs = median(lagging, "wiki recipe (psql)");
            double floor = median(lagging, "floor, 2 backends");
            double guard = median(lagging, "seqguard StartupGuard.run()");
            double api = median(lagging, "seqguard repair");
            row("CLI repair of " + lagging + " ≥ 3× faster than the wiki recipe, end to end", r.major,
                    "wiki " + ms(wikiMs) + " ms ÷ CLI " + ms(cli) + " ms (its own " + ms(own) + " + outside "
                            + ms(outside) + ") = **" + x(wikiMs / cli) + "**", yes(wikiMs / cli >= 3));
            double launcher = median(lagging, BenchMain.CLI_LAUNCHER_REPAIR);
            double launcherOwn = median(lagging, BenchMain.CLI_LAUNCHER_REPAIR + BenchMain.OWN);
            row("the same through the distribution's bin/seqguard (quick compiler, serial collector)", r.major,
                    "wiki " + ms(wikiMs) + " ms ÷ bin/seqguard " + ms(launcher) + " ms (its own " + ms(launcherOwn)
                            + ") = **" + x(wikiMs / launcher) + "**", yes(wikiMs / launcher >= 3));
            row("seqguard's own time ≤ 1.3× the server-side floor", r.major, "CLI's own " + ms(own) + " ms ÷ floor "
                    + ms(floor) + " ms = **" + x(own / floor) + "** (bin/seqguard " + x(launcherOwn / floor)
                    + "); guard " + ms(guard) + " ms = " + x(guard / floor) + ", API repair " + ms(api) + " ms = "
                    + x(api / floor), yes(own / floor <= 1.3));
            double verifyStart = median("command-line start", BenchMain.FIRST_QUERY_VERIFY);
            double repairStart = median("command-line start", BenchMain.FIRST_QUERY_REPAIR);
            row("the CLI starts fast: under 300 ms from launch to its first query", r.major, "verify **"
                    + ms(verifyStart) + " ms**, repair **" + ms(repairStart) + " ms**, bin/seqguard verify "
                    + ms(median("command-line start", BenchMain.FIRST_QUERY_LAUNCHER)) + " ms (a JVM alone: "
                    + ms(median("command-line start", BenchMain.JVM_ALONE)) + " ms to exit; `--version`: "
                    + ms(median("command-line start", BenchMain.CLI_VERSION)) + " ms)",
                    yes(verifyStart < 300 && repairStart < 300));
            Workload tenants = r.workloads.get("tenants");
            if (tenants == null) {
                continue;
            }
            String t = tenants.name;
            List<String> scaled = new ArrayList<>();
            boolean within = true;
            for (String c : List.of(BenchMain.CLI_REPAIR, BenchMain.CLI_OWN, "seqguard StartupGuard.run()",
                    "seqguard repair", "floor, 2 backends")) {
                double ratio = median(t, c) / median(lagging, c);
                within &= c.equals("floor, 2 backends") || ratio <= 11;
                scaled.add(c + " " + ms(median(t, c)) + " ms = **" + x(ratio) + "**");
            }
            row("100,000 tables (1,000 schemas × 100) at most 11× the 10,000-table time", r.major,
                    String.join("; ", scaled), yes(within));
            String[] heap = heap("tenants");
            String heapFailure = r.facts.get("heapFailure." + t);
            row("heap under 256 MB at 100,000 tables", r.major, (heap == null ? heapFailure == null ? "–"
                    : "API repair + verify holding both reports in a JVM with -Xmx256m: **" + heapFailure + "**"
                    : "API repair + verify completed in a JVM with -Xmx256m (the heap pools' peaks add up to "
                    + heap[0] + " MB, an upper bound: each pool peaks at its own moment), " + heap[1]
                    + " MB live holding the reports") + "; the CLI's repair with -Xmx256m: every timed run completed; "
                    + "on a terminal: " + r.facts.getOrDefault("progress", "not run").split(";")[0],
                    // the cap is the proof: a JVM with -Xmx256m that completes used at most 256 MB of heap
                    yes(heap != null && r.facts.getOrDefault("progress", "").startsWith("exit 0")));
            row("no lock-table failure at 100,000 tables", r.major, "every run completed on "
                    + "max_locks_per_transaction 64, max_connections 100", "yes");
            row("progress shown at 100,000 tables", r.major, r.facts.getOrDefault("progress", "–"),
                    yes(r.facts.getOrDefault("progress", "").contains("drawn") && !r.facts.get("progress")
                            .contains("drawn 0 times")));
        }
        line("");
        for (MajorRun r : bench.majorRuns()) {
            run = r;
            usersTable(bench.laggingName());
            Workload tenants = r.workloads.get("tenants");
            if (tenants != null) {
                usersTable(tenants.name);
            }
        }
        line("Command-line start (launch to exit, or to the first query the database sees through a probing proxy; "
                + "median ms):");
        line("");
        List<String> columns = new ArrayList<>(List.of(""));
        for (MajorRun r : bench.majorRuns()) {
            columns.add("PostgreSQL " + r.major);
        }
        header(columns.toArray(new String[0]));
        for (String c : List.of(BenchMain.JVM_ALONE, BenchMain.CLI_VERSION, BenchMain.FIRST_QUERY_VERIFY,
                BenchMain.FIRST_QUERY_REPAIR, BenchMain.FIRST_QUERY_LAUNCHER)) {
            List<Object> cells = new ArrayList<>();
            cells.add(c);
            for (MajorRun r : bench.majorRuns()) {
                cells.add(ms(r.median("command-line start", c)));
            }
            row(cells.toArray());
        }
        line("");
    }

    /** One database of what users run: every contender's median, and the ratios to the floor and the recipe. */
    private void usersTable(String workload) {
        Map<String, Stats> byContender = run.results.get(workload);
        if (byContender == null) {
            return;
        }
        double floor = median(workload, "floor, 2 backends");
        double wikiMs = median(workload, "wiki recipe (psql)");
        line("**PostgreSQL " + run.major + ", " + workload + "**");
        line("");
        header(1, "contender", "median ms", "÷ floor, 2 backends", "wiki ÷ this", "outcome");
        for (Stats s : byContender.values()) {
            row(s.contender, ms(s.medianMillis()), x(s.medianMillis() / floor), x(wikiMs / s.medianMillis()),
                    s.outcome == null ? "" : s.outcome);
        }
        line("");
    }

    /** The sections of one major. */
    private void major() {
        Map<String, String> f = run.facts;
        int largest = bench.sizes()[bench.sizes().length - 1];
        String big = BenchMain.tablesName(largest);
        String thousand = BenchMain.tablesName(1000);
        String hundred = BenchMain.tablesName(100);
        line("## PostgreSQL " + run.major);
        line("");
        line(f.getOrDefault("postgresql", "") + ".");
        line("");

        // ---------------------------------------------------------------------------------------------- targets
        line("### Targets");
        line("");
        header(3, "target", "measured", "met?");
        double wikiRatio = median(big, "wiki recipe (psql)") / median(big, "seqguard repair");
        double floorRatio = median(big, "seqguard repair") / median(big, "floor, 2 backends");
        boolean full = largest == 10000;
        row("API repair of 10,000 tables (half behind) ≥ 3× faster than the wiki recipe",
                "wiki " + ms(median(big, "wiki recipe (psql)")) + " ms ÷ seqguard repair "
                        + ms(median(big, "seqguard repair")) + " ms = **" + x(wikiRatio) + "**"
                        + (full ? "" : " (at " + big + ", quick mode)"),
                full ? yes(wikiRatio >= 3) : "not measured");
        row("seqguard ÷ server-side floor (2 backends) at 10,000 tables, aim ≤ 1.3",
                ms(median(big, "seqguard repair")) + " ms ÷ " + ms(median(big, "floor, 2 backends")) + " ms = **"
                        + x(floorRatio) + "**",
                full ? yes(floorRatio <= 1.3) : "not measured");
        Workload asyncW = run.workloads.get("async");
        if (asyncW != null) {
            String a = asyncW.name;
            row("the same two, with synchronous_commit off (no commit waits for a WAL flush)",
                    "wiki " + ms(median(a, "wiki recipe (psql)")) + " ms ÷ seqguard repair "
                            + ms(median(a, "seqguard repair")) + " ms = **"
                            + x(median(a, "wiki recipe (psql)") / median(a, "seqguard repair")) + "**; seqguard ÷ "
                            + "floor = **" + x(median(a, "seqguard repair") / median(a, "floor, 2 backends")) + "**",
                    full ? yes(median(a, "wiki recipe (psql)") / median(a, "seqguard repair") >= 3) + " / "
                            + yes(median(a, "seqguard repair") / median(a, "floor, 2 backends") <= 1.3)
                            : "not measured");
        }
        String app = "200-table application";
        double guardWarm = median(app, "seqguard StartupGuard.run()");
        double flywayWarm = median(app, "Flyway migrate() (no-op)");
        double guardCold = median(app, "seqguard StartupGuard.run(), first call in a new JVM");
        double flywayCold = median(app, "Flyway migrate() (no-op), first call in a new JVM");
        row("200-table application: the guard adds less start-up time than Flyway's no-op migrate",
                "warm: guard " + ms(guardWarm) + " ms vs Flyway " + ms(flywayWarm) + " ms; first call in a new JVM: "
                        + "guard " + ms(guardCold) + " ms vs Flyway " + ms(flywayCold) + " ms",
                yes(guardWarm < flywayWarm && guardCold < flywayCold)
                        + (guardWarm < flywayWarm != guardCold < flywayCold ? " (only one of the two)" : ""));
        double s1 = median(thousand, "seqguard repair") / median(hundred, "seqguard repair");
        double s2 = full ? median(big, "seqguard repair") / median(thousand, "seqguard repair") : Double.NaN;
        double v2 = full ? median(big, "seqguard verify") / median(thousand, "seqguard verify") : Double.NaN;
        row("near-linear: 10× the tables costs at most 11× the time",
                "repair 100→1,000: " + x(s1) + (full ? "; repair 1,000→10,000: **" + x(s2) + "**; verify "
                        + "1,000→10,000: " + x(v2) : ""),
                full ? yes(s1 <= 11 && s2 <= 11 && v2 <= 11) : yes(s1 <= 11) + " (100→1,000 only)");
        row("no failure from the lock table", "every run at every size completed on max_locks_per_transaction 64, "
                + "max_connections 100 (PostgreSQL's defaults)", "yes");
        String[] heap = heap(big);
        String[] heap1000 = heap(thousand);
        String[] heapBig = heap("unindexed");
        row("heap under 256 MB at " + big, heap == null ? "–" : "repair + verify ran in a JVM with -Xmx256m; peak "
                + "heap used ≤ " + heap[0] + " MB (sum of pool peaks), " + heap[1] + " MB live after GC holding the "
                + "report", heap == null ? "no" : (full ? "yes" : "not measured at 10,000"));
        if (heapBig != null) {
            row("memory independent of row counts", heap1000 == null ? "–"
                : "live heap after repair + verify: " + heap1000[1] + " MB at 1,000 tables / "
                        + String.format(Locale.ROOT, "%,d", Long.parseLong(heap1000[5])) + " rows vs "
                        + heapBig[1] + " MB at 1,001 tables / "
                        + String.format(Locale.ROOT, "%,d", Long.parseLong(heapBig[5])) + " rows",
                "see Memory");
        }
        double j1 = median(big, "seqguard repair, jobs 1");
        double j2 = median(big, "seqguard repair");
        double j4 = median(big, "seqguard repair, jobs 4");
        row("parallel workers configurable; speed-up against one worker", "jobs 2: " + x(j1 / j2) + ", jobs 4: "
                + x(j1 / j4) + " (at " + big + ", 2 cores)", "reported");
        String un = "unindexed";
        Workload uw = run.workloads.get(un);
        String unName = uw == null ? null : uw.name;
        if (uw != null) {
            unindexedTargets(f, unName);
        }
        line("");
        sideBySide(big, unName);
    }

    private void unindexedTargets(Map<String, String> f, String unName) {
        double all = median(unName, "seqguard repair");
        double bigOnly = median(unName, "seqguard repair, schema big only");
        double restOnly = median(unName, "seqguard repair, schema rest only");
        double bounded = median(unName, bench.timeoutName(false));
        double boundedBig = median(unName, bench.timeoutName(true));
        String whole = f.getOrDefault("unindexed.timeout", "").split("\n")[0];
        String alone = f.getOrDefault("unindexed.timeoutBig", "").split("\n")[0];
        row("unindexed table: bounded by the statement timeout, reported with the column",
                "statementTimeout " + bench.bigTimeoutMillis() + " ms, big table alone: " + ms(boundedBig)
                        + " ms, `" + alone + "`; whole database: " + ms(bounded) + " ms, `" + whole
                        + "` (reasons below)", whole.startsWith("FAILED") || alone.startsWith("FAILED")
                        ? "**partly**" : "see below");
        row("unindexed table: run in parallel with the rest, not serialized",
                "whole database " + ms(all) + " ms vs big table alone " + ms(bigOnly) + " ms + the other "
                        + "1,000 tables alone " + ms(restOnly) + " ms = " + ms(bigOnly + restOnly) + " ms",
                yes(all < bigOnly + restOnly) + String.format(Locale.ROOT, " (%.0f %% of the serial sum)",
                        100 * all / (bigOnly + restOnly)));
    }

    private void sideBySide(String big, String unName) {
        Map<String, String> f = run.facts;
        int largest = bench.sizes()[bench.sizes().length - 1];
        String thousand = BenchMain.tablesName(1000);
        String hundred = BenchMain.tablesName(100);
        boolean full = largest == 10000;
        String app = "200-table application";
        Workload uw = run.workloads.get("unindexed");
        double j1 = median(big, "seqguard repair, jobs 1");
        double j2 = median(big, "seqguard repair");
        double j4 = median(big, "seqguard repair, jobs 4");
        // ---------------------------------------------------------------------------------------- side by side
        line("### Side by side (median ms)");
        line("");
        line("Each row is one database. Ratios: `wiki ÷ repair` and `naive ÷ repair` are how many times faster "
                + "seqguard's repair is; `repair ÷ floor` is how close it is to the server-side work alone "
                + "(1.00 = nothing but the server's work).");
        line("");
        header("workload", "seqguard verify", "seqguard repair", "repair, jobs 1", "wiki recipe (psql)",
                "naive JDBC loop", "floor, 2 backends", "floor, 1 backend", "wiki ÷ repair", "naive ÷ repair",
                "repair ÷ floor");
        List<String> rows = new ArrayList<>();
        for (int n : bench.sizes()) {
            rows.add(BenchMain.tablesName(n));
        }
        Workload async = run.workloads.get("async");
        if (async != null) {
            rows.add(async.name);
        }
        Workload network = run.workloads.get("network");
        if (network != null) {
            rows.add(network.name);
        }
        rows.add("shared sequence");
        if (unName != null) {
            rows.add(unName);
        }
        for (String w : rows) {
            double repair = median(w, "seqguard repair");
            row(w, ms(median(w, "seqguard verify")), ms(repair), ms(median(w, "seqguard repair, jobs 1")),
                    ms(median(w, "wiki recipe (psql)")), ms(median(w, "naive JDBC loop")),
                    ms(median(w, "floor, 2 backends")), ms(median(w, "floor, 1 backend")),
                    x(median(w, "wiki recipe (psql)") / repair), x(median(w, "naive JDBC loop") / repair),
                    x(repair / median(w, "floor, 2 backends")));
        }
        line("");
        line("Workloads:");
        line("");
        for (Workload w : run.workloads.values()) {
            line(String.format(Locale.ROOT, "* **%s** (database `%s`, %,d sequences, %,d behind before each run, "
                    + "%,d rows): %s", w.name, w.database, w.sequenceCount(), w.behindAfterReset(), w.rows,
                    w.description));
        }
        line("");
        WikiRecipe wiki = run.wiki;
        if (!wiki.steps.isEmpty()) {
            line("The wiki recipe's two steps (median ms): ");
            line("");
            header("workload", "generate (psql -Atq -f reset.sql -o temp)", "execute (psql -f temp)");
            for (Map.Entry<String, List<long[]>> e : wiki.steps.entrySet()) {
                List<long[]> timed = e.getValue().subList(1, e.getValue().size());
                List<Long> gen = new ArrayList<>();
                List<Long> exec = new ArrayList<>();
                for (long[] t : timed) {
                    gen.add(t[0]);
                    exec.add(t[1]);
                }
                row(e.getKey(), ms(Stats.median(gen) / 1e6), ms(Stats.median(exec) / 1e6));
            }
            line("");
        }

        // ----------------------------------------------------------------------------------------- correctness
        line("### What each run left behind");
        line("");
        line("Checked after every run against the known data; the table shows the last run. *Still behind*: "
                + "sequences whose next value would collide with existing rows. *Moved backwards*: sequences that "
                + "were ahead of their data (called, 10 above the maximum) and were set lower.");
        line("");
        header(2, "workload", "contender", "still behind", "moved backwards", "contender's own account");
        for (Map.Entry<String, Map<String, Stats>> e : run.results.entrySet()) {
            for (Stats s : e.getValue().values()) {
                if (s.stillBehind >= 0) {
                    row(e.getKey(), s.contender, s.stillBehind, s.movedBackwards, s.outcome == null ? "" : s.outcome);
                }
            }
        }
        line("");

        // ------------------------------------------------------------------------------------------- scaling
        line("### Scaling");
        line("");
        header("contender", "100 → 1,000 tables", "1,000 → 10,000 tables");
        for (String c : List.of("seqguard verify", "seqguard repair", "seqguard repair, jobs 1",
                "wiki recipe (psql)", "naive JDBC loop", "floor, 2 backends", "floor, 1 backend")) {
            row(c, x(median(thousand, c) / median(hundred, c)),
                    full ? x(median(big, c) / median(thousand, c)) : "–");
        }
        line("");
        line("At 100 tables fixed costs (connections, catalog queries, psql start-up) dominate, so the first "
                + "step grows by far less than 10×.");
        line("");

        // ---------------------------------------------------------------------------------------------- jobs
        line("### Parallel workers (`jobs`) at " + big);
        line("");
        header("jobs", "seqguard repair (median ms)", "speed-up vs 1");
        row("1", ms(j1), "1.00×");
        row("2 (default)", ms(j2), x(j1 / j2));
        row("4", ms(j4), x(j1 / j4));
        line("");
        line("This machine has " + Runtime.getRuntime().availableProcessors() + " cores shared by the JVM and "
                + "the server; jobs beyond the core count cannot help here.");
        line("");

        // ------------------------------------------------------------------------------------------- network
        if (network != null) {
            String local = BenchMain.tablesName(bench.sizes()[bench.sizes().length - 1]);
            line("### Over a network (" + BenchMain.ROUND_TRIP.toMillis() + " ms round trip)");
            line("");
            line("The " + local + " again, every connection through a proxy in the harness that holds each chunk of "
                    + "bytes for half the round trip in each direction (this kernel has no netem), as a database in "
                    + "another availability zone. A recipe that sends one statement at a time pays the round trip per "
                    + "statement; seqguard sends each chunk of statements in one.");
            line("");
            header("contender", "local (median ms)", "over the network (median ms)", "added by the network");
            for (String c : List.of("seqguard verify", "seqguard repair", "seqguard repair, jobs 1",
                    "wiki recipe (psql)")) {
                double here = median(local, c);
                double there = median(network.name, c);
                row(c, ms(here), ms(there), ms(there - here));
            }
            line("");
            double perStatement = (median(network.name, "wiki recipe (psql)") - median(local, "wiki recipe (psql)"))
                    / network.sequenceCount();
            line("wiki recipe ÷ seqguard repair: " + x(median(local, "wiki recipe (psql)")
                    / median(local, "seqguard repair")) + " locally, " + x(median(network.name, "wiki recipe (psql)")
                    / median(network.name, "seqguard repair")) + " over the network. Each of the recipe's "
                    + String.format(Locale.ROOT, "%,d", network.sequenceCount()) + " setval statements paid "
                    + ms(perStatement) + " ms more: the round trip and the proxy's own handling of it.");
            line("");
        }

        if (uw != null) {
            unindexedSection(f, uw, unName);
        }

        // ------------------------------------------------------------------------------------------- start-up
        // the part "start" builds the application; a run of other parts has none
        if (run.workloads.get("app") != null) {
            line("### Start-up on a 200-table application");
            line("");
            line(run.workloads.get("app").description + ".");
            line("");
            header(1, "what runs at boot", "median ms", "outcome");
            for (Stats s : run.results.get(app).values()) {
                row(s.contender, ms(s.medianMillis()), s.outcome == null ? "" : s.outcome);
            }
            line("");
            line("*Warm*: in the harness JVM after a warm-up call. *First call in a new JVM*: a fresh `java -Xmx256m` "
                    + "process per run, timing its first call (class loading included), as at a real boot. Both use an "
                    + "unpooled data source, so every connection is a new backend.");
            line("");
        }

        // ------------------------------------------------------------------------------------------- memory
        line("### Memory");
        line("");
        line("`repair()` then `verify()` in a separate JVM started with `-Xmx256m` (it would fail with "
                + "OutOfMemoryError otherwise).");
        line("");
        header(1, "database", "sequences", "rows", "peak heap used (MB, upper bound)", "live after GC (MB)", "result");
        for (String name : List.of(hundred, thousand, big, "unindexed", "tenants")) {
            String[] h = heap(name);
            if (h != null) {
                row(run.workloads.get(name).name, h[3], String.format(Locale.ROOT, "%,d", Long.parseLong(h[5])),
                        h[0], h[1], h[4].replace('_', ' ').replace("|", "; verify aligned: "));
            }
        }
        line("");

        // ------------------------------------------------------------------------------------------- phases
        line("### Where seqguard's time goes");
        line("");
        line("One `verify()` and one `repair()` (jobs 2) through a data source that times every JDBC call by what "
                + "its SQL does. Times are summed over all connections, so the parallel `max()` reads add up to "
                + "more than their share of the wall clock.");
        line("");
        for (String key : f.keySet()) {
            if (!key.startsWith("phases.")) {
                continue;
            }
            String[] lines = f.get(key).split("\n");
            String[] parts = key.split("\\.", 3);
            line("**" + parts[1] + "(), " + parts[2] + "**: wall clock " + ms(Long.parseLong(lines[0]) / 1e6)
                    + " ms");
            line("");
            header("category", "JDBC calls", "≈ statements", "ms (summed over connections)");
            for (int i = 1; i < lines.length; i++) {
                String[] c = lines[i].split("\t");
                row(c[0], c[1], c[2], ms(Long.parseLong(c[3]) / 1e6));
            }
            line("");
        }

        Stats diag = stats(big, "diagnostic: every sequence's state via pg_get_sequence_data()");
        if (diag != null) {
            line("For comparison, reading the state (last_value, is_called) of all " + big + "' sequences with "
                    + "`pg_get_sequence_data()` (PostgreSQL 18), 1,000 per statement, on a fresh connection: **"
                    + ms(diag.medianMillis()) + " ms** (median, catalog query for the oids included).");
            line("");
        }

        // ------------------------------------------------------------------------------------------- all runs
        line("### Every timed run (ms)");
        line("");
        header(2, "workload", "contender", "median", "min", "max", "runs in order");
        for (Map.Entry<String, Map<String, Stats>> e : run.results.entrySet()) {
            for (Stats s : e.getValue().values()) {
                if (!s.nanos.isEmpty()) {
                    row(e.getKey(), s.contender, ms(s.medianMillis()), ms(s.minMillis()), ms(s.maxMillis()),
                            s.runsText());
                }
            }
        }
        line("");
    }

    private void unindexedSection(Map<String, String> f, Workload uw, String unName) {
        line("### The unindexed table");
        line("");
        line("Database `" + uw.database + "`: " + uw.description + ".");
        line("");
        header("run", "median ms");
        for (String c : List.of("seqguard repair", "seqguard repair, schema big only",
                "seqguard repair, schema rest only",
                bench.timeoutName(false), bench.timeoutName(true), "seqguard verify",
                "wiki recipe (psql)", "naive JDBC loop", "floor, 2 backends", "floor, 1 backend")) {
            row(c, ms(median(unName, c)));
        }
        line("");
        line("With `statementTimeout(" + bench.bigTimeoutMillis() + " ms)`, the whole database (last run, verbatim):");
        line("");
        line("```");
        line(f.getOrDefault("unindexed.timeout", "(nothing)"));
        line("```");
        line("");
        line("A short statement timeout also bounds seqguard's catalog queries: "
                + f.getOrDefault("shortTimeoutProbe", "(not probed)"));
        line("");
        line("The same, schema big only:");
        line("");
        line("```");
        line(f.getOrDefault("unindexed.timeoutBig", "(nothing)"));
        line("```");
        line("");

    }

    /** peak, live, max, sequences, counts, rows; null when not measured. */
    private String[] heap(String workloadKey) {
        Workload w = run.workloads.get(workloadKey);
        if (w == null) {
            return null;
        }
        String line = run.facts.get("heap." + w.name);
        return line == null ? null : line.split(" ");
    }

    private static String yes(boolean met) {
        return met ? "**yes**" : "**no**";
    }
}
