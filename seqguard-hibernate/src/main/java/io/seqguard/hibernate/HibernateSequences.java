package io.seqguard.hibernate;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.SequenceMapping;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.relational.QualifiedName;
import org.hibernate.boot.model.relational.SqlStringGenerationContext;
import org.hibernate.dialect.Dialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.generator.Generator;
import org.hibernate.id.enhanced.DatabaseStructure;
import org.hibernate.id.enhanced.HiLoOptimizer;
import org.hibernate.id.enhanced.LegacyHiLoAlgorithmOptimizer;
import org.hibernate.id.enhanced.NoopOptimizer;
import org.hibernate.id.enhanced.Optimizer;
import org.hibernate.id.enhanced.PooledLoOptimizer;
import org.hibernate.id.enhanced.PooledLoThreadLocalOptimizer;
import org.hibernate.id.enhanced.PooledOptimizer;
import org.hibernate.id.enhanced.SequenceStyleGenerator;
import org.hibernate.persister.entity.EntityPersister;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sequences a Hibernate application's entities take their ids from, as {@link SequenceMapping}s for seqguard: for
 * every entity whose id comes from a sequence ({@code @SequenceGenerator}, {@code GenerationType.SEQUENCE},
 * {@code AUTO} on a numeric id, Hibernate's default {@code <entity>_seq} names, {@code hibernate_sequence}, one
 * sequence shared by several entities), the sequence, table and id column with the physical names Hibernate really
 * uses (after the application's naming strategies and default schema), and the allocation rule of the entity's
 * optimizer ({@code none}, {@code pooled}, {@code pooled-lo}, {@code hilo}) with its {@code allocationSize}.
 *
 * <p>Read from the running metamodel, so that what it reports is what Hibernate does: pass the
 * {@link EntityManagerFactory} (or {@code SessionFactory}) once it is built, before the application writes.
 *
 * <pre>{@code
 * StartupGuard.configure()
 *         .dataSource(pool)
 *         .aligner(a -> a.mappings(HibernateSequences.from(entityManagerFactory)))
 *         .load()
 *         .run();
 * }</pre>
 *
 * <p>Entities with identity ids ({@code GenerationType.IDENTITY}) are left out: the catalog ties their sequences to
 * their columns. Also left out, and named in the log at DEBUG: table-backed generators ({@code GenerationType.TABLE}),
 * composite ids, entities mapped to a subquery, and custom generators that are not Hibernate's sequence generator. A
 * custom optimizer gives a mapping without a rule, so the aligner's rule applies. Hibernate's {@code legacy-hilo}
 * optimizer hands out {@code [v * (size + 1), v * (size + 1) + size]} for the value {@code v}; it maps to
 * {@link AllocationRule#hilo(int) hilo(size + 1)}, which asks at most one value more of the sequence.
 *
 * <p>Works with Hibernate ORM 6.6 and 7.x.
 */
public final class HibernateSequences {

    /**
     * The Hibernate setting whose value, a {@link SequencesListener}, is called with the mappings once a session
     * factory is built and before it is handed out: where a framework module runs its ORM step.
     */
    public static final String LISTENER_SETTING = "seqguard.hibernate.sequences-listener";

    private static final Logger log = LoggerFactory.getLogger(HibernateSequences.class);

    private HibernateSequences() {
    }

    /**
     * The mappings of every entity of the persistence unit whose id comes from a sequence, roots first, then by entity
     * name; one
     * mapping per sequence, table and column (a single-table hierarchy gives one, a table-per-class hierarchy one per
     * concrete table). Each names its entity ({@link SequenceMapping#entity()}), so seqguard treats it as
     * discovered: a configured mapping of the same sequence wins. Unqualified names (no default schema) are looked up
     * through the connection's search_path, as Hibernate's statements are.
     *
     * @param entityManagerFactory Hibernate's, built; a {@code SessionFactory} is one
     * @return the mappings, for {@link AlignerConfiguration#mappings(java.util.Collection)}
     * @throws IllegalArgumentException when the factory is not Hibernate's
     */
    public static List<SequenceMapping> from(EntityManagerFactory entityManagerFactory) {
        Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
        SessionFactoryImplementor factory;
        try {
            factory = entityManagerFactory.unwrap(SessionFactoryImplementor.class);
        } catch (PersistenceException | IllegalStateException e) {
            throw new IllegalArgumentException("entityManagerFactory: HibernateSequences.from needs Hibernate ORM's "
                    + "EntityManagerFactory, got " + entityManagerFactory.getClass().getName()
                    + "; map the sequences of another JPA provider with SequenceMapping.builder() instead", e);
        }
        SqlStringGenerationContext names = factory.getSqlStringGenerationContext();
        Map<List<String>, SequenceMapping> mappings = new LinkedHashMap<>();
        List<EntityPersister> persisters = new ArrayList<>();
        factory.getMappingMetamodel().forEachEntityDescriptor(persisters::add);
        // roots first, so that a hierarchy sharing one table and generator is named after its root
        persisters.sort(java.util.Comparator.comparing((EntityPersister p) -> !isRoot(p))
                .thenComparing(EntityPersister::getEntityName));
        for (EntityPersister persister : persisters) {
            SequenceMapping mapping = mapping(persister, names);
            if (mapping != null) {
                // a subclass sharing its root's table and generator adds nothing
                mappings.putIfAbsent(List.of(mapping.sequence(), mapping.table(), mapping.column()), mapping);
            }
        }
        log.debug("seqguard found {} sequence mapping(s) in Hibernate's metamodel: {}", mappings.size(),
                mappings.values());
        return List.copyOf(mappings.values());
    }

    private static boolean isRoot(EntityPersister persister) {
        return persister.getEntityName().equals(persister.getRootEntityName());
    }

    /** The mapping of one entity, or null (with the reason at DEBUG) when its id does not come from a sequence. */
    private static SequenceMapping mapping(EntityPersister persister, SqlStringGenerationContext names) {
        String entity = persister.getEntityName();
        Generator generator = persister.getGenerator();
        if (!(generator instanceof SequenceStyleGenerator)) {
            log.debug("seqguard: entity {} has generator {}: not a sequence (identity ids are found in the catalog)",
                    entity, generator == null ? "none" : generator.getClass().getName());
            return null;
        }
        if (persister.isAbstract()) {
            // its rows live in its subclasses' tables, mapped through their own descriptors
            return null;
        }
        SequenceStyleGenerator sequenceGenerator = (SequenceStyleGenerator) generator;
        DatabaseStructure structure = sequenceGenerator.getDatabaseStructure();
        if (!structure.isPhysicalSequence()) {
            log.debug("seqguard: entity {} takes its ids from table {}, not a sequence: not checked", entity,
                    structure.getPhysicalName());
            return null;
        }
        String table = persister.getIdentifierTableName();
        String[] columns = persister.getIdentifierColumnNames();
        if (table == null || table.startsWith("(") || columns == null || columns.length != 1) {
            log.debug("seqguard: entity {} has no single id column in a table ({} {}): not checked", entity, table,
                    columns == null ? "[]" : String.join(", ", columns));
            return null;
        }
        return SequenceMapping.builder()
                .sequence(sequenceName(structure.getPhysicalName(), names))
                .table(withoutCatalog(table))
                .column(columns[0])
                .allocation(rule(sequenceGenerator.getOptimizer(), entity))
                .entity(entity)
                .build();
    }

    /**
     * The sequence's name as Hibernate's statements name it, {@code schema.name} or {@code name}, quoted where
     * Hibernate quotes. A catalog (database) part is left out: PostgreSQL only accepts the current one.
     */
    private static String sequenceName(QualifiedName name, SqlStringGenerationContext names) {
        Dialect dialect = names.getDialect();
        Identifier schema = name.getSchemaName() != null ? name.getSchemaName() : names.getDefaultSchema();
        String object = name.getObjectName().render(dialect);
        return schema == null ? object : schema.render(dialect) + "." + object;
    }

    /** {@code catalog.schema.table} without its catalog; dots inside double quotes belong to the name. */
    static String withoutCatalog(String rendered) {
        int dots = 0;
        int first = -1;
        boolean quoted = false;
        for (int i = 0; i < rendered.length(); i++) {
            char c = rendered.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                dots++;
                first = first < 0 ? i : first;
            }
        }
        return dots == 2 ? rendered.substring(first + 1) : rendered;
    }

    /**
     * The allocation rule of the entity's optimizer: none is plain, pooled and pooled-lo keep their size, hilo its
     * block; legacy-hilo's block is one larger than its size. Null for an optimizer seqguard does not know.
     */
    static AllocationRule rule(Optimizer optimizer, String entity) {
        int size = Math.max(1, Math.abs(optimizer.getIncrementSize()));
        if (optimizer instanceof NoopOptimizer) {
            return AllocationRule.plain();
        }
        if (optimizer instanceof PooledOptimizer) {
            return AllocationRule.pooled(size);
        }
        if (optimizer instanceof PooledLoOptimizer || optimizer instanceof PooledLoThreadLocalOptimizer) {
            return AllocationRule.pooledLo(size);
        }
        if (optimizer instanceof HiLoOptimizer) {
            return AllocationRule.hilo(size);
        }
        if (optimizer instanceof LegacyHiLoAlgorithmOptimizer) {
            return AllocationRule.hilo(size + 1);
        }
        log.info("seqguard: entity {} uses optimizer {}, which seqguard does not know: the configured allocation "
                + "rule applies to its sequence", entity, optimizer.getClass().getName());
        return null;
    }
}
