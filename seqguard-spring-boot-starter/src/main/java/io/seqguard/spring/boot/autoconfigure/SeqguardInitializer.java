package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardConfiguration;
import io.seqguard.GuardMode;
import io.seqguard.GuardResult;
import io.seqguard.GuardedDataSource;
import io.seqguard.StartupGuard;
import io.seqguard.StartupGuardException;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.util.ClassUtils;

/**
 * Runs seqguard's {@link StartupGuard} on every DataSource bean when it is initialized, the way Spring Boot's
 * {@code FlywayMigrationInitializer} runs Flyway. It is a database initializer in Spring Boot's sense: its
 * {@code DatabaseInitializerDetector} makes it wait for Flyway, Liquibase and SQL init scripts, and makes every bean
 * that depends on database initialization (JdbcTemplate, JdbcClient, the JPA EntityManagerFactory, Spring Data JDBC,
 * jOOQ's DSLContext) wait for it.
 *
 * <p>For each DataSource bean, in bean definition order: the bean's settings ({@code seqguard.*} with
 * {@code seqguard.datasources.<name>.*} over them) and the {@link SeqguardConfigurationCustomizer customizers} make a
 * {@link GuardConfiguration}; its guard runs on the pool itself; the {@link GuardResult} goes to
 * {@link SeqguardResults}. A refusal stops start-up with a {@link SeqguardStartupException}. Not guarded: beans with
 * {@code enabled=false}, routing DataSources unless enabled explicitly, and a pool already guarded under another
 * bean name.
 */
public class SeqguardInitializer implements InitializingBean {

    private static final Log log = LogFactory.getLog(SeqguardInitializer.class);

    private static final String ROUTING_DATA_SOURCE =
            "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource";
    private static final String HIKARI = "com.zaxxer.hikari.HikariConfigMXBean";

    private final Map<String, DataSource> dataSources;
    private final SeqguardProperties properties;
    private final List<SeqguardConfigurationCustomizer> customizers;
    private final String defaultApplicationName;
    private final SeqguardResults results;

    /**
     * @param dataSources the DataSource beans to guard, by bean name, in the order to guard them
     * @param properties the {@code seqguard.*} settings
     * @param customizers applied to each guard's configuration after the properties, in order
     * @param defaultApplicationName the application name when {@code seqguard.application-name} is not set (Spring
     *     Boot passes {@code spring.application.name}); may be null
     * @param results where each guard's result is recorded
     */
    public SeqguardInitializer(Map<String, DataSource> dataSources, SeqguardProperties properties,
            List<SeqguardConfigurationCustomizer> customizers, String defaultApplicationName,
            SeqguardResults results) {
        this.dataSources = new LinkedHashMap<>(Objects.requireNonNull(dataSources, "dataSources"));
        this.properties = Objects.requireNonNull(properties, "properties");
        this.customizers = List.copyOf(customizers);
        this.defaultApplicationName = defaultApplicationName;
        this.results = Objects.requireNonNull(results, "results");
    }

    /** Runs the guards; see {@link #run()}. */
    @Override
    public void afterPropertiesSet() {
        run();
    }

    /**
     * Guards every DataSource bean once.
     *
     * @return the results, also kept in the {@link SeqguardResults} bean
     * @throws SeqguardStartupException when a guard refuses start-up
     * @throws IllegalStateException when {@code seqguard.datasources} names a bean that is not a DataSource, or a
     *     pool is too small for the guard
     * @throws org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException naming
     *     the property whose value is invalid
     */
    public SeqguardResults run() {
        Map<String, String> overrideKeys = matchOverrides();
        Map<DataSource, String> guardedPools = new IdentityHashMap<>();
        for (Map.Entry<String, DataSource> entry : dataSources.entrySet()) {
            String name = entry.getKey();
            String key = overrideKeys.getOrDefault(name, name);
            GuardSettings settings = new GuardSettings(name, key, properties, properties.getDatasources().get(key));
            guard(name, entry.getValue(), settings, guardedPools);
        }
        return results;
    }

