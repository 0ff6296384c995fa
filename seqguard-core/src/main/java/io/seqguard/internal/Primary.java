package io.seqguard.internal;

import io.seqguard.PrimaryIdentity;

import java.time.Instant;
import java.util.Objects;

/** The {@link PrimaryIdentity} seqguard reports. */
record Primary(String id, boolean fromSystemIdentifier, Recognition recognition, String previousPrimaryId,
        Instant lastRunAt) implements PrimaryIdentity {

    Primary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(recognition, "recognition");
    }
}
