package io.seqguard.quarkus.runtime;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.hibernate.orm.runtime.JPAConfig;
import io.quarkus.hibernate.orm.runtime.PersistenceUnitUtil;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The active Hibernate ORM persistence units of the application by the datasource each uses, as Quarkus assigns it:
 * {@code quarkus.hibernate-orm."<unit>".datasource} (for the default unit also
 * {@code quarkus.hibernate-orm.datasource}), else the default datasource. Loaded only when the application has
 * Hibernate ORM.
 */
final class HibernateOrmUnits implements SeqguardGuards.PersistenceUnits {

    @Override
    public Map<String, Set<String>> byDataSource() {
        InstanceHandle<JPAConfig> jpa = Arc.container().instance(JPAConfig.class);
        Map<String, Set<String>> units = new LinkedHashMap<>();
        if (!jpa.isAvailable()) {
            return units;
        }
        Config config = ConfigProvider.getConfig();
        for (String unit : new TreeSet<>(jpa.get().getPersistenceUnits())) {
            units.computeIfAbsent(dataSourceOf(unit, config), d -> new LinkedHashSet<>()).add(unit);
        }
        return units;
    }

    static String dataSourceOf(String unit, Config config) {
        List<String> keys = PersistenceUnitUtil.isDefaultPersistenceUnit(unit)
                ? List.of("quarkus.hibernate-orm.datasource", "quarkus.hibernate-orm.\"" + unit + "\".datasource")
                : List.of("quarkus.hibernate-orm.\"" + unit + "\".datasource", "quarkus.hibernate-orm." + unit
                        + ".datasource");
        for (String key : keys) {
            Optional<String> dataSource = config.getOptionalValue(key, String.class);
            if (dataSource.isPresent() && !dataSource.get().isBlank()) {
                return dataSource.get().trim();
            }
        }
        return DataSourceUtil.DEFAULT_DATASOURCE_NAME;
    }
}
