package io.seqguard.cli;

import io.seqguard.GuardOption;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way every seqguard interface does ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h},
 * ISO-8601 {@code PT10S}): through the option model's own rule, so the command line and the properties agree.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        if (value.strip().matches("\\d+")) {
            // the properties read a bare number as milliseconds, as Spring does; on a command line "10" is more
            // likely meant as seconds, so the unit is asked for rather than guessed
            throw new TypeConversionException("'" + value + "' has no unit: write " + value + "s, " + value
                    + "ms or " + value + "m");
        }
        try {
            return GuardOption.LOCK_TIMEOUT.parse(value, "duration");
        } catch (IllegalArgumentException e) {
            // picocli names the option itself; keep only what is wrong with the value
            throw new TypeConversionException(e.getMessage().substring("duration: ".length()));
        }
    }
}
