package io.seqguard.spring.boot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot application as users write them: Flyway migrations, JPA entities (one with a pooled sequence
 * generator, one with an identity column) and a JdbcTemplate, with seqguard's starter on the classpath and no other
 * change.
 */
@SpringBootApplication
public class ShopApplication {
}
