package io.seqguard.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class a fresh database of its own on {@link PostgresServer#shared()}, created on first
 * use and dropped after the class. A {@link TestDatabase} or {@code javax.sql.DataSource} (superuser) parameter
 * is injected into the constructor and into {@code @BeforeAll}, {@code @BeforeEach}, {@code @Test},
 * {@code @AfterEach} and {@code @AfterAll} methods. {@code @Nested} classes share their outer class's database.
 *
 * <pre>{@code
 * @PostgresTest
 * class RepairTest {
 *     @Test
 *     void repairs(TestDatabase db) {
 *         db.execute("CREATE TABLE t (id bigserial PRIMARY KEY)");
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PostgresExtension.class)
public @interface PostgresTest {
}
