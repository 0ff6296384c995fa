package io.seqguard.spring.boot.autoconfigure;

import io.seqguard.GuardMode;
import io.seqguard.StartupGuardException;

/**
 * The startup guard refused to let the application start on one DataSource bean. Spring Boot reports it through
 * {@link SeqguardFailureAnalyzer}: what is wrong, which sequences, and the property to change or the command to run.
 */
public class SeqguardStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The DataSource bean. */
    private final String dataSourceName;
    /** Its JDBC URL without credentials; null when the pool does not tell. */
    private final String jdbcUrl;
    /** The user it connects as; null when the pool does not tell. */
    private final String username;
    /** The guard's configured mode. */
    private final GuardMode mode;

    /**
     * @param dataSourceName the DataSource bean
     * @param mode the guard's configured mode
     * @param jdbcUrl its JDBC URL without credentials, when it can be read from the pool; else null
     * @param username the user it connects as, when it can be read from the pool; else null
     * @param cause the guard's refusal
     */
    public SeqguardStartupException(String dataSourceName, GuardMode mode, String jdbcUrl, String username,
            StartupGuardException cause) {
        super("seqguard startup guard refused start-up on DataSource '" + dataSourceName + "'"
                + (jdbcUrl != null ? " (" + jdbcUrl + ")" : "") + ": " + cause.getMessage(), cause);
        this.dataSourceName = dataSourceName;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.mode = mode;
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

    /** {@return the guard's refusal, with its reason and report} */
    public StartupGuardException getGuardException() {
        return (StartupGuardException) getCause();
    }
}
