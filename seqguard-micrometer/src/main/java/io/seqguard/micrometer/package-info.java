/**
 * The startup guard's Micrometer meters ({@link io.seqguard.micrometer.SeqguardMeters}), defined once for seqguard's
 * framework modules, each of which keeps its guard runs as {@link io.seqguard.micrometer.GuardRuns}.
 */
package io.seqguard.micrometer;
