package io.seqguard.micronaut;

import io.seqguard.StartupGuardException;
import java.util.List;

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

    /**
     * @param beforeOrmStep whether the refusal comes before Hibernate's ORM step, which would have guarded the data
     *     source again with the entities' mappings: the message then says that a sequence only an entity uses needs
     *     no mapping, and does not offer it for acknowledgement
     */
    SeqguardStartupException(String dataSourceName, String propertyPrefix, boolean beforeOrmStep,
            StartupGuardException cause) {
        super("Micronaut data source '" + dataSourceName + "': " + cause.getMessage()
                + acknowledgement(propertyPrefix, beforeOrmStep, cause), cause);
        this.dataSourceName = dataSourceName;
        this.propertyPrefix = propertyPrefix;
    }

    /**
     * For an incomplete run, the properties that acknowledge its unverified sequences, with their names: not the ones
     * whose data could not be read, nor before the ORM step the ones it would judge.
     */
    private static String acknowledgement(String prefix, boolean beforeOrmStep, StartupGuardException cause) {
        boolean ormJudges = beforeOrmStep && !cause.unverifiedForWantOfMappings().isEmpty();
        String note = ormJudges ? "\n" + cause.beforeOrmStepNote() : "";
        if (cause.reason() != StartupGuardException.Reason.INCOMPLETE || cause.report() == null) {
            return note;
        }
        List<String> acknowledgeable = cause.acknowledgeable(ormJudges);
        String warn = "start while they stay unverified (the health endpoint then lists them), set " + prefix
                + "on-incomplete=warn.";
        return note + "\n" + (acknowledgeable.isEmpty() ? "To " + warn : "To acknowledge the "
                + (ormJudges ? "other " : "") + "ones that are knowingly not verified (a value only application code "
                + "hands out), set " + prefix + "allow-unverified=" + String.join(",", acknowledgeable) + "; to "
                + warn);
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
