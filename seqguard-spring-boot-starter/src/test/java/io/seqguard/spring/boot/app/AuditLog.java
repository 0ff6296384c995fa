package io.seqguard.spring.boot.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes through JdbcTemplate while the context is still starting (in its constructor), not only from a runner. */
@Component
public class AuditLog {

    private final JdbcTemplate jdbc;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        write("application starting");
    }

    public long write(String message) {
        Long id = jdbc.queryForObject("INSERT INTO audit_event (message) VALUES (?) RETURNING id", Long.class,
                message);
        ids.add(id);
        return id;
    }

    public List<Long> ids() {
        return ids;
    }
}
