package io.seqguard.micronaut;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import io.seqguard.GuardConfiguration;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.ds.PGSimpleDataSource;

/** Customizer beans for {@link CustomizerTest}, declared in the opposite order of their {@code @Order}. */
final class OrderedCustomizers {

    static final String ENABLED = "test.customizers.enabled";
    static final String OLD_PRIMARY_URL = "test.customizers.old-primary-url";
    static final String OLD_PRIMARY_USER = "test.customizers.old-primary-user";
    static final String FAIL = "test.customizers.fail";

    private OrderedCustomizers() {
    }

    /** What the customizers saw, in the order they ran. */
    @Singleton
    @Requires(property = ENABLED)
    static class Calls {
        final List<String> calls = new CopyOnWriteArrayList<>();
    }

    /** Runs last: gives the guard of {@code default} the old primary as a second witness. */
    @Singleton
    @Order(10)
    @Requires(property = ENABLED)
    static class AaOldPrimaryWitness implements SeqguardConfigurationCustomizer {

        private final Calls calls;
        private final PGSimpleDataSource oldPrimary = new PGSimpleDataSource();

        AaOldPrimaryWitness(Calls calls, @Property(name = OLD_PRIMARY_URL) String url,
                @Property(name = OLD_PRIMARY_USER) String user) {
            this.calls = calls;
            oldPrimary.setURL(url);
            oldPrimary.setUser(user);
        }

        @Override
        public void customize(String dataSourceName, GuardConfiguration configuration) {
            calls.calls.add("witness:" + dataSourceName + ":" + configuration.getTimeLimit());
            if (dataSourceName.equals("default")) {
                configuration.aligner(aligner -> aligner.source(oldPrimary));
            }
        }
    }

    /** Runs first, and sees the properties already applied. */
    @Singleton
    @Order(-10)
    @Requires(property = ENABLED)
    static class ZzFirst implements SeqguardConfigurationCustomizer {

        private final Calls calls;

        ZzFirst(Calls calls) {
            this.calls = calls;
        }

        @Override
        public void customize(String dataSourceName, GuardConfiguration configuration) {
            calls.calls.add("first:" + dataSourceName + ":" + configuration.getTimeLimit());
        }
    }

    /** Fails, as a customizer with a bug does. */
    @Singleton
    @Requires(property = FAIL)
    static class Failing implements SeqguardConfigurationCustomizer {

        @Override
        public void customize(String dataSourceName, GuardConfiguration configuration) {
            throw new IllegalArgumentException("no old primary configured for " + dataSourceName);
        }
    }
}
