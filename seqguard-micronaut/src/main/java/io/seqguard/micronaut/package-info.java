/**
 * seqguard for Micronaut 4: add the dependency and every PostgreSQL {@link javax.sql.DataSource} bean is guarded when
 * it is created, after Micronaut Flyway's migrations and before any repository or {@code @Transactional} code can
 * write through a sequence that lags its data.
 *
 * <ul>
 *   <li>{@link io.seqguard.micronaut.SeqguardDataSourceListener}: runs the core
 *       {@link io.seqguard.StartupGuard} on each data source bean; {@code seqguard.enabled=false} turns it off.</li>
 *   <li>The properties: every {@link io.seqguard.GuardOption} as {@code seqguard.<key>} for every data source and
 *       {@code seqguard.datasources.<name>.<key>} for one, checked before any guard runs.</li>
 *   <li>{@link io.seqguard.micronaut.SeqguardConfigurationCustomizer}: what properties cannot say.</li>
 *   <li>{@link io.seqguard.micronaut.SeqguardStartupException}: a refusal, naming the data source.</li>
 *   <li>{@link io.seqguard.micronaut.SeqguardRuns}: what the guard did, per data source.</li>
 *   <li>{@link io.seqguard.micronaut.SeqguardHealthIndicator} (with micronaut-management) and
 *       {@link io.seqguard.micronaut.SeqguardMetrics} (with Micrometer).</li>
 * </ul>
 */
package io.seqguard.micronaut;
