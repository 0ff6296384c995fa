package io.seqguard.micronaut.ledger;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PostConstruct;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes through the repositories as early as Micronaut lets an application: an eager ({@code @Context}) bean in its
 * {@code @PostConstruct}, then again when the context has started. Active only where a test sets {@value #ENABLED}.
 */
@Context
@Requires(property = LedgerWrites.ENABLED, value = "true")
public class LedgerWrites implements ApplicationEventListener<StartupEvent> {

    /** The property that turns these writes on. */
    public static final String ENABLED = "test.ledger-writes";

    private final LedgerEntryRepository entries;
    private final OrderLineRepository lines;
    private final ArchivedEntryRepository archived;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    LedgerWrites(LedgerEntryRepository entries, OrderLineRepository lines, ArchivedEntryRepository archived) {
        this.entries = entries;
        this.lines = lines;
        this.archived = archived;
    }

    @PostConstruct
    void duringStartUp() {
        write("post-construct");
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        write("startup-event");
    }

    private void write(String when) {
        ids.add(entries.save(new LedgerEntry(null, when)).id());
        ids.add(lines.save(new OrderLine(null, when)).id());
        ids.add(archived.save(new ArchivedEntry(null, when)).id());
    }

    /** {@return the ids written: entry, order line, archived entry, for each write in turn} */
    public List<Long> ids() {
        return List.copyOf(ids);
    }
}
