package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.AlignmentReport;
import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardOption;
import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;
import io.seqguard.Vocabulary;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties.DataSourceGuard;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Runs seqguard's {@link StartupGuard} on every DataSource bean when it is initialized, the way Spring Boot's
 * {@code FlywayMigrationInitializer} runs Flyway. It is a database initializer in Spring Boot's sense: its
 * {@code DatabaseInitializerDetector} makes it wait for Flyway, Liquibase and SQL init scripts, and makes every bean
 * that depends on database initialization (JdbcTemplate, JdbcClient, the JPA EntityManagerFactory, Spring Data JDBC,
 * jOOQ's DSLContext) wait for it.
 *
 * <p>First the whole configuration is checked, before any guard runs: every key under {@code seqguard.} must be a
 * seqguard property, every {@code seqguard.datasources} name a DataSource bean, every value acceptable. Then, for
 * each PostgreSQL DataSource bean in bean definition order: the bean's settings ({@code seqguard.*} with
 * {@code seqguard.datasources.<name>.*} over them) and the {@link SeqguardConfigurationCustomizer customizers} make a
 * {@link GuardConfiguration}; its guard runs on the pool itself; the {@link GuardResult} goes to
 * {@link SeqguardResults}. A refusal stops start-up with a {@link SeqguardStartupException}. Not guarded: beans with
 * {@code enabled=false}, routing DataSources unless enabled explicitly, a pool already guarded under another bean
 * name, and databases other than PostgreSQL.
 */
public class SeqguardInitializer implements InitializingBean {

    private static final Log log = LogFactory.getLog(SeqguardInitializer.class);

    private static final String ROUTING_DATA_SOURCE =
            "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource";
    private static final String HIKARI = "com.zaxxer.hikari.HikariConfigMXBean";

    private final Map<String, DataSource> dataSources;
    private final SeqguardProperties properties;
    private final List<SeqguardConfigurationCustomizer> customizers;
    private final Environment environment;
    private final SeqguardResults results;
    /** Mappings found before this initializer ran (deferred DataSource initialization); null without Hibernate. */
    private volatile OrmMappings ormMappings;
    /** Whether Hibernate's ORM step follows: an incomplete run then waits for the entities' mappings. */
    private volatile boolean ormStepsFollow;
    /** The guards planned by {@link #run()}, for the ORM step to run again with the entities' mappings. */
    private final List<Planned> planned = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Incomplete runs waiting for the ORM step of their DataSource, by pool. */
    private final Map<DataSource, SeqguardStartupException> pendingOrmStep =
            java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * @param dataSources the DataSource beans to guard, by bean name, in the order to guard them
     * @param properties the {@code seqguard.*} settings
     * @param customizers applied to each guard's configuration after the properties, in order
     * @param environment where the properties come from: their keys are checked, and
     *     {@code spring.application.name} names the application when {@code seqguard.application-name} is not set;
     *     null checks no keys
     * @param results where each guard's result is recorded
     */
    public SeqguardInitializer(Map<String, DataSource> dataSources, SeqguardProperties properties,
            List<SeqguardConfigurationCustomizer> customizers, Environment environment, SeqguardResults results) {
        this.dataSources = new LinkedHashMap<>(Objects.requireNonNull(dataSources, "dataSources"));
        this.properties = Objects.requireNonNull(properties, "properties");
        this.customizers = List.copyOf(customizers);
        this.environment = environment;
        this.results = Objects.requireNonNull(results, "results");
    }

    /** Runs the guards; see {@link #run()}. */
    @Override
    public void afterPropertiesSet() {
        run();
    }

