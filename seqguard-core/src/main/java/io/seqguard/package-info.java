/**
 * seqguard's API: {@link io.seqguard.SequenceAligner} to verify, plan and repair sequences against their data, its
 * configuration and reports, and the start-up guard built on it. Everything a user calls lives in this package;
 * {@code io.seqguard.internal} is not API and may change in any release.
 */
package io.seqguard;
