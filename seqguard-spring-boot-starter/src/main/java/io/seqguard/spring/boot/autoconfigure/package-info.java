/**
 * Spring Boot auto-configuration of seqguard's startup guard: {@link
 * io.seqguard.spring.boot.autoconfigure.SeqguardAutoConfiguration}, the {@code seqguard.*} properties ({@link
 * io.seqguard.spring.boot.autoconfigure.SeqguardProperties}), the initializer that guards every DataSource bean
 * between the schema initializers and the database's users ({@link
 * io.seqguard.spring.boot.autoconfigure.SeqguardInitializer}), the customization hook ({@link
 * io.seqguard.spring.boot.autoconfigure.SeqguardConfigurationCustomizer}) and the failure analysis of a refused
 * start-up.
 */
package io.seqguard.spring.boot.autoconfigure;