    /**
     * Checks the configuration, then guards every DataSource bean once.
     *
     * @return the results, also kept in the {@link SeqguardResults} bean
     * @throws SeqguardConfigurationException when the configuration is wrong, before any guard has run
     * @throws SeqguardStartupException when a guard refuses start-up
     */
    public SeqguardResults run() {
        if (environment != null && !environment.getProperty(PropertyCheck.PREFIX + GuardOption.ENABLED.key(),
                Boolean.class, true)) {
            // the auto-configuration's condition already says so, except in an AOT-processed application, whose
            // conditions were evaluated at build time: the property is read again where it counts, at run time
            log.info("seqguard: " + PropertyCheck.PREFIX + GuardOption.ENABLED.key() + "=false: no DataSource is "
                    + "guarded");
            return results;
        }
        PropertyCheck check = environment == null ? PropertyCheck.none() : PropertyCheck.of(environment);
        Map<String, String> blocks = matchBlocks(check);
        List<Planned> planned = new ArrayList<>();
        Map<DataSource, String> guardedPools = new IdentityHashMap<>();
        for (Map.Entry<String, DataSource> entry : dataSources.entrySet()) {
            Planned plan = plan(entry.getKey(), entry.getValue(), blocks.get(entry.getKey()), guardedPools);
            if (plan != null) {
                planned.add(plan);
            }
        }
        this.planned.addAll(planned);
        for (Planned plan : planned) {
            guard(plan, ormStepsFollow, null);
        }
        return results;
    }

    /**
     * Says that Hibernate's ORM step follows this initializer (seqguard-hibernate and an EntityManagerFactory are
     * present): a run that is incomplete only because of sequences no column ties to their tables then waits for the
     * entities' mappings ({@link #guardOrm}) instead of stopping start-up, and {@link #checkOrmSteps()} stops it
     * when no ORM step came for that DataSource. Drift and every other refusal still stop start-up at once.
     */
    void expectOrmSteps() {
        this.ormStepsFollow = true;
    }

    /**
     * Uses the entities' mappings found while the EntityManagerFactories were built, when they were built before this
     * initializer runs ({@code spring.jpa.defer-datasource-initialization=true}): each DataSource's one run is then
     * complete.
     */
    void useOrmMappings(OrmMappings mappings) {
        this.ormMappings = mappings;
    }

    /**
     * The ORM step of one EntityManagerFactory: guards the DataSource it uses again, with the mappings found in
     * Hibernate's metamodel, and stops start-up on refusal. Runs inside the EntityManagerFactory's build, before any
     * bean can use it. A DataSource seqguard does not guard (disabled, not PostgreSQL) is left alone.
     *
     * @param pool the DataSource Hibernate uses
     * @param mappings the entities' sequences, tables and allocation rules
     * @throws SeqguardStartupException when the guard refuses start-up
     */
    void guardOrm(DataSource pool, List<io.seqguard.SequenceMapping> mappings) {
        for (Planned plan : planned) {
            if (plan.pool == pool || plan.pool == unwrapGuarded(pool)) {
                SeqguardStartupException waiting = pendingOrmStep.remove(plan.pool);
                // what the first run found: only the sequences the entities name are read again
                AlignmentReport earlier = waiting != null ? waiting.getGuardException().report()
                        : results.report(plan.name).orElse(null);
                plan.configuration.aligner(a -> a.mappings(mappings));
                StartupGuard guard;
                try {
                    guard = plan.configuration.load();
                } catch (IllegalStateException | IllegalArgumentException e) {
                    throw new SeqguardConfigurationException(null, e.getMessage() + " (DataSource '" + plan.name
                            + "').", "Change the properties named.", e);
                }
                log.info("seqguard: DataSource '" + plan.name + "': guarding again with the " + mappings.size()
                        + " sequence mapping(s) of Hibernate's entities");
                guard(new Planned(plan.name, plan.pool, plan.url, plan.prefix, plan.configuration, guard), false,
                        earlier);
                return;
            }
        }
        log.debug("seqguard: Hibernate's DataSource is not one seqguard guards; its ORM step does nothing");
    }

    /**
     * Stops start-up for a DataSource whose run was incomplete and that no ORM step verified again: every
     * EntityManagerFactory was built by the time this runs.
     *
     * @throws SeqguardStartupException the first such DataSource's refusal
     */
    void checkOrmSteps() {
        synchronized (pendingOrmStep) {
            for (SeqguardStartupException failure : pendingOrmStep.values()) {
                throw failure;
            }
        }
    }

    private static DataSource unwrapGuarded(DataSource pool) {
        return pool instanceof GuardedDataSource ? ((GuardedDataSource) pool).getDelegate() : pool;
    }

    /** A guard ready to run, its configuration checked. */
    private record Planned(String name, DataSource pool, String url, String prefix, GuardConfiguration configuration,
            StartupGuard guard) {
    }

