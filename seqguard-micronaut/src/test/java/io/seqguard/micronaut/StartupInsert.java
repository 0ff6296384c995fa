package io.seqguard.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

/**
 * The application's first write: a repository insert when the context starts, through {@code book_id_seq}. Active
 * only where a test sets {@value #ENABLED}.
 */
@Singleton
@Requires(property = StartupInsert.ENABLED, value = "true")
public class StartupInsert implements ApplicationEventListener<StartupEvent> {

    static final String ENABLED = "test.startup-insert";

    private final BookRepository books;
    private volatile Book saved;

    StartupInsert(BookRepository books) {
        this.books = books;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        saved = books.save(new Book(null, "written at start-up"));
    }

    Book saved() {
        return saved;
    }
}
