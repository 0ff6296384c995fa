/**
 * Actuator support for seqguard's startup guard: the {@code seqguard} health contributor and the Micrometer meters
 * {@code seqguard.sequences}, {@code seqguard.range.used.max} and {@code seqguard.guard.duration}.
 */
package io.seqguard.spring.boot.actuate;