    private Planned plan(String name, DataSource bean, String blockKey, Map<DataSource, String> guardedPools) {
        DataSourceGuard own = blockKey == null ? null : properties.datasources().get(blockKey);
        String prefix = blockKey == null ? PropertyCheck.PREFIX : PropertyCheck.DATASOURCES + blockKey + ".";
        Boolean enabled = own != null ? own.enabled() : null;
        if (Boolean.FALSE.equals(enabled)) {
            skip(name, prefix + "enabled=false");
            return null;
        }
        if (enabled == null && isRoutingDataSource(bean)) {
            skip(name, "a routing DataSource (its target DataSources are guarded when they are beans; set "
                    + PropertyCheck.DATASOURCES + (blockKey != null ? blockKey : name)
                    + ".enabled=true to guard the one it routes to by default)");
            return null;
        }
        DataSource pool = bean instanceof GuardedDataSource ? ((GuardedDataSource) bean).getDelegate() : bean;
        String sameAs = guardedPools.get(pool);
        if (sameAs != null) {
            skip(name, "the same pool as DataSource '" + sameAs + "', which is guarded");
            return null;
        }
        GuardConfiguration configuration = StartupGuard.configure().dataSource(pool).vocabulary(vocabulary(prefix));
        applyOptions(name, pool, own, prefix, configuration);
        if (configuration.getMode() != GuardMode.OFF) {
            String product = productName(pool);
            if (product != null && !product.equalsIgnoreCase("PostgreSQL")) {
                if (own != null) {
                    throw new SeqguardConfigurationException(prefix + "enabled", prefix.substring(0,
                            prefix.length() - 1) + " is configured, but DataSource '" + name + "' is " + product
                            + ", not PostgreSQL: seqguard guards PostgreSQL only.", "Remove the "
                            + prefix.substring(0, prefix.length() - 1) + ".* properties, or set " + prefix
                            + "enabled=false.", null);
                }
                skip(name, "not PostgreSQL (" + product + ")");
                return null;
            }
        }
        guardedPools.put(pool, name);
        List<io.seqguard.SequenceMapping> found = ormMappings == null ? List.of()
                : !ormMappings.get(bean).isEmpty() ? ormMappings.get(bean) : ormMappings.get(pool);
        if (!found.isEmpty()) {
            configuration.aligner(a -> a.mappings(found));
        }
        for (SeqguardConfigurationCustomizer customizer : customizers) {
            customizer.customize(name, configuration);
        }
        StartupGuard guard;
        try {
            guard = configuration.load();
        } catch (IllegalStateException | IllegalArgumentException e) {
            // values that contradict each other (the lock wait beyond the time limit), or a customizer's
            throw new SeqguardConfigurationException(null, e.getMessage() + " (DataSource '" + name + "').",
                    "Change the properties named (or the SeqguardConfigurationCustomizer that sets them).", e);
        }
        return new Planned(name, pool, describeUrl(pool), prefix, configuration, guard);
    }

    /**
     * How the core's messages name options for a DataSource whose settings are under {@code prefix}: as properties,
     * and what only code sets (the old primary as a witness) as the customizer that sets it.
     */
    static Vocabulary vocabulary(String prefix) {
        return Vocabulary.properties(prefix, "the application with " + prefix + "mode=repair",
                "a SeqguardConfigurationCustomizer bean calling");
    }

    /** Every option: the DataSource's own value where it has one, else the global one, under the key it came from. */
    private void applyOptions(String name, DataSource pool, DataSourceGuard own, String prefix,
            GuardConfiguration configuration) {
        for (GuardOption<?> option : GuardOption.all()) {
            if (option == GuardOption.ENABLED) {
                continue;
            }
            Object value = GuardOptions.own(own, option);
            String key = prefix + option.key();
            if (value == null) {
                value = GuardOptions.global(properties, option);
                key = PropertyCheck.PREFIX + option.key();
            }
            if (option == GuardOption.APPLICATION_NAME && value == null && environment != null) {
                value = environment.getProperty("spring.application.name");
                key = "spring.application.name";
            }
            if (option == GuardOption.JOBS) {
                value = jobsFor(name, pool, (Integer) value, key, prefix, configuration.getMode());
            }
            String property = key;
            GuardOptions.set(configuration, option, value, key,
                    () -> environment == null ? "" : PropertyCheck.origin(environment, property));
        }
    }

