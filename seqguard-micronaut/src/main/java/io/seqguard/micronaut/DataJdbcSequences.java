package io.seqguard.micronaut;

import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.type.Argument;
import io.micronaut.data.annotation.Repository;
import io.micronaut.data.model.PersistentProperty;
import io.micronaut.data.model.query.builder.sql.SqlQueryBuilder;
import io.micronaut.data.model.runtime.RuntimePersistentEntity;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.seqguard.AllocationRule;
import io.seqguard.SequenceMapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequences Micronaut Data JDBC entities take their ids from
 * ({@code @GeneratedValue(GeneratedValue.Type.SEQUENCE)}): its insert calls {@code nextval('<table>_seq')} (or the
 * {@code ref} sequence), a tie no {@code OWNED BY} or {@code DEFAULT} shows the catalog. Read, without creating any
 * bean, from the {@code @JdbcRepository} bean definitions of one data source ({@code @Repository("name")},
 * {@code default} when unnamed) and their entities' introspection, with the names Micronaut Data's own query builder
 * writes into the insert. An entity is mapped on the data sources of its repositories only, so its sequence is never
 * looked for in another database. One value per row: the rule is plain. Loading this class needs Micronaut Data's
 * model: callers check that it is present first.
 */
final class DataJdbcSequences {

    private static final Logger log = LoggerFactory.getLogger(SeqguardDataSourceListener.class);
    private static final String JDBC_REPOSITORY = "io.micronaut.data.jdbc.annotation.JdbcRepository";
    private static final String NEXTVAL = "nextval('";

    private DataJdbcSequences() {
    }

    /**
     * The mappings of the entities whose JDBC repositories use the data source, one per entity, by entity name.
     *
     * @param context where the repositories' bean definitions are
     * @param dataSource the data source's name
     * @return the mappings; empty when no JDBC repository of that data source has an entity with a sequence id
     */
    static List<SequenceMapping> of(BeanContext context, String dataSource) {
        Map<String, SequenceMapping> mappings = new LinkedHashMap<>();
        for (BeanDefinition<?> repository : context.getBeanDefinitions(Qualifiers.byStereotype(Repository.class))) {
            if (!repository.hasStereotype(JDBC_REPOSITORY)
                    || !repository.stringValue(Repository.class).filter(name -> !name.isBlank()).orElse("default")
                            .equals(dataSource)) {
                continue;
            }
            List<Argument<?>> types = repository.getTypeArguments(GenericRepository.class);
            if (types.isEmpty() || mappings.containsKey(types.get(0).getType().getName())) {
                continue;
            }
            Class<?> entityType = types.get(0).getType();
            try {
                SequenceMapping mapping = mapping(repository.getAnnotationMetadata(), entityType);
                if (mapping != null) {
                    mappings.put(entityType.getName(), mapping);
                }
            } catch (RuntimeException e) {
                // not an entity Micronaut Data can describe here (no introspection): its repository fails on its own
                log.debug("seqguard: could not read the id of entity {} of repository {}", entityType.getName(),
                        repository.getBeanType().getName(), e);
            }
        }
        log.debug("seqguard found {} sequence mapping(s) of Micronaut Data JDBC entities for data source '{}': {}",
                mappings.size(), dataSource, mappings.values());
        return List.copyOf(mappings.values());
    }

    /** The entity's mapping, or null when its insert calls no sequence (identity and database-generated ids). */
    private static SequenceMapping mapping(AnnotationMetadata repository, Class<?> entityType) {
        RuntimePersistentEntity<?> entity = new RuntimePersistentEntity<>(entityType);
        PersistentProperty identity = entity.getIdentity();
        if (identity == null) {
            return null;
        }
        Names names = new Names(repository);
        String insert = names.buildInsert(repository, entity).getQuery();
        int start = insert.indexOf(NEXTVAL);
        int end = start < 0 ? -1 : insert.indexOf("')", start);
        if (end < 0) {
            return null;
        }
        return SequenceMapping.builder()
                .sequence(insert.substring(start + NEXTVAL.length(), end))
                .table(names.getTableName(entity))
                .column(names.column(entity, identity))
                .allocation(AllocationRule.plain())
                .entity(entityType.getName())
                .build();
    }

    /** Micronaut Data's query builder for the repository's dialect, with the id column as its inserts write it. */
    private static final class Names extends SqlQueryBuilder {

        Names(AnnotationMetadata repository) {
            super(repository);
        }

        String column(RuntimePersistentEntity<?> entity, PersistentProperty identity) {
            String column = getColumnName(identity);
            return shouldEscape(entity) ? quote(column) : column;
        }
    }
}
