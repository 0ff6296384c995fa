package io.seqguard.micronaut;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.naming.NameResolver;
import io.micronaut.core.order.OrderUtil;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.reflect.ClassUtils;
import io.micronaut.core.util.StringUtils;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.jdbc.DataSourceResolver;
import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardResult;
import io.seqguard.SequenceMapping;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the seqguard {@link StartupGuard} on each {@link DataSource} bean when it is created, so that no repository,
 * {@code @Transactional} method or other bean gets the data source before the guard has passed: Micronaut hands a
 * bean to nobody until every {@link BeanCreatedEventListener} has returned it.
 *
 * <p>Before the first guard runs, the whole {@code seqguard.*} configuration is checked: every key must be a seqguard
 * property (environment variables are only logged), every {@code seqguard.datasources} name a data source, every
 * value acceptable for every data source. A mistake stops start-up with a {@link ConfigurationException} that names
 * the key and what is accepted, before anything was checked or repaired.
 *
 * <p>Order: listeners on one bean run by ascending {@link Ordered#getOrder()}. Micronaut Flyway migrates in a listener
 * of the default order 0 (as do Micronaut Data's transaction-aware wrapper and other libraries that prepare a data
 * source); this one has {@link #ORDER}, so it sees the schema and the data that the migrations left. A Flyway
 * configured with {@code async: true} migrates on another thread, after this guard: the listener logs a warning.
 *
 * <p>The guard needs the pool itself: the bean this listener receives may already be wrapped (Micronaut Data's
 * contextual, transaction-aware proxy hands out no connection outside a transaction), so it is unwrapped with the
 * application's {@link DataSourceResolver}, as Micronaut Flyway does.
 *
 * <p>Per data source: the {@code seqguard.*} properties with {@code seqguard.datasources.<name>.*} over them, then
 * every {@link SeqguardConfigurationCustomizer} bean in order. {@code jobs} is cut to what a Hikari pool lends. A
 * data source whose database is not PostgreSQL is skipped (its customizers are not called) unless it has properties
 * of its own, which is an error. A guard that refuses start-up throws a {@link SeqguardStartupException} naming the
 * data source, its cause the guard's {@link StartupGuardException}; the application context does not start.
 */
@Singleton
@Requires(property = SeqguardDataSourceListener.ENABLED, notEquals = StringUtils.FALSE)
public class SeqguardDataSourceListener implements BeanCreatedEventListener<DataSource>, Ordered {

    /** The global switch: {@code seqguard.enabled=false} guards no data source. */
    public static final String ENABLED = "seqguard.enabled";

    /**
     * This listener's order: after every listener of the default order 0, Micronaut Flyway's migration among them,
     * with room for listeners that must come later still.
     */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 1000;

    private static final Logger log = LoggerFactory.getLogger(SeqguardDataSourceListener.class);
    private static final String HIKARI = "com.zaxxer.hikari.HikariConfigMXBean";
    /** Micronaut Data's SQL model, which {@link DataJdbcSequences} needs (it is not even loaded without it). */
    private static final String MICRONAUT_DATA_MODEL = "io.micronaut.data.model.query.builder.sql.SqlQueryBuilder";
    private static final String HIBERNATE_STEP =
            "io.micronaut.configuration.hibernate.jpa.conf.settings.SettingsSupplier";

    private final ApplicationContext context;
    private final SeqguardRuns runs;
    private final DataSourceResolver resolver;
    private final SeqguardSettings settings;
    private volatile boolean checked;
    /** The pool of each data source created so far, by name, for its ORM step. */
    private final Map<String, DataSource> pools = new ConcurrentHashMap<>();
    /** Incomplete runs waiting for the ORM step of their data source, by name. */
    private final Map<String, SeqguardStartupException> pending = Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * @param context the application context, for the properties and the customizers
     * @param runs where each run is recorded
     * @param resolver unwraps proxies around the pool; null: the data source is used as it is
     */
    public SeqguardDataSourceListener(ApplicationContext context, SeqguardRuns runs,
            @Nullable DataSourceResolver resolver) {
        this.context = context;
        this.runs = runs;
        this.resolver = resolver != null ? resolver : DataSourceResolver.DEFAULT;
        this.settings = new SeqguardSettings(context.getEnvironment());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        DataSource dataSource = event.getBean();
        String name = name(event);
        DataSource pool = resolver.resolve(dataSource);
        pools.put(name, pool);
        guard(name, pool, List.of(), ormStepFollows(name), null);
        return dataSource;
    }

    /**
     * The ORM step of one Hibernate session factory, inside its build: guards its data source again with the
     * entities' mappings, so that no repository or {@code EntityManager} reaches a sequence before it is safe.
     *
     * @param name the data source's name (the JPA configuration's)
     * @param hibernatePool the data source Hibernate takes its connections from; null when unknown
     * @param mappings the entities' sequences, tables and allocation rules
     * @throws SeqguardStartupException when the guard refuses start-up
     */
    void guardOrm(String name, @Nullable DataSource hibernatePool, List<SequenceMapping> mappings) {
        DataSource pool = pools.getOrDefault(name, hibernatePool);
        if (pool == null) {
            log.debug("seqguard: Hibernate's session factory '{}' uses no data source seqguard knows; its ORM step "
                    + "does nothing", name);
            return;
        }
        SeqguardStartupException waiting = pending.remove(name);
        // what the first run found: only the sequences the entities name are read again
        AlignmentReport earlier = waiting != null ? waiting.getGuardException().report()
                : runs.latest(name).map(GuardRun::result).map(GuardResult::report).orElse(null);
        log.info("seqguard: data source '{}': guarding again with the {} sequence mapping(s) of Hibernate's "
                + "entities", name, mappings.size());
        guard(name, pool, mappings, false, earlier);
    }

    /**
     * Stops start-up for a data source whose run was incomplete and that no ORM step verified again: the session
     * factories, which Micronaut creates eagerly, were built by the time the application context starts.
     *
     * @throws SeqguardStartupException the first such data source's refusal
     */
    void checkOrmSteps() {
        synchronized (pending) {
            for (SeqguardStartupException refusal : pending.values()) {
                runs.record(new GuardRun(refusal.getDataSourceName(), Instant.now(), Duration.ZERO, null, refusal));
                throw refusal;
            }
        }
    }

    /** Whether Hibernate builds a session factory for the data source, whose ORM step then follows this run. */
    private boolean ormStepFollows(String name) {
        return ClassUtils.isPresent(HIBERNATE_STEP, getClass().getClassLoader())
                && context.containsBean(HibernateOrmStep.class) && HibernateOrmStep.followsFor(context, name);
    }

    /** Checks the configuration (once), then runs the guard for one data source with no ORM step to follow. */
    void guard(String name, DataSource pool) {
        guard(name, pool, List.of(), false, null);
    }

    /**
     * Checks the configuration (once), then runs the guard for one data source.
     *
     * @param name the data source's name
     * @param pool the pool itself
     * @param ormMappings the entities' mappings Hibernate found, for the ORM step; else empty
     * @param ormStepFollows whether a run incomplete only for want of the entities' mappings waits for the ORM step
     * @param earlier the report of the data source's first run, for the ORM step's run, which reads only the sequences
     *     the entities name and reports them in that report's place; null for a first run
     * @throws SeqguardStartupException when the guard refuses start-up
     * @throws ConfigurationException when the configuration is invalid
     */
    void guard(String name, DataSource pool, List<SequenceMapping> ormMappings, boolean ormStepFollows,
            @Nullable AlignmentReport earlier) {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        String prefix = settings.prefix(name);
        StartupGuard guard;
        try {
            check(name);
            if (Boolean.FALSE.equals(settings.enabled(name))) {
                log.info("seqguard: data source '{}' is not guarded ({}enabled=false)", name, prefix);
                runs.recordUnguarded(name, prefix + "enabled=false");
                return;
            }
            GuardConfiguration configuration = settings.configure(name, pool,
                    context.getProperty("micronaut.application.name", String.class).orElse(null),
                    ClassUtils.isPresent(HIKARI, getClass().getClassLoader()) ? HikariPools.maximumPoolSize(pool)
                            : null);
            if (configuration.getMode() != GuardMode.OFF) {
                String product = productName(pool);
                if (product != null && !product.equalsIgnoreCase("PostgreSQL")) {
                    if (settings.blocks().contains(name)) {
                        throw new ConfigurationException(prefix.substring(0, prefix.length() - 1) + " is "
                                + "configured, but data source '" + name + "' is " + product + ", not PostgreSQL: "
                                + "seqguard guards PostgreSQL only. Remove those properties or set " + prefix
                                + "enabled=false.");
                    }
                    log.info("seqguard: data source '{}' is {}, not PostgreSQL; not guarded", name, product);
                    runs.recordUnguarded(name, "not PostgreSQL (" + product + ")");
                    return;
                }
                if (context.getProperty("flyway.datasources." + name + ".async", Boolean.class).orElse(false)) {
                    log.warn("seqguard: flyway.datasources.{}.async is true, so Flyway migrates data source '{}' on "
                            + "another thread, possibly after this guard: sequences fed by rows the migrations load "
                            + "are not covered. Use synchronous migrations with seqguard.", name, name);
                }
            }
            List<SequenceMapping> discovered = new ArrayList<>(ormMappings);
            if (configuration.getMode() != GuardMode.OFF && ClassUtils.isPresent(MICRONAUT_DATA_MODEL,
                    getClass().getClassLoader())) {
                discovered.addAll(DataJdbcSequences.of(context, name));
            }
            if (!discovered.isEmpty()) {
                configuration.aligner(aligner -> aligner.mappings(discovered));
            }
            customize(name, configuration);
            guard = SeqguardSettings.load(name, configuration);
        } catch (RuntimeException e) {
            runs.record(new GuardRun(name, startedAt, elapsed(t0), null, e));
            throw e;
        }
        GuardResult result;
        try {
            // a first run the ORM step may complete journals no failure for what only mappings lift
            result = earlier != null ? guard.runAgain(earlier)
                    : ormStepFollows ? guard.runBeforeMappings() : guard.run();
        } catch (StartupGuardException e) {
            boolean waits = ormStepFollows && e.isOnlyForWantOfMappings();
            SeqguardStartupException refusal = new SeqguardStartupException(name, prefix, ormStepFollows && !waits, e);
            if (waits) {
                // Hibernate's metamodel will tie its entities' sequences to their columns: the ORM step decides
                log.info("seqguard: data source '{}': {} sequence(s) used by no column, not verified yet; the ORM "
                        + "step judges again those Hibernate's entities use, and stops start-up if any stays "
                        + "unverified", name, e.report().unverified().size());
                pending.put(name, refusal);
                return;
            }
            runs.record(new GuardRun(name, startedAt, elapsed(t0), null, refusal));
            throw refusal;
        } catch (RuntimeException e) {
            runs.record(new GuardRun(name, startedAt, elapsed(t0), null, e));
            throw e;
        }
        // after a first run, this one's report holds both: what the first one moved shows as moved
        runs.record(new GuardRun(name, result.startedAt(), result.duration(), result, null));
    }

    /** The whole configuration, before the first guard runs: keys, data source names, values. */
    private synchronized void check(String name) {
        if (!checked) {
            Set<String> names = dataSourceNames();
            names.add(name);
            settings.check(names);
            checked = true;
        }
    }

    /**
     * {@return the application's data sources: those under {@code datasources.*} and the DataSource beans, named as
     * {@link #name} names them}
     */
    private Set<String> dataSourceNames() {
        Set<String> names = new TreeSet<>(context.getEnvironment().getPropertyEntries("datasources"));
        for (BeanDefinition<DataSource> definition : context.getBeanDefinitions(DataSource.class)) {
            Optional<String> name = definition instanceof NameResolver resolver ? resolver.resolveName()
                    : Optional.empty();
            names.add(name.orElse("default"));
        }
        return names;
    }

    /** Runs the customizer beans by ascending order ({@code @Order} or {@link Ordered}); a failure names both. */
    private void customize(String name, GuardConfiguration guardConfiguration) {
        List<BeanRegistration<SeqguardConfigurationCustomizer>> registrations = new ArrayList<>(
                context.getBeanRegistrations(SeqguardConfigurationCustomizer.class));
        OrderUtil.sortOrdered(registrations);
        for (BeanRegistration<SeqguardConfigurationCustomizer> registration : registrations) {
            try {
                registration.bean().customize(name, guardConfiguration);
            } catch (RuntimeException e) {
                throw new ConfigurationException("Micronaut data source '" + name + "': "
                        + registration.bean().getClass().getName() + " (a SeqguardConfigurationCustomizer) failed: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * The data source's name: {@code default} for {@code datasources.default}, else the bean's name qualifier.
     */
    static String name(BeanCreatedEvent<DataSource> event) {
        if (event.getBeanDefinition() instanceof NameResolver) {
            Optional<String> name = ((NameResolver) event.getBeanDefinition()).resolveName();
            if (name.isPresent()) {
                return name.get();
            }
        }
        String name = event.getBeanIdentifier().getName();
        return name.equalsIgnoreCase("primary") ? "default" : name;
    }

    private static String productName(DataSource pool) {
        try (Connection connection = pool.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException | RuntimeException e) {
            // the guard borrows a connection again and explains the failure
            log.debug("seqguard: could not read the database product name", e);
            return null;
        }
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Kept apart so that HikariCP stays optional. */
    private static final class HikariPools {

        static Integer maximumPoolSize(DataSource pool) {
            try {
                if (pool instanceof com.zaxxer.hikari.HikariConfigMXBean hikari) {
                    return hikari.getMaximumPoolSize();
                }
                if (pool.isWrapperFor(com.zaxxer.hikari.HikariConfigMXBean.class)) {
                    return pool.unwrap(com.zaxxer.hikari.HikariConfigMXBean.class).getMaximumPoolSize();
                }
            } catch (SQLException | RuntimeException e) {
                // not a Hikari pool we can read
            }
            return null;
        }
    }
}
