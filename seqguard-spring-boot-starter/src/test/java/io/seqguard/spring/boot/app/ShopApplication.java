package io.seqguard.spring.boot.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot application as users write them: Flyway migrations, JPA entities (one with a pooled sequence
 * generator, one with an identity column) and a JdbcTemplate, with seqguard's starter on the classpath and no other
 * change.
 */
@SpringBootApplication
public class ShopApplication {

    /**
     * Starts the shop as users start theirs (Spring AOT's processor and an AOT-processed run start it this way).
     *
     * @param args the command line: {@code --property=value} arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
