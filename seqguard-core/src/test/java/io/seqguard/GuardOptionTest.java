package io.seqguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The option model every adapter builds on: keys, defaults, text and messages, each in one place. */
class GuardOptionTest {

    /** Getters whose names do not follow the method's. */
    private static final Map<String, String> GETTERS = Map.of("excludeSchemas", "getExcludedSchemas",
            "excludeSequences", "getExcludedSequences", "excludeTables", "getExcludedTables", "allowUnverified",
            "getAllowedUnverified");

    private static final DataSource NOWHERE = new PGSimpleDataSource();

    @Test
    void everyKeyIsItsMethodInKebabCaseAndUnique() {
        List<GuardOption<?>> all = GuardOption.all();
        assertThat(all).hasSize(24);
        for (GuardOption<?> option : all) {
            assertThat(option.key()).as(option.method()).isEqualTo(Vocabulary.kebabCase(option.method()));
            assertThat(GuardOption.forKey(option.key())).containsSame(option);
            assertThat(option.description()).as(option.key()).isNotBlank().endsWith(".");
        }
        assertThat(all.stream().map(GuardOption::key).distinct()).hasSize(all.size());
        assertThat(GuardOption.forKey("moode")).isEmpty();
    }

    @Test
    void aMisspeltKeyFindsTheOptionItMostLikelyMeans() {
        assertThat(GuardOption.closest("moode")).containsSame(GuardOption.MODE);
        assertThat(GuardOption.closest("lockTimeout")).containsSame(GuardOption.LOCK_TIMEOUT);
        assertThat(GuardOption.closest("journal.table")).containsSame(GuardOption.JOURNAL_TABLE);
        assertThat(GuardOption.closest("on-incomplet")).containsSame(GuardOption.ON_INCOMPLETE);
        assertThat(GuardOption.closest("alow-unverifed")).containsSame(GuardOption.ALLOW_UNVERIFIED);
        assertThat(GuardOption.closest("password")).isEmpty();
        assertThat(GuardOption.closest("url")).isEmpty();
    }

    /** A framework's words name its property for each option, and nothing for what only code can set. */
    @Test
    void propertyWordsNameOptionsOnly() {
        Vocabulary words = Vocabulary.properties("seqguard.datasources.orders.", "set seqguard.mode=repair");
        assertThat(words.option("onEnabledSubscription"))
                .isEqualTo("seqguard.datasources.orders.on-enabled-subscription");
        assertThat(words.option("allowUnverified")).isEqualTo("seqguard.datasources.orders.allow-unverified");
        assertThat(words.option("source")).isNull();
        assertThat(words.name("source")).isEqualTo("source");
        assertThat(words.repair()).isEqualTo("set seqguard.mode=repair");
        Vocabulary withCode = Vocabulary.properties("seqguard.", "the application with seqguard.mode=repair",
                "a SeqguardConfigurationCustomizer bean calling");
        assertThat(withCode.option("source")).isEqualTo("a SeqguardConfigurationCustomizer bean calling "
                + "aligner.source(...)");
        assertThat(withCode.option("timeLimit")).isEqualTo("seqguard.time-limit");
    }

    /** Every default is what a fresh configuration holds: an adapter that shows the default shows the truth. */
    @Test
    void everyDefaultIsTheCoresOwn() throws Exception {
        GuardConfiguration guard = StartupGuard.configure();
        AlignerConfiguration aligner = SequenceAligner.configure();
        for (GuardOption<?> option : GuardOption.all()) {
            if (option.scope() == GuardOption.Scope.INTEGRATION) {
                assertThat(option.defaultValue()).isEqualTo(true);
                continue;
            }
            Object holder = option.scope() == GuardOption.Scope.GUARD ? guard : aligner;
            Object actual = getter(holder, option.method()).invoke(holder);
            if (option == GuardOption.LOCK_WAIT_TIMEOUT) {
                // unset means "60 s or the time limit when shorter", which the getter resolves
                assertThat(option.defaultValue()).isNull();
                assertThat(actual).isEqualTo(GuardConfiguration.DEFAULT_LOCK_WAIT_TIMEOUT);
                continue;
            }
            assertThat(actual).as("default of %s", option.key()).isEqualTo(option.defaultValue());
        }
    }

    private static Method getter(Object holder, String method) throws NoSuchMethodException {
        String capitalized = Character.toUpperCase(method.charAt(0)) + method.substring(1);
        String name = GETTERS.getOrDefault(method, "get" + capitalized);
        try {
            return holder.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return holder.getClass().getMethod("is" + capitalized);
        }
    }

    @Test
    void textBecomesValuesOfEachType() {
        assertThat(GuardOption.MODE.parse(" Verify ", "k")).isEqualTo(GuardMode.VERIFY);
        assertThat(GuardOption.JOBS.parse("3", "k")).isEqualTo(3);
        assertThat(GuardOption.MARGIN.parse("100", "k")).isEqualTo(100L);
        assertThat(GuardOption.CAPACITY_WARNING.parse("0.9", "k")).isEqualTo(0.9);
        assertThat(GuardOption.JOURNAL.parse("TRUE", "k")).isTrue();
        assertThat(GuardOption.LOCK_TIMEOUT.parse("10s", "k")).isEqualTo(Duration.ofSeconds(10));
        assertThat(GuardOption.LOCK_TIMEOUT.parse("500ms", "k")).isEqualTo(Duration.ofMillis(500));
        assertThat(GuardOption.LOCK_TIMEOUT.parse("750", "k")).isEqualTo(Duration.ofMillis(750));
        assertThat(GuardOption.TIME_LIMIT.parse("2m", "k")).isEqualTo(Duration.ofMinutes(2));
        assertThat(GuardOption.TIME_LIMIT.parse("PT1H", "k")).isEqualTo(Duration.ofHours(1));
        assertThat(GuardOption.ALLOCATION.parse("hilo:50", "k")).isEqualTo(AllocationRule.hilo(50));
        assertThat(GuardOption.SCHEMAS.parse("public, \"Sales, EU\" ,billing,", "k"))
                .containsExactly("public", "\"Sales, EU\"", "billing");
    }

