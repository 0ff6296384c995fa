/**
 * What the seqguard Quarkus extension runs: its configuration, the recorder its build steps call, the guard runs and
 * what the readiness check and the metrics read from them. Public because Quarkus requires it; applications use
 * {@link io.seqguard.quarkus} and the {@code quarkus.seqguard.*} keys.
 */
package io.seqguard.quarkus.runtime;
