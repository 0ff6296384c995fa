package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardMode;
import io.seqguard.StartupGuardException;

/**
 * The startup guard refused to let the application start on one DataSource bean. Spring Boot reports it through
 * {@link SeqguardFailureAnalyzer}: what is wrong, which sequences, and the property to change or the command to run.
 * The guard's own exception, with its reason, report, standby flag and subscriptions, is the cause.
 */
public class SeqguardStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The DataSource bean's name. */
    private final String dataSourceName;
    /** Its JDBC URL, for messages; may be null. */
    private final String jdbcUrl;
    /** Its user, for messages; may be null. */
    private final String username;
    /** The mode in force for it. */
    private final GuardMode mode;
    /** Where its settings are: its own block, or the global one. */
    private final String propertyPrefix;
    /** Whether the refusal came before Hibernate's ORM step, which would have guarded the DataSource again. */
    private final boolean beforeOrmStep;

    /**
     * @param dataSourceName the DataSource bean
     * @param mode the guard's configured mode
     * @param jdbcUrl its JDBC URL without credentials, when it can be read from the pool; else null
     * @param username the user it connects as, when it can be read from the pool; else null
     * @param propertyPrefix where its settings are: {@code seqguard.datasources.<key>.} when it has its own, else
     *     {@code seqguard.}
     * @param beforeOrmStep whether the refusal comes before Hibernate's ORM step, which would have guarded it again
     *     with the entities' mappings
     * @param cause the guard's refusal
     */
    SeqguardStartupException(String dataSourceName, GuardMode mode, String jdbcUrl, String username,
            String propertyPrefix, boolean beforeOrmStep, StartupGuardException cause) {
        super("seqguard startup guard refused start-up on DataSource '" + dataSourceName + "'"
                + (jdbcUrl != null ? " (" + jdbcUrl + ")" : "") + ": " + summary(cause.getMessage()), cause);
        this.dataSourceName = dataSourceName;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.mode = mode;
        this.propertyPrefix = propertyPrefix;
        this.beforeOrmStep = beforeOrmStep;
    }

    /**
     * The refusal's first line. Spring logs this message twice as a start-up fails (the bean that failed, then the
     * context) before Spring Boot's failure analysis prints the whole refusal: the list and its fix are said once,
     * there and in the cause.
     */
    private static String summary(String refusal) {
        int lineEnd = refusal.indexOf('\n');
        if (lineEnd < 0) {
            return refusal;
        }
        String first = refusal.substring(0, lineEnd).strip();
        return (first.endsWith(":") ? first.substring(0, first.length() - 1) : first)
                + " (the sequences and the fix follow in Spring Boot's failure analysis and in this exception's cause)";
    }

    /**
     * {@return whether the refusal came before Hibernate's ORM step, which would have guarded the DataSource again with
     * the entities' mappings: a sequence only an entity ties to its table is then listed as used by no column}
     */
    public boolean isBeforeOrmStep() {
        return beforeOrmStep;
    }

    /** {@return the guard's configured mode} */
    public GuardMode getMode() {
        return mode;
    }

    /** {@return the DataSource bean} */
    public String getDataSourceName() {
        return dataSourceName;
    }

    /** {@return its JDBC URL without credentials; null when the pool does not tell} */
    public String getJdbcUrl() {
        return jdbcUrl;
    }

    /** {@return the user it connects as; null when the pool does not tell} */
    public String getUsername() {
        return username;
    }

    /**
     * {@return where this DataSource's settings are, as messages name them: {@code seqguard.datasources.<key>.} when it
     * has its own, else {@code seqguard.}}
     */
    public String getPropertyPrefix() {
        return propertyPrefix;
    }

    /** {@return the guard's refusal, with its reason and report} */
    public StartupGuardException getGuardException() {
        return (StartupGuardException) getCause();
    }
}