    @Test
    void badTextIsRefusedNamingTheUsersKeyAndWhatIsAccepted() {
        assertThatThrownBy(() -> GuardOption.JOBS.parse("two", "seqguard.datasources.orders.jobs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seqguard.datasources.orders.jobs: 'two' is not a whole number");
        assertThatThrownBy(() -> GuardOption.LOCK_TIMEOUT.parse("ten", "seqguard.lock-timeout"))
                .hasMessage("seqguard.lock-timeout: 'ten' is not a duration; use for example 10s, 500ms, 2m or PT10S");
        assertThatThrownBy(() -> GuardOption.LOCK_TIMEOUT.parse("-5s", "seqguard.lock-timeout"))
                .hasMessage("seqguard.lock-timeout: '-5s' is negative; use a positive duration, for example 5s");
        assertThatThrownBy(() -> GuardOption.LOCK_TIMEOUT.parse("PT-5S", "seqguard.lock-timeout"))
                .hasMessage("seqguard.lock-timeout: 'PT-5S' is negative; use a positive duration");
        for (String notOne : List.of("-ten", "--5s")) {
            assertThatThrownBy(() -> GuardOption.LOCK_TIMEOUT.parse(notOne, "seqguard.lock-timeout"))
                    .hasMessageStartingWith("seqguard.lock-timeout: '" + notOne + "' is not a duration");
        }
        assertThatThrownBy(() -> GuardOption.MODE.parse("fix", "seqguard.mode"))
                .hasMessage("seqguard.mode: 'fix' is not a guard mode; use repair, verify or off");
        assertThatThrownBy(() -> GuardOption.ON_INCOMPLETE.parse("ignore", "quarkus.seqguard.on-incomplete"))
                .hasMessage("quarkus.seqguard.on-incomplete: 'ignore' is not a choice of what to do when the run is "
                        + "incomplete; use fail or warn");
        assertThatThrownBy(() -> GuardOption.ALLOCATION.parse("hilo", "seqguard.allocation"))
                .hasMessageStartingWith("seqguard.allocation: 'hilo' is not an allocation rule");
        assertThatThrownBy(() -> GuardOption.JOURNAL.parse("yes", "seqguard.journal"))
                .hasMessage("seqguard.journal: 'yes' is not true or false");
    }

    @Test
    void valuesReachTheConfigurationAndOutOfRangeOnesAreRefusedAtOnce() {
        GuardConfiguration guard = StartupGuard.configure().dataSource(NOWHERE);
        GuardOption.MODE.applyText(guard, "verify", "seqguard.mode");
        GuardOption.ON_INCOMPLETE.applyText(guard, "warn", "seqguard.on-incomplete");
        GuardOption.JOURNAL_TABLE.applyText(guard, "ops.\"Journal\"", "seqguard.journal-table");
        GuardOption.JOBS.applyText(guard, "4", "seqguard.jobs");
        GuardOption.SCHEMAS.applyText(guard, "app,billing", "seqguard.schemas");
        GuardOption.ALLOW_UNVERIFIED.applyText(guard, "billing.invoice_no_seq", "seqguard.allow-unverified");
        GuardOption.MAPPINGS.applyText(guard, "billing.invoice_no_seq=billing.invoice.no", "seqguard.mappings");
        assertThat(guard.getMode()).isEqualTo(GuardMode.VERIFY);
        assertThat(guard.getOnIncomplete()).isEqualTo(IncompleteAction.WARN);
        assertThat(guard.getJournalTable()).isEqualTo("ops.\"Journal\"");
        AlignerConfiguration aligner = guard.load().aligner().configuration();
        assertThat(aligner.getJobs()).isEqualTo(4);
        assertThat(aligner.getSchemas()).containsExactly("app", "billing");
        assertThat(aligner.getAllowedUnverified()).containsExactly("billing.invoice_no_seq");
        assertThat(aligner.getMappings()).singleElement().extracting(SequenceMapping::column).isEqualTo("\"no\"");

        assertThatThrownBy(() -> GuardOption.JOBS.applyText(guard, "0", "seqguard.datasources.orders.jobs"))
                .hasMessage("seqguard.datasources.orders.jobs: must be between 1 and 64, was 0");
        assertThatThrownBy(() -> GuardOption.TIME_LIMIT.applyText(guard, "0s", "seqguard.time-limit"))
                .hasMessage("seqguard.time-limit: must be between 1 ms and 24 days, was 0 ms");
        assertThatThrownBy(() -> GuardOption.MAPPINGS.applyText(guard, "nope", "seqguard.mappings"))
                .hasMessageStartingWith("seqguard.mappings: mapping: 'nope' has no '='");
        assertThatThrownBy(() -> GuardOption.MARGIN.applyText(guard, "-1", "seqguard.margin"))
                .hasMessage("seqguard.margin: must be 0 or more, was -1");

        GuardConfiguration off = StartupGuard.configure();
        GuardOption.ENABLED.applyText(off, "false", "seqguard.enabled");
        assertThat(off.getMode()).isEqualTo(GuardMode.OFF);
        assertThat(Set.of(GuardOption.Scope.values())).hasSize(3);
    }
}
