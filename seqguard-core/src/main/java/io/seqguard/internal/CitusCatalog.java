package io.seqguard.internal;

import io.seqguard.CitusCluster;
import io.seqguard.ColumnSource;
import io.seqguard.Vocabulary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what Citus's catalog says about this database, when it is a Citus node: the extension, this node's group, the
 * groups that hand out ids, and which of the tables the sequences feed are Citus tables; then marks each sequence that
 * feeds one ({@link SequenceInfo#citus}) and the reads its judgement needs: within this node's slice only. Citus's
 * catalogs are in {@code pg_catalog} and readable by every role, but exist only once the extension is created, so
 * nothing else is asked before that.
 */
final class CitusCatalog {

    /** The first Citus release that syncs metadata to every node by default, so that every node inserts. */
    static final int SINCE_MAJOR = 11;

    private static final String EXTENSION = "SELECT extversion FROM pg_extension WHERE extname = 'citus'";
    private static final String LOCAL = "SELECT (SELECT groupid FROM pg_dist_local_group LIMIT 1)::bigint,"
            + " (SELECT count(*) FROM pg_dist_partition)";
    /** The groups that hand out ids: every active primary with metadata (the coordinator's is added always). */
    private static final String NODES = "SELECT groupid::bigint, nodename, nodeport FROM pg_dist_node"
            + " WHERE noderole::text = 'primary' AND isactive AND (hasmetadata OR groupid = 0)"
            + " ORDER BY groupid, nodeid";
    private static final String TABLES = "SELECT logicalrelid::oid::bigint, partmethod::text, repmodel::text,"
            + " colocationid FROM pg_dist_partition WHERE logicalrelid = ANY (?::oid[])";

    private CitusCatalog() {
    }

    /**
     * What seqguard learned about the cluster.
     *
     * @param unsupported why the sequences feeding Citus tables are not judged here; null when they are
     */
    record Topology(String version, long group, List<Long> groups, List<CitusCluster.Node> nodes, long citusTables,
            String unsupported) implements CitusCluster {

        Topology {
            groups = List.copyOf(groups);
            nodes = List.copyOf(nodes);
        }

        @Override
        public long rangeStart() {
            return CitusRanges.ofGroup(group).low().longValueExact();
        }

        @Override
        public long rangeEnd() {
            return CitusRanges.ofGroup(group).high().longValueExact();
        }
    }

    /**
     * Reads Citus's catalog and marks the sequences that feed Citus tables.
     *
     * @return the cluster as this node sees it; null when the database is no Citus node (no citus extension)
     */
    static Topology read(Connection connection, List<SequenceInfo> sequences, Vocabulary words) throws SQLException {
        Topology topology = readTopology(connection);
        if (topology == null) {
            return null;
        }
        Map<Long, String> kinds = tableKinds(connection, sequences);
        for (SequenceInfo s : sequences) {
            Set<String> fedKinds = new HashSet<>();
            for (ColumnInfo c : s.columns) {
                c.citusTable = kinds.get(c.relOid);
                if (c.citusTable != null) {
                    fedKinds.add(c.citusTable);
                }
            }
            if (!fedKinds.isEmpty()) {
                mark(s, topology, words);
            }
        }
        return topology;
    }

    /** {@return the cluster as this node sees it; null when the database is no Citus node (no citus extension)} */
    static Topology readTopology(Connection connection) throws SQLException {
        String version;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(EXTENSION)) {
            if (!rs.next()) {
                return null;
            }
            version = rs.getString(1);
        }
        long group;
        long citusTables;
        boolean groupKnown;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(LOCAL)) {
            rs.next();
            group = rs.getLong(1);
            groupKnown = !rs.wasNull();
            citusTables = rs.getLong(2);
        }
        Set<Long> groups = new TreeSet<>();
        groups.add(0L);
        List<CitusCluster.Node> nodes = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(NODES)) {
            while (rs.next()) {
                groups.add(rs.getLong(1));
                nodes.add(new CitusCluster.Node(rs.getLong(1), rs.getString(2), rs.getInt(3)));
            }
        }
        String unsupported = major(version) < SINCE_MAJOR
                ? "seqguard supports Citus " + SINCE_MAJOR + " and later, where every node has the metadata and "
                        + "inserts; this database has citus " + version
                : !groupKnown ? "pg_dist_local_group names no group for this node" : null;
        if (groupKnown) {
            groups.add(group);
        }
        return new Topology(version, group, new ArrayList<>(groups), nodes, citusTables, unsupported);
    }

    /** The kind of each Citus table among the tables the sequences feed, by oid, as {@code citus_tables} names it. */
    private static Map<Long, String> tableKinds(Connection connection, List<SequenceInfo> sequences)
            throws SQLException {
        Set<Long> tables = new HashSet<>();
        for (SequenceInfo s : sequences) {
            for (ColumnInfo c : s.columns) {
                tables.add(c.relOid);
            }
        }
        Map<Long, String> kinds = new HashMap<>();
        if (tables.isEmpty()) {
            return kinds;
        }
        try (PreparedStatement ps = connection.prepareStatement(TABLES)) {
            ps.setArray(1, connection.createArrayOf("bigint", tables.toArray(new Long[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kinds.put(rs.getLong(1), kind(rs.getString(2), rs.getString(3), rs.getInt(4)));
                }
            }
        }
        return kinds;
    }

    /** {@code pg_dist_partition}'s method and replication model, in the words of {@code citus_tables}. */
    static String kind(String method, String replication, int colocation) {
        if (!"n".equals(method)) {
            return "distributed";
        }
        if ("t".equals(replication)) {
            return "reference";
        }
        return colocation == 0 ? "local" : "single shard";
    }

    /**
     * Marks one sequence feeding Citus tables, and what its columns' reads are: a bigint sequence's within this node's
     * slice (on the coordinator also above every group's slice, for the note); none for an int or smallint sequence
     * on a worker (Citus parks it there) or one seqguard does not judge here.
     */
    private static void mark(SequenceInfo s, Topology node, Vocabulary words) {
        long group = node.group();
        boolean sliced = "bigint".equals(s.dataType);
        String why = node.unsupported() != null ? node.unsupported()
                : s.descending() ? "it counts down, and Citus slices ascending sequences only" : null;
        s.citus = new CitusSequence(group, sliced, why == null ? null : refusal(why, node.version(), group, words));
        if (s.noPrivilege && s.skipReason != null && group != 0
                && s.columns.stream().anyMatch(c -> c.sources.contains(ColumnSource.IDENTITY))) {
            s.skipReason += " (Citus does not carry GRANTs on identity sequences to the workers: grant on this node, "
                    + "or on every node at once from the coordinator with "
                    + "SELECT run_command_on_all_nodes('GRANT ...'))";
        }
        boolean read = why == null && (sliced || group == 0);
        List<CitusRanges.Range> ranges = new ArrayList<>();
        ranges.add(CitusRanges.ofGroup(group));
        CitusRanges.Range above = group == 0 ? CitusRanges.aboveGroups(node.groups()) : null;
        if (above != null) {
            ranges.add(above);
        }
        for (ColumnInfo c : s.columns) {
            if (!c.compared) {
                continue;
            }
            if (!read) {
                // nothing to read: what is decided needs no data, so a table the role may not read does not matter
                c.readDirectly = false;
                c.unreadable = false;
                c.note = why != null ? "not read: seqguard does not judge this sequence on this Citus node"
                        : "not read on this worker: Citus hands out int and smallint ids on the coordinator only";
            } else if (sliced) {
                c.citusRanges = List.copyOf(ranges);
            }
        }
    }

    /** The refusal for a sequence feeding Citus tables that seqguard cannot judge on this node. */
    private static String refusal(String why, String version, long group, Vocabulary words) {
        return "seqguard cannot judge it on this Citus node (citus " + version + ", group " + group + "): " + why
                + ". Citus gives each node its own slice of every bigint sequence and parks int and smallint sequences "
                + "on the workers, while max(id) read on any node covers every node's rows: judged as on plain "
                + "PostgreSQL, a repair would move it into another node's range and create duplicate ids, so it was "
                + "neither checked nor changed. Check it on each node against that node's range by hand (README, "
                + "\"Citus\"), or exclude it (" + words.name("excludeSequences") + ")";
    }

    /** The major version of an extension version such as {@code 13.2-1}; 0 when it cannot be read. */
    static int major(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, Math.min(end, 9)));
    }
}