    /**
     * Runs one guard and records its result.
     *
     * @param incompleteMayWait whether an incomplete run waits for the ORM step instead of stopping start-up
     * @param earlier the report of this DataSource's first run, for the ORM step's run, which reads only the sequences
     *     the entities name and reports them in that report's place; null for a first run
     */
    private void guard(Planned plan, boolean incompleteMayWait, AlignmentReport earlier) {
        if (dataSources.size() > 1) {
            log.info("seqguard: guarding DataSource '" + plan.name + "'" + (plan.url != null ? " (" + plan.url + ")"
                    : "") + ", mode " + plan.configuration.getMode().name().toLowerCase(Locale.ROOT));
        } else if (log.isDebugEnabled()) {
            log.debug("seqguard: guarding DataSource '" + plan.name + "'" + (plan.url != null ? " (" + plan.url + ")"
                    : ""));
        }
        long t0 = System.nanoTime();
        GuardResult result;
        try {
            // a first run the ORM step may complete journals no failure for what only mappings lift
            result = earlier != null ? plan.guard.runAgain(earlier)
                    : incompleteMayWait ? plan.guard.runBeforeMappings() : plan.guard.run();
        } catch (StartupGuardException e) {
            boolean waits = incompleteMayWait && e.isOnlyForWantOfMappings();
            SeqguardStartupException failure = new SeqguardStartupException(plan.name,
                    plan.configuration.getMode(), plan.url, describeUser(plan.pool), plan.prefix,
                    incompleteMayWait && !waits, e);
            if (waits) {
                // Hibernate's metamodel will tie its sequences to their columns: the ORM step decides
                log.info("seqguard: DataSource '" + plan.name + "': " + e.report().unverified().size()
                        + " sequence(s) used by no column, not verified yet; the ORM step judges again those "
                        + "Hibernate's entities use, and stops start-up if any stays unverified");
                pendingOrmStep.put(plan.pool, failure);
                return;
            }
            results.recordFailure(plan.name, failure, Duration.ofNanos(System.nanoTime() - t0));
            throw failure;
        }
        // after a first run, this one's report holds both: what the first one moved shows as moved
        results.record(plan.name, result);
    }

    private void skip(String name, String reason) {
        log.info("seqguard: DataSource '" + name + "' is not guarded: " + reason);
        results.recordUnguarded(name, reason);
    }

