package io.seqguard.micronaut;

import io.seqguard.StartupGuardException;

/**
 * The startup guard refused to let the application start on one Micronaut data source. The message is the guard's
 * own (in the application's property names), with the data source named first; the guard's exception, with its
 * reason, report, standby flag and subscriptions, is the cause ({@link #getGuardException()}).
 */
public class SeqguardStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The data source's name. */
    private final String dataSourceName;
    /** Where the data source's settings are. */
    private final String propertyPrefix;

    SeqguardStartupException(String dataSourceName, String propertyPrefix, StartupGuardException cause) {
        super("Micronaut data source '" + dataSourceName + "': " + cause.getMessage()
                + acknowledgement(propertyPrefix, cause), cause);
        this.dataSourceName = dataSourceName;
        this.propertyPrefix = propertyPrefix;
    }

    /** For an incomplete run, the properties that acknowledge its unverified sequences, with their names. */
    private static String acknowledgement(String prefix, StartupGuardException cause) {
        if (cause.reason() != StartupGuardException.Reason.INCOMPLETE || cause.report() == null) {
            return "";
        }
        String names = String.join(",", cause.report().acknowledgingAll());
        return "\nTo acknowledge the ones that are knowingly not verified (a value only application code hands out), "
                + "set " + prefix + "allow-unverified=" + names + "; to start while they stay unverified (the "
                + "health endpoint then lists them), set " + prefix + "on-incomplete=warn.";
    }

    /** {@return the data source's name, for example {@code default}} */
    public String getDataSourceName() {
        return dataSourceName;
    }

    /**
     * {@return where this data source's settings are, as the message names them: {@code seqguard.datasources.<name>.}
     * when it has its own, else {@code seqguard.}}
     */
    public String getPropertyPrefix() {
        return propertyPrefix;
    }

    /** {@return the guard's refusal, with its reason, report, standby flag and enabled subscriptions} */
    public StartupGuardException getGuardException() {
        return (StartupGuardException) getCause();
    }
}
