/**
 * The startup guard's Micrometer meters ({@link io.seqguard.micrometer.SeqguardMeters}), defined once for seqguard's
 * framework modules, each of which registers them over its own record of the guard's runs.
 */
package io.seqguard.micrometer;
