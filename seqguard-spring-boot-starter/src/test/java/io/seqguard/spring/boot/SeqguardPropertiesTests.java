package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.seqguard.AllocationRule;
import io.seqguard.GuardOption;
import io.seqguard.Vocabulary;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties;
import io.seqguard.spring.boot.autoconfigure.SeqguardProperties.DataSourceGuard;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.ClassUtils;

/**
 * The properties are {@link GuardOption#all()}, declared once: the same keys in the same order at the global and the
 * per-DataSource level, each of the option's type, each global default the core's own, and the configuration metadata
 * (what IDEs show) with the option's description and default. A property added, renamed, retyped or given another
 * default on one side only fails here.
 */
class SeqguardPropertiesTests {

    @Test
    void theGlobalPropertiesAreTheOptionsWithTheirTypes() {
        List<RecordComponent> components = components(SeqguardProperties.class);
        assertThat(components).last().extracting(RecordComponent::getName).isEqualTo("datasources");
        assertKeysAndTypes(components.subList(0, components.size() - 1), false);
    }

    @Test
    void thePerDataSourcePropertiesAreTheOptionsEachUnsetByDefault() {
        assertKeysAndTypes(components(DataSourceGuard.class), true);
        DataSourceGuard unset = bind(Map.of("seqguard.datasources.orders.mode", "verify")).datasources()
                .get("orders");
        for (RecordComponent component : components(DataSourceGuard.class)) {
            if (!component.getName().equals("mode")) {
                assertThat(value(component, unset)).as(component.getName()).isNull();
            }
        }
    }

    /** Every default is the core's: what the metadata shows and what an unset property does are the truth. */
    @Test
    void everyDefaultIsTheCoresDefault() {
        SeqguardProperties defaults = bind(Map.of());
        List<RecordComponent> components = components(SeqguardProperties.class);
        for (GuardOption<?> option : GuardOption.all()) {
            Object value = value(components.get(GuardOption.all().indexOf(option)), defaults);
            if (option == GuardOption.ALLOCATION) {
                value = AllocationRule.parse((String) value);
            }
            assertThat(value).as("default of seqguard.%s", option.key()).isEqualTo(option.defaultValue());
        }
        assertThat(defaults.datasources()).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMetadataDescribesEveryOptionAsTheCoreDoes() throws IOException {
        Map<String, Map<String, Object>> metadata = metadata();
        for (GuardOption<?> option : GuardOption.all()) {
            Map<String, Object> property = metadata.get("seqguard." + option.key());
            assertThat(property).as("seqguard.%s in the metadata", option.key()).isNotNull();
            assertThat(property.get("description")).as(option.key()).isEqualTo(option.description());
            Object shown = property.get("defaultValue");
            if (option.defaultValue() == null || option.type() == List.class) {
                assertThat(shown).as(option.key()).isNull();
            } else {
                assertThat(option.parse(String.valueOf(shown), option.key())).as(option.key())
                        .isEqualTo(option.defaultValue());
            }
        }
        assertThat(metadata.get("management.health.seqguard.enabled")).containsEntry("type", "java.lang.Boolean")
                .containsEntry("defaultValue", true);
        List<String> seqguard = metadata.keySet().stream().filter(name -> name.startsWith("seqguard."))
                .collect(Collectors.toList());
        assertThat(seqguard).hasSize(GuardOption.all().size() + 1).contains("seqguard.datasources");
    }

    /** The module's README lists every option with the core's description. */
    @Test
    void theReadmeDocumentsEveryOption() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (GuardOption<?> option : GuardOption.all()) {
            assertThat(readme).contains("| `" + option.key() + "` | ").contains(" | " + option.description() + " |");
        }
    }

    private static void assertKeysAndTypes(List<RecordComponent> components, boolean nullable) {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : components) {
            keys.add(Vocabulary.kebabCase(component.getName()));
        }
        assertThat(keys).containsExactlyElementsOf(GuardOption.all().stream().map(GuardOption::key).toList());
        for (int i = 0; i < components.size(); i++) {
            GuardOption<?> option = GuardOption.all().get(i);
            Class<?> type = components.get(i).getType();
            if (nullable) {
                assertThat(type.isPrimitive()).as("%s must be nullable", option.key()).isFalse();
            }
            // the allocation rule binds as text: the option's parser reads it, with its message
            Class<?> expected = option == GuardOption.ALLOCATION ? String.class : option.type();
            assertThat(ClassUtils.resolvePrimitiveIfNecessary(type)).as("type of %s", option.key())
                    .isEqualTo(expected);
        }
    }

    private static List<RecordComponent> components(Class<? extends Record> type) {
        return List.of(type.getRecordComponents());
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static SeqguardProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("seqguard",
                SeqguardProperties.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> metadata() throws IOException {
        try (InputStream in = SeqguardPropertiesTests.class
                .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            Map<String, Object> metadata = JsonPath.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .read("$");
            return ((List<Map<String, Object>>) metadata.get("properties")).stream()
                    .collect(Collectors.toMap(p -> (String) p.get("name"), p -> p));
        }
    }
}
