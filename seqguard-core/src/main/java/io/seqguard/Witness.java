package io.seqguard;

/**
 * Which requirement decided a sequence's least safe next value ({@link SequenceReport#witness()}): the data in the
 * columns it feeds, or what the source database's sequence of the same name had handed out
 * ({@link AlignerConfiguration#source(javax.sql.DataSource)}).
 */
public enum Witness {
    /** The data decided: its maximum (minimum when descending) under the allocation rule. */
    DATA,
    /** The source decided: the value its sequence would hand out next; everything before it may exist somewhere. */
    SOURCE,
    /** Both require the same next value. */
    BOTH,
    /** Nothing required a value: no data and no source witness, or the sequence was not judged. */
    NONE
}
