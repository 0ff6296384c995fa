package io.seqguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line as users run it: {@code java -jar seqguard.jar repair --url ... --format json > report.json}, or
 * the distribution's {@code bin/seqguard repair ...}, a new JVM per run, timed from launch to exit. "seqguard's own
 * time" is the run's duration as its report gives it ({@code durationMillis}, from the first connection to the
 * report); the rest of the end-to-end time, JVM start, class loading, command-line parsing and writing the report, is
 * reported apart.
 */
final class CliRun implements Contender {

    private static final Pattern DURATION = Pattern.compile("\"durationMillis\": (\\d+)");
    private static final Pattern SEQUENCES = Pattern.compile("\"counts\": \\{([^}]*)}");

    private final String name;
    private final List<String> launch;
    private final Path work;
    private final String command;
    /** The last run's own duration as its report gives it, in nanoseconds (the report has milliseconds). */
    long lastOwnNanos;
    private String last;

    /**
     * @param launch what starts the command line: {@code java [options] -jar seqguard.jar}, or the launcher
     */
    CliRun(String name, List<String> launch, Path work, String command) {
        this.name = name;
        this.launch = List.copyOf(launch);
        this.work = work;
        this.command = command;
    }

    /** {@code java [options] -jar jar}, with the harness's Java. */
    static List<String> javaJar(Path jar, List<String> jvmOptions) {
        List<String> launch = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        launch.addAll(jvmOptions);
        launch.addAll(List.of("-jar", jar.toString()));
        return launch;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean mutates() {
        return command.equals("repair");
    }

    @Override
    public long run(Workload w) throws Exception {
        Path report = work.resolve("cli-report-" + w.database + ".json");
        Path err = work.resolve("cli-err.txt");
        List<String> commandLine = new ArrayList<>(launch);
        commandLine.addAll(List.of(command, "--url", w.jdbcUrl, "--user", "postgres", "--format", "json"));
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        // the launcher's Java is the harness's
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = builder.redirectOutput(report.toFile()).redirectError(err.toFile()).start();
        int code = p.waitFor();
        long elapsed = System.nanoTime() - t0;
        if (code != 0 && code != 3 && code != 4) {
            throw new IllegalStateException(String.join(" ", commandLine) + " exited with " + code + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        String head = head(report);
        Matcher m = DURATION.matcher(head);
        if (!m.find()) {
            throw new IllegalStateException("no durationMillis in the report of " + String.join(" ", commandLine)
                    + ": " + head);
        }
        lastOwnNanos = Long.parseLong(m.group(1)) * 1_000_000;
        Matcher counts = SEQUENCES.matcher(head);
        last = "exit " + code + (counts.find() ? ", " + counts.group(1).replace("\"", "") : "");
        return elapsed;
    }

    /** The top of the report, where a single-database report has its duration and counts. */
    private static String head(Path report) throws IOException {
        byte[] bytes = Files.readAllBytes(report);
        return new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8);
    }

    @Override
    public String lastOutcome() {
        return last;
    }
}
