package io.seqguard.spring.boot.autoconfigure;

/**
 * The {@code seqguard.*} configuration is wrong: a key that is no seqguard property, a value out of range, a
 * {@code seqguard.datasources} name that is no DataSource bean, or a block for a DataSource that is not PostgreSQL.
 * Thrown before any guard runs, so that nothing was checked or repaired yet; Spring Boot reports it through a
 * failure analysis that names the property and what is accepted.
 */
public class SeqguardConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The property at fault, as the user wrote it. */
    private final String property;
    /** What is wrong. */
    private final String description;
    /** What to do. */
    private final String action;

    SeqguardConfigurationException(String property, String description, String action, Throwable cause) {
        super(description + " " + action, cause);
        this.property = property;
        this.description = description;
        this.action = action;
    }

    /**
     * {@return the property as the user wrote it (the first, when several are wrong), for example {@code
     * seqguard.jobs}; null when no single property is at fault (values that contradict each other)}
     */
    public String getProperty() {
        return property;
    }

    /** {@return what is wrong} */
    public String getDescription() {
        return description;
    }

    /** {@return what to do: the accepted keys or values} */
    public String getAction() {
        return action;
    }
}