    private void guard(String name, DataSource bean, GuardSettings settings, Map<DataSource, String> guardedPools) {
        Boolean enabled = settings.enabledOverride();
        if (Boolean.FALSE.equals(enabled)) {
            skip(name, settings.ownPrefix() + "enabled=false");
            return;
        }
        if (enabled == null && isRoutingDataSource(bean)) {
            skip(name, "a routing DataSource (its target DataSources are guarded when they are beans; set "
                    + settings.ownPrefix() + "enabled=true to guard the one it routes to by default)");
            return;
        }
        DataSource pool = bean instanceof GuardedDataSource ? ((GuardedDataSource) bean).getDelegate() : bean;
        String sameAs = guardedPools.get(pool);
        if (sameAs != null) {
            skip(name, "the same pool as DataSource '" + sameAs + "', which is guarded");
            return;
        }
        guardedPools.put(pool, name);
        String url = describeUrl(pool);
        int jobs = jobsFor(name, pool, settings);
        GuardConfiguration configuration = StartupGuard.configure().dataSource(pool);
        settings.applyTo(configuration, defaultApplicationName, jobs);
        for (SeqguardConfigurationCustomizer customizer : customizers) {
            customizer.customize(name, configuration);
        }
        StartupGuard guard = configuration.load();
        if (dataSources.size() > 1) {
            log.info("seqguard: guarding DataSource '" + name + "'" + (url != null ? " (" + url + ")" : "")
                    + ", mode " + configuration.getMode().name().toLowerCase(Locale.ROOT));
        } else if (log.isDebugEnabled()) {
            log.debug("seqguard: guarding DataSource '" + name + "'" + (url != null ? " (" + url + ")" : ""));
        }
        GuardResult result;
        try {
            result = guard.run();
        } catch (StartupGuardException e) {
            throw new SeqguardStartupException(name, configuration.getMode(), url, describeUser(pool), e);
        }
        results.record(name, result);
    }

    private void skip(String name, String reason) {
        log.info("seqguard: DataSource '" + name + "' is not guarded: " + reason);
        results.recordUnguarded(name, reason);
    }

    /**
     * Finds the DataSource bean for each {@code seqguard.datasources} key: the exact bean name, else the one it
     * matches ignoring case and punctuation (environment variables and kebab-case keys), so that
     * {@code reporting-data-source} reaches {@code reportingDataSource}.
     */
    private Map<String, String> matchOverrides() {
        Map<String, String> byBean = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : properties.getDatasources().keySet()) {
            String bean = dataSources.containsKey(key) ? key : null;
            if (bean == null) {
                for (String candidate : dataSources.keySet()) {
                    if (canonical(candidate).equals(canonical(key))) {
                        bean = candidate;
                        break;
                    }
                }
            }
            if (bean == null) {
                unknown.add(key);
            } else if (byBean.putIfAbsent(bean, key) != null) {
                throw new IllegalStateException("seqguard.datasources." + byBean.get(bean)
                        + " and seqguard.datasources." + key + " both configure DataSource '" + bean
                        + "'; keep one of them");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("seqguard.datasources." + unknown.get(0) + ": there is no DataSource bean "
                    + "named '" + unknown.get(0) + "'. The keys under seqguard.datasources must be DataSource bean "
                    + "names; this application's are " + dataSources.keySet() + ".");
        }
        return byBean;
    }

    private static String canonical(String name) {
        return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The guard borrows one connection for its lock and the aligner up to jobs more. When the pool is a Hikari pool
     * that lends fewer, read with fewer jobs rather than leave a helper waiting for the pool's connection timeout;
     * when it lends only one, say so now rather than time out later.
     */
    private int jobsFor(String name, DataSource pool, GuardSettings settings) {
        int jobs = settings.jobs();
        if (settings.mode() == GuardMode.OFF || !ClassUtils.isPresent(HIKARI, getClass().getClassLoader())) {
            return jobs;
        }
        Integer max = HikariPools.maximumPoolSize(pool);
        if (max == null || jobs + 1 <= max) {
            return jobs;
        }
        if (max < 2) {
            throw new IllegalStateException("DataSource '" + name + "' is a Hikari pool of at most " + max
                    + " connection, but seqguard's startup guard needs 2 at once (one holds its lock, one reads). "
                    + "Raise its maximum pool size (spring.datasource.hikari.maximum-pool-size for the auto-configured "
                    + "one) to 2 or more, or set " + settings.ownPrefix() + "enabled=false.");
        }
        int fewer = max - 1;
        log.info("seqguard: DataSource '" + name + "' lends at most " + max + " connections; reading with " + fewer
                + " job(s) instead of " + jobs + " (" + settings.jobsProperty() + ")");
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
