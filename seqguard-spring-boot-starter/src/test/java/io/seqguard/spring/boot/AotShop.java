package io.seqguard.spring.boot;

import io.seqguard.spring.boot.app.ShopApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The shop with {@link OrmStepTests}' early writers ({@code @PostConstruct} through a repository, a JdbcTemplate in a
 * constructor, the raw DataSource, {@code SmartInitializingSingleton}, {@code CommandLineRunner}) and a
 * {@link FirstWriter} before all of them, started from a main method as Spring AOT's processor and an AOT-processed
 * run start an application.
 */
public final class AotShop {

    private AotShop() {
    }

    /**
     * Starts the shop.
     *
     * @param args the command line: {@code --property=value} arguments
     */
    public static void main(String[] args) {
        new SpringApplicationBuilder(FirstWriter.class, ShopApplication.class, OrmStepTests.EarlyWrites.Config.class)
                .run(args);
    }

    /**
     * The first bean of the context (a primary source is registered before anything component scanning finds),
     * which writes an invoice with {@code nextval('invoice_seq')} through JdbcTemplate in its constructor: nothing it
     * needs builds the EntityManagerFactory, so only seqguard's ordering makes it wait for the ORM step that maps
     * that sequence.
     */
    static final class FirstWriter {

        FirstWriter(JdbcTemplate jdbc) {
            jdbc.update("INSERT INTO invoice (id, number, amount) VALUES (nextval('invoice_seq'), 'INV-FIRST', 1)");
        }
    }
}
