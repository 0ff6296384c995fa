package io.seqguard.bench;

import io.seqguard.AlignmentReport;
import io.seqguard.SequenceAligner;
import io.seqguard.StartupGuard;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Runs in a JVM of its own, started by {@link BenchMain} with {@code -Xmx256m}, and prints one {@code RESULT} line:
 * <ul>
 *   <li>{@code cold-flyway URL DIR} / {@code cold-guard URL}: the first call in a fresh JVM (class loading
 *       included), milliseconds;</li>
 *   <li>{@code heap URL JOBS}: {@code repair()} then {@code verify()}, then the peak heap used (sum of the heap
 *       pools' peaks, an upper bound) and the heap still in use after a full GC while the report is held, in MB.</li>
 * </ul>
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(args[1]);
        ds.setUser("postgres");
        switch (args[0]) {
            case "cold-flyway" -> {
                long t0 = System.nanoTime();
                int executed = StartupContenders.flyway(ds, Path.of(args[2])).migrate().migrationsExecuted;
                long elapsed = System.nanoTime() - t0;
                if (executed != 0) {
                    throw new IllegalStateException("Flyway migrated " + executed);
                }
                System.out.println("RESULT " + elapsed);
            }
            case "cold-guard" -> {
                long t0 = System.nanoTime();
                StartupGuard.configure().dataSource(ds).load().run();
                long elapsed = System.nanoTime() - t0;
                System.out.println("RESULT " + elapsed);
            }
            case "heap" -> {
                int jobs = Integer.parseInt(args[2]);
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    pool.resetPeakUsage();
                }
                SequenceAligner aligner = SequenceAligner.configure().dataSource(ds).jobs(jobs).load();
                AlignmentReport repair = aligner.repair();
                AlignmentReport verify = aligner.verify();
                long peak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        peak += pool.getPeakUsage().getUsed();
                    }
                }
                System.gc();
                System.gc();
                long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                long max = Runtime.getRuntime().maxMemory();
                System.out.println(String.format(Locale.ROOT, "RESULT %.1f %.1f %.0f %d %s", peak / 1048576.0,
                        live / 1048576.0, max / 1048576.0, repair.sequences().size(),
                        SeqguardRun.counts(repair).replace(' ', '_') + "|" + verify.isAligned()));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
