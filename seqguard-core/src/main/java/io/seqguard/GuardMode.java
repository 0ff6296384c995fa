package io.seqguard;

import java.util.Locale;
import java.util.Objects;

/** What the {@link StartupGuard} does at start-up. */
public enum GuardMode {
    /**
     * Moves every lagging sequence forward (forward-only, idempotent), then lets the application start. The default:
     * a forward-only change is always safe, and the lesson of a cutover is "reset all sequences".
     */
    REPAIR,
    /**
     * Changes nothing; fails start-up when a sequence lags its data, with a message listing each lagging sequence and
     * the statement that fixes it.
     */
    VERIFY,
    /** Does nothing, touches no connection. */
    OFF;

    /**
     * Reads a mode from configuration text, ignoring case and surrounding blanks: {@code repair}, {@code verify},
     * {@code off}. {@code false} also means {@link #OFF}, since YAML 1.1 reads a bare {@code off} as a boolean.
     *
     * @param text the configured value
     * @return the mode
     * @throws IllegalArgumentException naming the property {@code mode} and the accepted values
     */
    public static GuardMode parse(String text) {
        Objects.requireNonNull(text, "mode must not be null");
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "repair":
                return REPAIR;
            case "verify":
                return VERIFY;
            case "off":
            case "false":
                return OFF;
            default:
                throw new IllegalArgumentException("mode: '" + text
                        + "' is not a guard mode; use repair, verify or off");
        }
    }
}