    /**
     * Finds the DataSource bean for each {@code seqguard.datasources} key: the exact bean name, else the one it
     * matches ignoring case and punctuation (environment variables and kebab-case keys), so that
     * {@code reporting-data-source} reaches {@code reportingDataSource}.
     *
     * @return the key of each bean that has its own block
     * @throws SeqguardConfigurationException naming a key that matches no bean, or two keys for one bean
     */
    private Map<String, String> matchBlocks(PropertyCheck check) {
                Map<String, String> byBean = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : properties.datasources().keySet()) {
            String bean = beanFor(key);
            if (bean == null) {
                if (check.isFromEnvironmentOnly(key)) {
                    log.warn("seqguard: environment variables set " + PropertyCheck.DATASOURCES + key + ".*, but "
                            + "there is no DataSource bean named '" + key + "'; they are ignored. DataSource beans: "
                            + dataSources.keySet());
                } else {
                    unknown.add(key);
                }
            } else if (byBean.putIfAbsent(bean, key) != null) {
                throw new SeqguardConfigurationException(PropertyCheck.DATASOURCES + key, PropertyCheck.DATASOURCES
                        + byBean.get(bean) + " and " + PropertyCheck.DATASOURCES + key + " both configure DataSource '"
                        + bean + "'.", "Keep one of them.", null);
            }
        }
        if (!unknown.isEmpty()) {
            String first = PropertyCheck.DATASOURCES + unknown.get(0);
            throw new SeqguardConfigurationException(first, (unknown.size() == 1 ? first
                    + check.dataSourceOrigin(unknown.get(0)) + ": there is no DataSource bean named '" + unknown.get(0)
                    + "'." : "There are no DataSource beans named " + unknown + ".")
                    + " The names under " + PropertyCheck.DATASOURCES + "<name> must be DataSource bean names, so "
                    + "that a misspelt one does not leave its DataSource on the global settings.",
                    "Use one of this application's DataSource beans: " + new TreeSet<>(dataSources.keySet()) + ".",
                    null);
        }
        return byBean;
    }

    private String beanFor(String key) {
        if (dataSources.containsKey(key)) {
            return key;
        }
        for (String candidate : dataSources.keySet()) {
            if (PropertyCheck.uniform(candidate).equals(PropertyCheck.uniform(key))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The guard borrows one connection for its lock and the aligner up to jobs more. When the pool is a Hikari pool
     * that lends fewer, read with fewer jobs rather than leave a helper waiting for the pool's connection timeout;
     * when it lends only one, say so now rather than time out later.
     */
    private Integer jobsFor(String name, DataSource pool, Integer jobs, String key, String prefix, GuardMode mode) {
        if (jobs == null || mode == GuardMode.OFF || !ClassUtils.isPresent(HIKARI, getClass().getClassLoader())) {
            return jobs;
        }
        Integer max = HikariPools.maximumPoolSize(pool);
        if (max == null || GuardConfiguration.jobsWithin(jobs, max) == jobs) {
            return jobs;
        }
        int fewer = GuardConfiguration.jobsWithin(jobs, max);
        if (fewer == 0) {
            throw new SeqguardConfigurationException("spring.datasource.hikari.maximum-pool-size", "DataSource '"
                    + name + "' is a Hikari pool of at most " + max + " connection, but seqguard's startup guard needs "
                    + "2 at once (one holds its lock, one reads).", "Raise its maximum pool size "
                    + "(spring.datasource.hikari.maximum-pool-size for the auto-configured one) to 2 or more, or set "
                    + prefix + "enabled=false.", null);
        }
        log.info("seqguard: DataSource '" + name + "' lends at most " + max + " connections; reading with " + fewer
                + " job(s) instead of " + jobs + " (" + key + ")");
        return fewer;
    }

    private static boolean isRoutingDataSource(DataSource dataSource) {
        if (!ClassUtils.isPresent(ROUTING_DATA_SOURCE, SeqguardInitializer.class.getClassLoader())) {
            return false;
        }
        try {
            Class<?> routing = ClassUtils.forName(ROUTING_DATA_SOURCE, SeqguardInitializer.class.getClassLoader());
            return routing.isInstance(dataSource) || dataSource.isWrapperFor(routing);
        } catch (ClassNotFoundException | LinkageError | SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The database product behind the pool: from its JDBC URL when it says PostgreSQL, else from a connection's
     * metadata; null when neither tells (the guard then connects and explains what fails).
     */
    private static String productName(DataSource pool) {
        String url = readProperty(pool, "jdbcUrl", "url", "URL");
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return "PostgreSQL";
        }
        try (Connection connection = pool.getConnection()) {
            return connection.getMetaData().getDatabaseProductName();
        } catch (SQLException | RuntimeException e) {
            log.debug("seqguard: could not read the database product name", e);
            return null;
        }
    }

    /** The pool's JDBC URL without credentials, for messages; null when the pool does not expose it. */
    static String describeUrl(DataSource dataSource) {
        String url = readProperty(dataSource, "jdbcUrl", "url", "URL");
        if (url == null) {
            return null;
        }
        return url.replaceAll("(?i)([?&;])(password|sslpassword)=[^&;]*[&;]?", "$1").replaceAll("[?&;]$", "");
    }

    /** The pool's user name, for messages; null when the pool does not expose it. */
    static String describeUser(DataSource dataSource) {
        return readProperty(dataSource, "username", "user");
    }

    private static String readProperty(DataSource dataSource, String... names) {
        try {
            BeanWrapper wrapper = new BeanWrapperImpl(dataSource);
            for (String name : names) {
                if (wrapper.isReadableProperty(name)) {
                    Object value = wrapper.getPropertyValue(name);
                    if (value instanceof String && !((String) value).isBlank()) {
                        return (String) value;
                    }
                }
            }
        } catch (RuntimeException e) {
            // not a bean we can read: the message does without it
        }
        return null;
    }

    /** Kept apart so that HikariCP stays optional. */
    private static final class HikariPools {

        static Integer maximumPoolSize(DataSource pool) {
            try {
                if (pool instanceof com.zaxxer.hikari.HikariConfigMXBean) {
                    return ((com.zaxxer.hikari.HikariConfigMXBean) pool).getMaximumPoolSize();
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
