package io.seqguard.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL 19+ replicates sequences: a subscription to a {@code FOR ALL SEQUENCES} publication sets this database's
 * sequences to the publisher's values at {@code CREATE SUBSCRIPTION} and at {@code REFRESH SEQUENCES}, with no regard
 * to direction. Each sequence such a subscription holds ({@code pg_subscription_rel}, relkind {@code S}) gets a note
 * saying so: a repair it may undo, or a first synchronization still pending.
 */
final class SequenceSync {

    /** The {@code server_version_num} from which subscriptions hold sequences. */
    static final int SINCE = 190000;

    private static final String HELD = """
            SELECT r.srrelid::bigint, quote_ident(s.subname), s.subenabled, r.srsubstate::text
            FROM pg_subscription_rel r
            JOIN pg_subscription s ON s.oid = r.srsubid
            WHERE r.srrelid = ANY (?::oid[])
            ORDER BY s.subname
            """;

    private SequenceSync() {
    }

    /** Adds the notes to the sequences some subscription holds; nothing before PostgreSQL 19. */
    static void note(Connection connection, int serverVersionNum, List<SequenceInfo> sequences) throws SQLException {
        if (serverVersionNum < SINCE || sequences.isEmpty()) {
            return;
        }
        Map<Long, SequenceInfo> byOid = new HashMap<>();
        Long[] oids = new Long[sequences.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = sequences.get(i).oid;
            byOid.put(oids[i], sequences.get(i));
        }
        try (PreparedStatement ps = connection.prepareStatement(HELD)) {
            ps.setArray(1, connection.createArrayOf("bigint", oids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byOid.get(rs.getLong(1)).notes.add(note(rs.getString(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
    }

    /** The note; the subscription is named as SQL writes it ({@code quote_ident}), ready for ALTER SUBSCRIPTION. */
    static String note(String subscription, boolean enabled, String state) {
        String name = "subscription " + subscription + (enabled ? "" : " (disabled)");
        if ("r".equals(state)) {
            return "synchronized by " + name + ": a later ALTER SUBSCRIPTION ... REFRESH SEQUENCES sets the "
                    + "publisher's value here again, backwards too, undoing a repair";
        }
        return name + " has not synchronized it yet (state " + state + "): enabling the subscription or REFRESH "
                + "SEQUENCES will set the publisher's value, backwards too, undoing a repair";
    }
}
