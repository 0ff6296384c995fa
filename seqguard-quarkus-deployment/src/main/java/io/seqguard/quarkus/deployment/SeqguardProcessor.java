package io.seqguard.quarkus.deployment;

import io.quarkus.agroal.spi.JdbcDataSourceBuildItem;
import io.quarkus.agroal.spi.JdbcDataSourceSchemaReadyBuildItem;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.Consume;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.ApplicationInfoBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.InitTaskBuildItem;
import io.quarkus.deployment.builditem.InitTaskCompletedBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.seqguard.quarkus.runtime.SeqguardGuards;
import io.seqguard.quarkus.runtime.SeqguardHealthCheck;
import io.seqguard.quarkus.runtime.SeqguardMetrics;
import io.seqguard.quarkus.runtime.SeqguardRecorder;
import io.seqguard.quarkus.runtime.SeqguardSettings;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * seqguard's build steps. When the guard runs, and why it comes where it must:
 * <ol>
 *   <li>{@link #guardAtStart} is a runtime-init step that consumes {@link JdbcDataSourceSchemaReadyBuildItem}, which
 *       quarkus-flyway and quarkus-liquibase produce in the very step that runs their migrate-at-start: it is ordered
 *       after both migrations. It produces a {@link ServiceStartBuildItem}, which the step firing the start-up event
 *       consumes: no {@code @Startup} bean or {@code StartupEvent} observer runs before it, and the HTTP server opens
 *       after that event.</li>
 *   <li>Hibernate ORM's persistence units start in a step that consumes the same schema-ready items, so it too comes
 *       after the migrations; its relative order to {@link #guardAtStart} is not fixed. A datasource that an active
 *       persistence unit uses is therefore guarded from inside Hibernate ORM: seqguard's Hibernate integrator adds a
 *       session-factory observer that Hibernate calls after Quarkus' own (schema management and {@code import.sql}),
 *       while the session factory is still being built, so that no bean can have it yet, with the sequences of the
 *       unit's entities.</li>
 *   <li>{@link #guardRemaining} consumes every {@link ServiceStartBuildItem} (Hibernate ORM's among them) and
 *       produces an {@link InitTaskCompletedBuildItem}, which the step that ends an init task
 *       ({@code QUARKUS_INIT_AND_EXIT=true}) waits for: in the init task every datasource has been guarded before
 *       the application exits.</li>
 * </ol>
 */
public class SeqguardProcessor {

    private static final String FEATURE = "seqguard";

    /** Quarkus instantiates build step classes itself. */
    public SeqguardProcessor() {
    }

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * The guards bean. The configuration the build sees is checked first: a misspelt key or a value seqguard does not
     * accept in {@code application.properties} fails the build, naming the key. Start-up checks again, with the
     * runtime's configuration.
     */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem guards(SeqguardRecorder recorder, List<JdbcDataSourceBuildItem> dataSources,
            Capabilities capabilities) {
        SeqguardSettings.read(ConfigProvider.getConfig(), kinds(dataSources), Map.of());
        return SyntheticBeanBuildItem.configure(SeqguardGuards.class)
                .scope(Singleton.class)
                .unremovable()
                .supplier(recorder.guards(kinds(dataSources), capabilities.isPresent(Capability.HIBERNATE_ORM)))
                .done();
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    @Consume(BeanContainerBuildItem.class)
    @Consume(JdbcDataSourceSchemaReadyBuildItem.class)
    ServiceStartBuildItem guardAtStart(SeqguardRecorder recorder) {
        recorder.guardAtStart();
        return new ServiceStartBuildItem(FEATURE);
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    InitTaskCompletedBuildItem guardRemaining(SeqguardRecorder recorder, List<ServiceStartBuildItem> started) {
        recorder.guardRemaining();
        return new InitTaskCompletedBuildItem(FEATURE);
    }

    /**
     * The init task, for Quarkus' Kubernetes extensions: a Job that runs the application with
     * {@code QUARKUS_INIT_AND_EXIT=true} and {@code QUARKUS_SEQGUARD_MODE=repair}, so that it migrates (Flyway and
     * Liquibase are switched on for it, as their own init tasks do), repairs and exits; the application's pods get
     * {@code QUARKUS_SEQGUARD_MODE=verify}.
     */
    @BuildStep
    InitTaskBuildItem initTask(ApplicationInfoBuildItem application, Capabilities capabilities) {
        Map<String, String> task = new LinkedHashMap<>();
        task.put("QUARKUS_INIT_AND_EXIT", "true");
        task.put("QUARKUS_SEQGUARD_MODE", "repair");
        if (capabilities.isPresent(Capability.FLYWAY)) {
            task.put("QUARKUS_FLYWAY_ACTIVE", "true");
        }
        if (capabilities.isPresent(Capability.LIQUIBASE)) {
            task.put("QUARKUS_LIQUIBASE_ENABLED", "true");
        }
        return InitTaskBuildItem.create()
                .withName(application.getName() + "-seqguard-init")
                .withTaskEnvVars(task)
                .withAppEnvVars(Map.of("QUARKUS_SEQGUARD_MODE", "verify"))
                .withSharedEnvironment(true)
                .withSharedFilesystem(true);
    }

    @BuildStep
    void health(Capabilities capabilities, BuildProducer<HealthBuildItem> health) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            health.produce(new HealthBuildItem(SeqguardHealthCheck.class.getName(), true));
        }
    }

    @BuildStep
    void metrics(Optional<MetricsCapabilityBuildItem> metrics, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (metrics.isPresent() && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(SeqguardMetrics.class));
        }
    }

    /**
     * For native images (not built by this project's build; see the README): the Hibernate integrator, which
     * Hibernate ORM instantiates reflectively, and the classes seqguard's core looks up by name.
     */
    @BuildStep
    ReflectiveClassBuildItem reflection() {
        return ReflectiveClassBuildItem.builder("io.seqguard.quarkus.runtime.SeqguardIntegrator",
                "io.seqguard.SeqguardException", "org.postgresql.PGConnection")
                .reason(getClass().getName())
                .constructors()
                .build();
    }

    private static Map<String, String> kinds(List<JdbcDataSourceBuildItem> dataSources) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (JdbcDataSourceBuildItem dataSource : dataSources) {
            kinds.put(dataSource.getName(), dataSource.getDbKind());
        }
        return kinds;
    }
}
