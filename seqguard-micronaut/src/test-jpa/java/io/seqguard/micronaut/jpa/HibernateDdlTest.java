package io.seqguard.micronaut.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.seqguard.test.TestDatabase;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shop's Flyway script is what Hibernate's schema export writes for its entities, line for line. */
class HibernateDdlTest {

    @Test
    void theFlywayScriptIsHibernatesSchemaExport(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("create.sql");
        try (TestDatabase db = TestDatabase.create("micronaut_jpa_ddl")) {
            Map<String, Object> properties = ShopApp.properties(db);
            properties.put("flyway.datasources.default.enabled", false);
            properties.put("seqguard.enabled", false);
            properties.put("jpa.default.properties.jakarta.persistence.schema-generation.scripts.action", "create");
            properties.put("jpa.default.properties.jakarta.persistence.schema-generation.scripts.create-target",
                    script.toString());
            try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                    .properties(properties).start()) {
                assertThat(context.isRunning()).isTrue();
            }
        }
        List<String> exported = Files.readAllLines(script).stream().filter(line -> !line.isBlank()).toList();
        assertThat(exported).contains("create sequence invoice_seq start with 1 increment by 50;");
        try (InputStream in = getClass().getResourceAsStream("/db/shop/V1__schema.sql")) {
            List<String> flyway = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("--")).toList();
            assertThat(flyway).containsExactlyElementsOf(exported);
        }
    }
}
