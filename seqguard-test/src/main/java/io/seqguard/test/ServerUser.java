package io.seqguard.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The OS user that PostgreSQL processes run as. PostgreSQL refuses to run as root, so a root JVM runs them as an
 * unprivileged user (default {@code nobody}, property {@code seqguard.test.os-user}) through {@code setpriv}, or
 * {@code runuser} where setpriv is missing; any other JVM runs them as itself.
 *
 * <p>{@link #inRoot} gives the same user inside a root directory (chroot), for PostgreSQL built for a newer system
 * than the host's: commands then see that directory as {@code /}, and {@link #path} names files as they see them.
 */
final class ServerUser {

    private static final List<String> SETPRIV = List.of("/usr/bin/setpriv", "/bin/setpriv");
    private static final List<String> RUNUSER = List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser");
    private static final List<String> CHROOT = List.of("/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot");

    private static volatile ServerUser current;

    /**
     * Starts every long-running process (servers, proxies) from one long-lived thread: a parent-death signal fires
     * when the parent *thread* ends, so a process started from a short-lived test thread would otherwise die with it.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "seqguard-process-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final boolean switching;
    private final String name;
    private final int uid;
    private final int gid;
    private final String setpriv;
    private final String runuser;
    /** The directory commands run inside (chroot), or null; with it, {@link #setpriv} is a path inside it. */
    private final Path root;
    private final String chroot;

    private ServerUser(boolean switching, String name, int uid, int gid, String setpriv, String runuser, Path root,
            String chroot) {
        this.switching = switching;
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.setpriv = setpriv;
        this.runuser = runuser;
        this.root = root;
        this.chroot = chroot;
    }

    /** The server user for this JVM, looked up once. */
    static ServerUser current() {
        ServerUser user = current;
        if (user == null) {
            synchronized (ServerUser.class) {
                user = current;
                if (user == null) {
                    user = detect();
                    current = user;
                }
            }
        }
        return user;
    }

    private static ServerUser detect() {
        String setpriv = findExecutable("setpriv", SETPRIV);
        if (!isRoot()) {
            return new ServerUser(false, System.getProperty("user.name"), -1, -1, setpriv, null, null, null);
        }
        String runuser = findExecutable("runuser", RUNUSER);
        if (setpriv == null && runuser == null) {
            throw new IllegalStateException("This JVM runs as root and PostgreSQL refuses to: install util-linux "
                    + "(setpriv or runuser) so the server can run as an unprivileged user");
        }
        String name = System.getProperty("seqguard.test.os-user", "nobody");
        int[] ids = lookupIds(name);
        return new ServerUser(true, name, ids[0], ids[1], setpriv, runuser, null, null);
    }

    /**
     * This user inside {@code root}: commands run through {@code chroot(8)}, then as the unprivileged user that
     * the root's own {@code /etc/passwd} names, through the root's {@code setpriv} (the host's chroot with
     * {@code --userspec} where the root has none). Needs a JVM running as root, as chroot does.
     */
    ServerUser inRoot(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        if (!switching) {
            throw new IllegalStateException("seqguard.test.chroot " + root + " needs a JVM running as root, as "
                    + "chroot does; this one runs as " + name + ". Run the tests as root, or leave "
                    + "seqguard.test.chroot unset and point seqguard.test.bin-dir at a PostgreSQL this system runs");
        }
        String chroot = findExecutable("chroot", CHROOT);
        if (chroot == null) {
            throw new IllegalStateException("seqguard.test.chroot is set but this system has no chroot program: "
                    + "install coreutils");
        }
        int[] ids = lookupIdsIn(root.resolve("etc/passwd"), name);
        String inside = Files.isExecutable(root.resolve("usr/bin/setpriv")) ? "/usr/bin/setpriv" : null;
        return new ServerUser(true, name, ids[0], ids[1], inside, null, root, chroot);
    }

    private static int[] lookupIdsIn(Path passwd, String user) {
        int[] ids;
        try {
            ids = passwdEntry(passwd, user);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read " + passwd + " to find the OS user '" + user
                    + "' (property seqguard.test.os-user) inside seqguard.test.chroot: " + e.getMessage(), e);
        }
        if (ids == null) {
            throw new IllegalStateException("The OS user '" + user + "' (property seqguard.test.os-user) is not in "
                    + passwd + ", so PostgreSQL cannot run as it inside seqguard.test.chroot");
        }
        return ids;
    }

    /** The root directory commands run inside, or null when they run on the host. */
    Path root() {
        return root;
    }

    /** A path as the commands see it (absolute, or relative to their {@code /}) as a path on this host. */
    Path hostPath(String path) {
        return root == null ? Paths.get(path).toAbsolutePath() : root.resolve(path.replaceFirst("^/+", ""));
    }

    /** A host path as the commands see it: itself, or inside {@link #root()} the part below the root. */
    String path(Path hostPath) {
        if (root == null) {
            return hostPath.toString();
        }
        Path absolute = hostPath.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            throw new IllegalArgumentException(absolute + " is outside seqguard.test.chroot " + root
                    + ", so PostgreSQL running inside it cannot see it");
        }
        return "/" + root.relativize(absolute);
    }

    /** The effective uid from /proc, so that {@code sudo -E} or a changed HOME cannot mislead the check. */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return "0".equals(ids.length > 1 ? ids[1] : ids[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or no /proc: fall back to the name.
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private static int[] lookupIds(String user) {
        try {
            int[] ids = passwdEntry(Paths.get("/etc/passwd"), user);
            if (ids != null) {
                return ids;
            }
        } catch (IOException | RuntimeException e) {
            // Fall through to id(1), which also sees users from other name services.
        }
        String uid = runIdCommand("-u", user);
        String gid = runIdCommand("-g", user);
        return new int[] {Integer.parseInt(uid), Integer.parseInt(gid)};
    }

    /** The uid and gid of {@code user} in a passwd file, or null when it has no such line. */
    private static int[] passwdEntry(Path passwd, String user) throws IOException {
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            String[] fields = line.split(":");
            if (fields.length >= 4 && fields[0].equals(user)) {
                return new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])};
            }
        }
        return null;
    }

    private static String runIdCommand(String flag, String user) {
        try {
            Process process = new ProcessBuilder("id", flag, user).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0 || !out.matches("\\d+")) {
                throw new IllegalStateException("Cannot find the OS user '" + user
                        + "' (property seqguard.test.os-user) to run PostgreSQL as: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run id " + flag + " " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while looking up user " + user, e);
        }
    }

    /** A well-known path that is executable, else {@code name} on the {@code PATH}; null when neither is. */
    static String findExecutable(String name, List<String> wellKnown) {
        for (String candidate : wellKnown) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Paths.get(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }

    /** True when commands are run as another user than the JVM's. */
    boolean switching() {
        return switching;
    }

    /** The user name PostgreSQL runs as. */
    String name() {
        return name;
    }

    /**
     * The command line that runs {@code command} as this user. With {@code dieWithParent} the process gets SIGINT
     * (PostgreSQL's fast shutdown) when the thread that started it ends, so a killed JVM leaves no server behind;
     * that needs setpriv, and is skipped without it.
     */
    List<String> wrap(List<String> command, boolean dieWithParent) {
        List<String> full = new ArrayList<>();
        if (root != null) {
            if (setpriv == null) {
                // Without setpriv in the root there is no parent-death signal; the shutdown hook still stops it.
                full.addAll(List.of(chroot, "--userspec=" + uid + ":" + gid, "--groups=" + gid, root.toString()));
            } else {
                full.addAll(List.of(chroot, root.toString()));
            }
        }
        if (switching && setpriv != null) {
            full.addAll(List.of(setpriv, "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
            if (dieWithParent) {
                full.addAll(List.of("--pdeathsig", "INT"));
            }
            full.add("--");
        } else if (switching && runuser != null) {
            full.addAll(List.of(runuser, "-u", name, "--"));
        } else if (dieWithParent && setpriv != null) {
            full.addAll(List.of(setpriv, "--pdeathsig", "INT", "--"));
        }
        full.addAll(command);
        return full;
    }

    /** Hands a file or directory (not its contents) to this user, so PostgreSQL may write there. */
    void own(Path path) throws IOException {
        if (switching) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** A process builder for {@code command} as this user, with an environment free of libpq's PG* variables. */
    ProcessBuilder processBuilder(List<String> command, Path workingDirectory, boolean dieWithParent) {
        ProcessBuilder builder = new ProcessBuilder(wrap(command, dieWithParent));
        builder.directory(workingDirectory.toFile());
        Map<String, String> env = builder.environment();
        // PGDATA, PGPORT, PGHOST ... from the developer's shell must not redirect our commands to another cluster.
        env.keySet().removeIf(key -> key.startsWith("PG"));
        env.put("LC_ALL", "C");
        return builder;
    }

    /** Starts a process made by {@link #processBuilder} with {@code dieWithParent}, from the launcher thread. */
    static Process launch(ProcessBuilder builder) {
        Future<Process> launched = LAUNCHER.submit(builder::start);
        try {
            return launched.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot start " + builder.command(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting " + builder.command(), e);
        }
    }

    /**
     * Pauses between two attempts to reach a starting process: a short poll interval, not a start-up delay, since
     * connection attempts are cheap and fail fast.
     */
    static void pollPause(String waitingFor) {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + waitingFor, e);
        }
    }

    /** Output and exit code of a finished command. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code command} as this user, waits at most {@code timeout}, and returns its combined output. */
    Result run(List<String> command, Path workingDirectory, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("seqguard-command", ".log");
            ProcessBuilder builder = processBuilder(command, workingDirectory, false)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Command did not finish within " + timeout + ": " + command
                        + "\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        } finally {
            if (output != null) {
                FileTrees.deleteQuietly(output);
            }
        }
    }

    /** Like {@link #run} but fails, with the output in the message, unless the command exits with 0. */
    String runChecked(List<String> command, Path workingDirectory, Duration timeout) {
        Result result = run(command, workingDirectory, timeout);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("Command failed with exit code " + result.exitCode() + " (as OS user "
                    + name + "): " + String.join(" ", command) + "\n" + result.output());
        }
        return result.output();
    }
}
