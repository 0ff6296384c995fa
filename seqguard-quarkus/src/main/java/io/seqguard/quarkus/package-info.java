/**
 * seqguard for Quarkus: every PostgreSQL datasource is guarded at runtime init, after quarkus-flyway's and
 * quarkus-liquibase's migrations and before Hibernate ORM or any bean can write. Configure it with
 * {@code quarkus.seqguard.*}; adjust it in code with a {@link io.seqguard.quarkus.SeqguardConfigurationCustomizer}.
 */
package io.seqguard.quarkus;
