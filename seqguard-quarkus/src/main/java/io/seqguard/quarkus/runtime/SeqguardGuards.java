package io.seqguard.quarkus.runtime;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ClientProxy;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOption;
import io.seqguard.GuardResult;
import io.seqguard.SequenceMapping;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.quarkus.SeqguardConfigurationCustomizer;
import io.seqguard.quarkus.SeqguardStartupException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the startup guard on the application's datasources, each once per start-up, at the moment Quarkus allows:
 * <ul>
 *   <li>a datasource no active Hibernate ORM persistence unit uses: by {@link #guardAtStart()}, a runtime-init step
 *       that comes after quarkus-flyway's and quarkus-liquibase's migrate-at-start and before the start-up event;</li>
 *   <li>a datasource of persistence units: when Hibernate ORM has built the last of them ({@link #unitReady}), after
 *       its schema management and {@code import.sql}, with the sequences of their entities, and before anything gets
 *       the EntityManagerFactory.</li>
 * </ul>
 * A datasource that is not PostgreSQL, is inactive or has {@code enabled=false} is recorded as unguarded.
 */
public final class SeqguardGuards {

    private static final Logger log = LoggerFactory.getLogger(SeqguardGuards.class);

    /** Datasource name to database kind, as the build saw them. */
    private final Map<String, String> kinds;
    /** Finds the persistence units that will guard a datasource; null without Hibernate ORM. */
    private final PersistenceUnits units;
    private final SeqguardRuns runs = new SeqguardRuns();

    private SeqguardSettings settings;
    /** Datasource to the persistence units not built yet; computed once. */
    private Map<String, Set<String>> awaited;
    private final Map<String, List<SequenceMapping>> entityMappings = new LinkedHashMap<>();
    private final Set<String> done = new TreeSet<>();

    /** Where the datasources of Hibernate ORM's persistence units come from. */
    interface PersistenceUnits {
        /** {@return the active persistence units by the datasource they use} */
        Map<String, Set<String>> byDataSource();
    }

    SeqguardGuards(Map<String, String> kinds, PersistenceUnits units) {
        this.kinds = new LinkedHashMap<>(kinds);
        this.units = units;
    }

    /** {@return the runs so far} */
    public SeqguardRuns runs() {
        return runs;
    }

    /**
     * The settings, read and checked on first use (before any guard runs).
     *
     * @return the settings
     * @throws ConfigurationException when a key or value is not accepted
     */
    public synchronized SeqguardSettings settings() {
        if (settings == null) {
            SeqguardSettings read = SeqguardSettings.read(ConfigProvider.getConfig(), kinds, System.getenv());
            read.warnings().forEach(warning -> log.warn("seqguard: {}", warning));
            settings = read;
        }
        return settings;
    }

    /**
     * Guards every datasource that no persistence unit will guard. Called once, at runtime init after the
     * migrations.
     */
    public void guardAtStart() {
        settings();
        Map<String, Set<String>> ormUnits = awaited();
        for (String name : kinds.keySet()) {
            if (ormUnits.containsKey(name)) {
                log.debug("seqguard: datasource '{}' is guarded when Hibernate ORM has built persistence units {}",
                        name, ormUnits.get(name));
                continue;
            }
            guardOnce(name, List.of());
        }
    }

    /**
     * Guards what is still unguarded once every service has started: a datasource left to a persistence unit that
     * never reported (it did not start, or uses another datasource than configuration says). Called once, after
     * Hibernate ORM has started.
     */
    public void guardRemaining() {
        List<String> remaining = new ArrayList<>();
        synchronized (this) {
            for (String name : awaited().keySet()) {
                if (!done.contains(name)) {
                    remaining.add(name);
                }
            }
        }
        for (String name : remaining) {
            log.warn("seqguard: Hibernate ORM did not build persistence unit(s) {} of datasource '{}'; guarding it "
                    + "now, without their entities' sequences", awaited().get(name), name);
            guardOnce(name, List.of());
        }
    }

    /**
     * A persistence unit has been built (Hibernate ORM's schema management and {@code import.sql} included): records
     * its entities' sequences and guards the datasource once the last of its persistence units has reported.
     *
     * @param unit the persistence unit's name
     * @param pool the datasource it uses, null when it uses none of its own (database multi-tenancy)
     * @param mappings its entities' sequences
     */
    public void unitReady(String unit, DataSource pool, Collection<SequenceMapping> mappings) {
        String name = pool == null ? null : nameOf(pool);
        if (name == null) {
            log.info("seqguard: persistence unit '{}' uses no datasource of its own; its datasources are guarded "
                    + "without its entities' sequences", unit);
            return;
        }
        boolean last;
        List<SequenceMapping> all;
        synchronized (this) {
            entityMappings.computeIfAbsent(name, n -> new ArrayList<>()).addAll(mappings);
            Set<String> waiting = awaited().get(name);
            if (waiting != null) {
                waiting.remove(unit);
            }
            last = waiting == null || waiting.isEmpty();
            all = List.copyOf(entityMappings.get(name));
        }
        if (last) {
            guardOnce(name, all);
        }
    }

    private synchronized Map<String, Set<String>> awaited() {
        if (awaited == null) {
            awaited = new LinkedHashMap<>();
            if (units != null) {
                units.byDataSource().forEach((dataSource, names) -> {
                    if (kinds.containsKey(dataSource)) {
                        awaited.put(dataSource, new LinkedHashSet<>(names));
                    }
                });
            }
        }
        return awaited;
    }

    /** The name of the datasource whose pool this is, or null. */
    private String nameOf(DataSource pool) {
        for (String name : kinds.keySet()) {
            if (AgroalDataSourceUtil.dataSourceIfActive(name).map(ClientProxy::unwrap).orElse(null) == pool) {
                return name;
            }
        }
        return null;
    }

    private void guardOnce(String name, List<SequenceMapping> mappings) {
        synchronized (this) {
            if (!done.add(name)) {
                return;
            }
        }
        guard(name, mappings);
    }

    private void guard(String name, List<SequenceMapping> mappings) {
        DataSourceSettings dataSource = settings().forDataSource(name);
        String kind = kinds.get(name);
        if (!SeqguardSettings.isPostgres(kind)) {
            log.info("seqguard: {} is {}, not PostgreSQL; not guarded", dataSource.displayName(), kind);
            runs.recordUnguarded(name, "not PostgreSQL (" + kind + ")");
            return;
        }
        if (!dataSource.enabled()) {
            log.info("seqguard: {} is not guarded ({}=false)", dataSource.displayName(),
                    dataSource.key(GuardOption.ENABLED));
            runs.recordUnguarded(name, dataSource.key(GuardOption.ENABLED) + "=false");
            return;
        }
        AgroalDataSource pool = AgroalDataSourceUtil.dataSourceIfActive(name).map(ClientProxy::unwrap).orElse(null);
        if (pool == null) {
            log.info("seqguard: {} is inactive; not guarded", dataSource.displayName());
            runs.recordUnguarded(name, "inactive");
            return;
        }
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        GuardResult result;
        try {
            GuardConfiguration configuration = dataSource.configure(pool, applicationName());
            if (!mappings.isEmpty()) {
                configuration.aligner(a -> a.mappings(mappings));
            }
            if (configuration.getMode() != GuardMode.OFF) {
                customize(name, configuration);
            }
            StartupGuard guard = dataSource.load(configuration);
            result = guard.run();
        } catch (StartupGuardException e) {
            SeqguardStartupException refusal = new SeqguardStartupException(name, e);
            runs.record(new GuardRun(name, startedAt, elapsed(t0), null, refusal));
            throw refusal;
        } catch (RuntimeException e) {
            runs.record(new GuardRun(name, startedAt, elapsed(t0), null, e));
            throw e;
        }
        runs.record(new GuardRun(name, result.startedAt(), result.duration(), result, null));
    }

    private static String applicationName() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.application.name", String.class).orElse(null);
    }

    /** Runs the customizer beans in Quarkus' order; a failure names the bean. */
    private static void customize(String name, GuardConfiguration configuration) {
        List<InstanceHandle<SeqguardConfigurationCustomizer>> customizers = Arc.container()
                .listAll(SeqguardConfigurationCustomizer.class);
        for (InstanceHandle<SeqguardConfigurationCustomizer> handle : customizers) {
            SeqguardConfigurationCustomizer customizer = handle.get();
            try {
                customizer.customize(name, configuration);
            } catch (RuntimeException e) {
                throw new IllegalStateException("seqguard, datasource '" + name + "': "
                        + ClientProxy.unwrap(customizer).getClass().getName()
                        + " (a SeqguardConfigurationCustomizer) failed: " + e.getMessage(), e);
            }
        }
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
