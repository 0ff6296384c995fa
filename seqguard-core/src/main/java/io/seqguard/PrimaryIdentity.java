package io.seqguard;

import java.time.Instant;

/**
 * Which PostgreSQL cluster the {@link StartupGuard} ran against, and whether it has run against it before.
 *
 * <p>The id is the cluster's {@code system_identifier} from {@code pg_control_system()}: set by {@code initdb},
 * shared by a primary and its physical standbys, different on a new cluster (a logical replication target, a
 * restored dump). Where the function is not permitted or missing (some managed services hide it), the id is a
 * fallback, {@code fallback:ADDRESS:PORT/DATABASE_OID[/CLUSTER_NAME]} from {@code inet_server_addr()},
 * {@code inet_server_port()} (or the {@code port} setting), the database's oid and {@code cluster_name}: stable across
 * restarts of one server, different after a cutover to another one, but it also changes when the server's address
 * does.
 *
 * <p>"First boot" needs memory across restarts, which only the journal table keeps
 * ({@link GuardConfiguration#journal(boolean)}); without it {@link #recognition()} is {@link Recognition#UNKNOWN}.
 *
 * <p>Built by seqguard; not for implementation by users (methods may be added).
 */
public interface PrimaryIdentity {

    /** {@return the system identifier as a decimal number, or the fallback text} */
    String id();

    /** {@return whether {@link #id()} is the system identifier (false: the fallback)} */
    boolean fromSystemIdentifier();

    /** {@return whether the journal has seen this primary before} */
    Recognition recognition();

    /** {@return when the journal's latest run was against another primary (a cutover), that one; else null} */
    String previousPrimaryId();

    /** {@return the journal's latest run against this primary; null when none or unknown} */
    Instant lastRunAt();

    /** Whether the guard has run against this primary before. */
    public enum Recognition {
        /** The journal holds no run against this primary: the first boot after a cutover, or the very first one. */
        FIRST_BOOT,
        /** The journal holds earlier runs against this primary. */
        KNOWN,
        /** No journal to ask (it is disabled, or could not be read). */
        UNKNOWN
    }

    /** {@return the log line: {@code first boot against primary X}, {@code known primary X} or {@code primary X}} */
    default String describe() {
        String name = id() + (fromSystemIdentifier() ? ""
                : " (fallback identity: the system identifier is not readable)");
        switch (recognition()) {
            case FIRST_BOOT:
                return "first boot against primary " + name
                        + (previousPrimaryId() != null ? "; the journal's previous runs were against primary "
                                + previousPrimaryId() + " (a cutover)" : "");
            case KNOWN:
                return "known primary " + name + (lastRunAt() != null ? " (last guard run " + lastRunAt() + ")" : "");
            default:
                return "primary " + name + " (enable the journal to tell a first boot from a known primary)";
        }
    }
}
