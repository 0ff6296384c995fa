package io.seqguard.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.seqguard.ProgressListener;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's optimizing compiler (C2) out of a large run of the command line. At 10,000 sequences C2 compiles
 * the driver's protocol loop and SQL parser and seqguard's judging for some 1.5 s of CPU, more than seqguard's own
 * work on the client, on a machine whose cores the server needs for the same run; the quick compiler's code (C1) is
 * fast enough for a process that ends within seconds. Once the run turns out large, it adds a compiler directive
 * excluding C2 (the {@code compilerDirectivesAdd} diagnostic command, what {@code jcmd PID Compiler.directives_add}
 * does) on a thread of its own. Only the command line does this: a library never touches its host's JIT. On a JVM
 * without that command it does nothing, and on one already started without C2 (the distribution's {@code bin/seqguard}
 * runs {@code -XX:TieredStopAtLevel=1}) it does not start the platform MBean server, which alone costs some 100 ms of
 * CPU.
 */
final class CompilerBudget implements ProgressListener {

    /** Below this many reads C2 compiles little, and the platform MBean server costs more than it saves. */
    static final int LARGE_RUN = 2000;
    private static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

    private final AtomicBoolean decided = new AtomicBoolean();

    @Override
    public void progress(String phase, int done, int total) {
        if (total >= LARGE_RUN && decided.compareAndSet(false, true)) {
            Thread thread = new Thread(CompilerBudget::excludeC2, "seqguard-compiler-budget");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void excludeC2() {
        try {
            HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (!optimizingCompilerOn(flags.getVMOption("TieredCompilation").getValue(),
                    flags.getVMOption("TieredStopAtLevel").getValue())) {
                return;
            }
            Path file = Files.createTempFile("seqguard-compiler-directive", ".json");
            try {
                Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
                ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            // not HotSpot, or no management: the run is the same, only its compiler works more
        }
    }

    /**
     * Whether HotSpot compiles with C2, from its flags' values: without tiered compilation it is the only compiler;
     * with it, tier 4 is C2's.
     *
     * @param tieredCompilation the value of {@code TieredCompilation}
     * @param tieredStopAtLevel the value of {@code TieredStopAtLevel}
     */
    static boolean optimizingCompilerOn(String tieredCompilation, String tieredStopAtLevel) {
        return !Boolean.parseBoolean(tieredCompilation) || tieredStopAtLevel.equals("4");
    }
}
