package io.seqguard.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the guard learns about the server before it decides anything: the database, the version, whether it is a
 * standby, the subscriptions that still feed it, and the cluster's identity. Read by {@link #read} in a few short
 * transactions on the guard's own connection.
 *
 * @param database the database's name
 * @param serverVersion for example {@code 18.3}
 * @param standby whether the server is in recovery
 * @param connectionApplicationName the connection's {@code application_name}; may be blank
 * @param enabledSubscriptions the enabled subscriptions of this database (none on a standby), Citus's own shard moves
 *     and splits left out
 * @param sequenceSubscriptions PostgreSQL 19+: the subscriptions, enabled or not, that hold sequences (none on a
 *     standby or before 19)
 * @param id the cluster's system identifier, or the fallback identity where that is not readable
 * @param fromSystemIdentifier whether {@code id} is the system identifier
 * @param problems what could not be read (and what the guard assumed instead), for the run's notes
 * @param citusShardTransfers the enabled subscriptions of a Citus shard move or split in progress: Citus's own
 *     logical replication between the shard placements of its nodes, not a cutover
 */
record ServerFacts(String database, String serverVersion, boolean standby, String connectionApplicationName,
        List<Subscription> enabledSubscriptions, List<SequenceSubscription> sequenceSubscriptions, String id,
        boolean fromSystemIdentifier, List<String> problems, List<Subscription> citusShardTransfers) {

    private static final Logger log = LoggerFactory.getLogger("io.seqguard.StartupGuard");

    private static final String FACTS = "SELECT current_database(), current_setting('server_version'), "
            + "pg_is_in_recovery(), current_setting('application_name'), current_setting('server_version_num')::int";
    private static final String SYSTEM_IDENTIFIER = "SELECT system_identifier::text FROM pg_control_system()";
    private static final String FALLBACK_IDENTITY = "SELECT 'fallback:' || coalesce(host(inet_server_addr()), 'local')"
            + " || ':' || coalesce(inet_server_port()::text, current_setting('port')) || '/' || d.oid::text"
            + " || coalesce('/' || nullif(current_setting('cluster_name', true), ''), '')"
            + " FROM pg_database d WHERE d.datname = current_database()";
    /** PostgreSQL 19+: the subscriptions of this database that hold sequences, with their state. */
    private static final String SEQUENCE_SUBSCRIPTIONS = """
            SELECT s.subname, quote_ident(s.subname), s.subenabled,
                   count(*) FILTER (WHERE r.srsubstate <> 'r'), count(*),
                   coalesce((SELECT st.sync_seq_error_count FROM pg_stat_subscription_stats st
                             WHERE st.subid = s.oid), 0)
            FROM pg_subscription s
            JOIN pg_subscription_rel r ON r.srsubid = s.oid
            JOIN pg_class c ON c.oid = r.srrelid AND c.relkind = 'S'
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            GROUP BY s.oid, s.subname, s.subenabled
            ORDER BY s.subname
            """;
    /**
     * Only columns granted to every role: {@code subconninfo} is not readable by plain roles. The third column tells
     * a Citus shard move or split apart from a cutover: Citus (11.1 and later) names such a subscription
     * {@code citus_shard_(move|split)_subscription_<owner>_<operation>}, has it owned by the role
     * {@code citus_shard_(move|split)_subscription_role_<owner>_<operation>} and subscribe to publications named
     * {@code citus_shard_(move|split)_publication_<node>_<owner>_<operation>}; creating a subscription takes a
     * superuser, and Citus keeps other roles from altering or dropping subscriptions named {@code citus_}.
     */
    private static final String ENABLED_SUBSCRIPTIONS = """
            SELECT s.subname, quote_ident(s.subname),
                   coalesce((r.m)[1] IS NOT NULL
                       AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')
                       AND pg_get_userbyid(s.subowner)
                           = 'citus_shard_' || (r.m)[1] || '_subscription_role_' || (r.m)[2] || '_' || (r.m)[3]
                       AND cardinality(s.subpublications) > 0
                       AND (SELECT bool_and(p ~ ('^citus_shard_' || (r.m)[1] || '_publication_[0-9]+_' || (r.m)[2]
                                || '_' || (r.m)[3] || '$'))
                            FROM unnest(s.subpublications) AS p), false)
            FROM pg_subscription s
            CROSS JOIN LATERAL (SELECT regexp_match(s.subname,
                '^citus_shard_(move|split)_subscription_([0-9]+)_([0-9]+)$') AS m) r
            WHERE s.subenabled AND s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY s.subname
            """;

    /**
     * A subscription by name, and quoted by the server for the statements advice shows.
     *
     * @param citusShardTransfer whether it is Citus's own, for a shard move or split in progress
     */
    record Subscription(String name, String ident, boolean citusShardTransfer) {
    }

    /**
     * PostgreSQL 19+: a subscription, enabled or not, that holds sequences.
     *
     * @param name as the catalog spells it
     * @param ident quoted by the server
     * @param enabled whether it is enabled
     * @param pending how many of its sequences have not had their first synchronization (state other than ready)
     * @param sequences how many sequences it holds
     * @param syncErrors how often its sequence synchronization failed ({@code sync_seq_error_count})
     */
    record SequenceSubscription(String name, String ident, boolean enabled, long pending, long sequences,
            long syncErrors) {
    }

    /** The subscriptions whose sequences still wait for their first synchronization. */
    List<SequenceSubscription> pendingSequenceSyncs() {
        List<SequenceSubscription> pending = new ArrayList<>();
        for (SequenceSubscription s : sequenceSubscriptions) {
            if (s.pending() > 0) {
                pending.add(s);
            }
        }
        return pending;
    }

    ServerFacts {
        enabledSubscriptions = List.copyOf(enabledSubscriptions);
        sequenceSubscriptions = List.copyOf(sequenceSubscriptions);
        problems = List.copyOf(problems);
        citusShardTransfers = List.copyOf(citusShardTransfers);
    }

    /** The subscriptions' names, as the catalog spells them. */
    List<String> subscriptionNames() {
        List<String> names = new ArrayList<>();
        for (Subscription s : enabledSubscriptions) {
            names.add(s.name());
        }
        return names;
    }

    static ServerFacts read(GuardSession session, long statementMillis, long lockMillis) throws SQLException {
        Object[] facts = session.inTransaction(statementMillis, lockMillis, c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FACTS)) {
                rs.next();
                return new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getInt(5)};
            }
        });
        boolean standby = (Boolean) facts[2];
        List<String> problems = new ArrayList<>();
        // a standby replays the primary's catalog; its subscriptions do not run there
        List<Subscription> all = standby ? List.of() : subscriptions(session, statementMillis, lockMillis, problems);
        List<Subscription> subscriptions = new ArrayList<>();
        List<Subscription> citusShardTransfers = new ArrayList<>();
        for (Subscription s : all) {
            (s.citusShardTransfer() ? citusShardTransfers : subscriptions).add(s);
        }
        List<SequenceSubscription> sequenceSubscriptions = standby || (Integer) facts[4] < SequenceSync.SINCE
                ? List.of() : sequenceSubscriptions(session, statementMillis, lockMillis);
        String id;
        boolean fromSystemIdentifier;
        try {
            id = session.inTransaction(statementMillis, lockMillis, c -> single(c, SYSTEM_IDENTIFIER));
            fromSystemIdentifier = true;
        } catch (SQLException e) {
            log.info("seqguard startup guard: pg_control_system() is not readable ({}); identifying the primary by "
                    + "address, port and database oid instead", e.getMessage());
            id = session.inTransaction(statementMillis, lockMillis, c -> single(c, FALLBACK_IDENTITY));
            fromSystemIdentifier = false;
        }
        return new ServerFacts((String) facts[0], (String) facts[1], standby, (String) facts[3], subscriptions,
                sequenceSubscriptions, id, fromSystemIdentifier, problems, citusShardTransfers);
    }

    private static List<Subscription> subscriptions(GuardSession session, long statementMillis, long lockMillis,
            List<String> problems) {
        try {
            return session.inTransaction(statementMillis, lockMillis, ServerFacts::enabledSubscriptions);
        } catch (SQLException e) {
            String note = "could not check pg_subscription for enabled subscriptions (" + e.getMessage()
                    + "); going on as if there were none";
            log.warn("seqguard startup guard: {}", note);
            problems.add(note);
            return List.of();
        }
    }

    /** The enabled subscriptions of the connection's database, Citus's own shard moves told apart. */
    static List<Subscription> enabledSubscriptions(Connection connection) throws SQLException {
        List<Subscription> found = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(ENABLED_SUBSCRIPTIONS)) {
            while (rs.next()) {
                found.add(new Subscription(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return found;
    }

    /** Unlike the enabled subscriptions, a failure here is not guessed away: a repair it hides could be undone. */
    private static List<SequenceSubscription> sequenceSubscriptions(GuardSession session, long statementMillis,
            long lockMillis) throws SQLException {
        return session.inTransaction(statementMillis, lockMillis, c -> {
            List<SequenceSubscription> found = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SEQUENCE_SUBSCRIPTIONS)) {
                while (rs.next()) {
                    found.add(new SequenceSubscription(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                }
            }
            return found;
        });
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
