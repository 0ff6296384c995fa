package io.seqguard;

import java.util.List;

/**
 * What seqguard learned about the Citus cluster a database belongs to ({@link AlignmentReport#citus()}): which node
 * it ran on and the nodes that hand out ids. On a Citus node every sequence that feeds a Citus table is judged on this
 * node only, against the data inside this node's range ({@link SequenceReport#nodeRangeStart()}); {@code setval} does
 * not reach the other nodes, so each one is verified and repaired on its own (the command line's
 * {@code --all-nodes} runs on every one).
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface CitusCluster {

    /** {@return the version of the citus extension in this database, for example {@code 13.2-1}} */
    String version();

    /** {@return this node's group ({@code pg_dist_local_group}): 0 on the coordinator} */
    long group();

    /** {@return whether this node is the coordinator (group 0)} */
    default boolean coordinator() {
        return group() == 0;
    }

    /**
     * {@return the first value of this node's slice of every bigint sequence: {@code (group << 48) + 1}}
     */
    long rangeStart();

    /**
     * {@return the last value of this node's slice of every bigint sequence: {@code (group + 1) << 48} (Citus sets a
     * worker's {@code maxvalue} one beyond it, into the next group's slice)}
     */
    long rangeEnd();

    /** {@return the groups that hand out ids: the coordinator's and every active primary's with metadata, in order} */
    List<Long> groups();

    /**
     * {@return the nodes of those groups that {@code pg_dist_node} lists, in group order (the coordinator is listed
     * only once {@code citus_set_coordinator_host} has been called)}
     */
    List<Node> nodes();

    /** {@return how many Citus tables ({@code pg_dist_partition}) the database has} */
    long citusTables();

    /**
     * {@return why seqguard does not judge this node's sequences that feed Citus tables (they are then not verifiable,
     * and never repaired); null when it does}
     */
    String unsupported();

    /**
     * A node of the cluster, as {@code pg_dist_node} lists it: the address the coordinator reaches it at.
     *
     * @param group its group
     * @param host its host name or address
     * @param port its port
     */
    record Node(long group, String host, int port) {
    }
}
