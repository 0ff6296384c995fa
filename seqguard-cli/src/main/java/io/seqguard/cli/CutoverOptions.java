package io.seqguard.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options only {@code cutover} has; the old primary is {@code --source}. */
final class CutoverOptions {

    @Option(names = "--subscription", required = true, paramLabel = "NAME",
            description = "The new primary's subscription to the old primary, as pg_subscription names it.")
    String subscription;

    @Option(names = "--disable-subscription",
            description = "Disable the subscription once everything has arrived (without it the cutover stops before "
                    + "the repair and prints the statement to run).")
    boolean disableSubscription;

    @Option(names = "--catch-up-timeout", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "Longest wait for the subscription to catch up (default: ${DEFAULT-VALUE}).")
    Duration catchUpTimeout;
}
