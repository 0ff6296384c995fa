package io.seqguard.quarkus;

import io.seqguard.StartupGuardException;

/**
 * The startup guard refused to let the application start on one Quarkus datasource. The message is the guard's own
 * (its advice names the {@code quarkus.seqguard.*} keys), with the datasource named first; the guard's exception,
 * with its reason, report, standby flag and subscriptions, is the cause ({@link #getGuardException()}).
 */
public class SeqguardStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The datasource's name. */
    private final String dataSourceName;

    /**
     * @param dataSourceName the datasource's name, {@code <default>} for the default one
     * @param cause the guard's refusal
     */
    public SeqguardStartupException(String dataSourceName, StartupGuardException cause) {
        super("Quarkus datasource '" + dataSourceName + "': " + cause.getMessage(), cause);
        this.dataSourceName = dataSourceName;
    }

    /** {@return the datasource's name, {@code <default>} for the default one} */
    public String getDataSourceName() {
        return dataSourceName;
    }

    /** {@return the guard's refusal, with its reason, report, standby flag and enabled subscriptions} */
    public StartupGuardException getGuardException() {
        return (StartupGuardException) getCause();
    }
}
