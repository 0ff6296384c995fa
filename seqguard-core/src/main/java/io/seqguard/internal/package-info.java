/**
 * How seqguard works inside: catalog discovery, chunked reads, the sequence arithmetic, forward-only repair
 * statements and report rendering. Not API: public only where {@code io.seqguard} needs to reach it.
 */
package io.seqguard.internal;
