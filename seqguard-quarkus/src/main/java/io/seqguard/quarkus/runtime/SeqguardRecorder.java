package io.seqguard.quarkus.runtime;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.annotations.Recorder;

import java.util.Map;
import java.util.function.Supplier;

/** What seqguard's build steps record for runtime: the guards bean, and when the guards run. */
@Recorder
public class SeqguardRecorder {

    /**
     * {@return the guards bean's supplier}
     *
     * @param kinds the application's datasources and their database kinds
     * @param hibernateOrm whether the application has Hibernate ORM, whose persistence units guard their datasources
     */
    public Supplier<SeqguardGuards> guards(Map<String, String> kinds, boolean hibernateOrm) {
        return () -> new SeqguardGuards(kinds, hibernateOrm ? new HibernateOrmUnits() : null);
    }

    /** Runtime init, after the migrations: reads and checks the configuration, guards what no persistence unit will. */
    public void guardAtStart() {
        Arc.container().instance(SeqguardGuards.class).get().guardAtStart();
    }

    /** Runtime init, after every service has started: guards a datasource a persistence unit left unguarded. */
    public void guardRemaining() {
        Arc.container().instance(SeqguardGuards.class).get().guardRemaining();
    }
}
