package io.seqguard;

/** Where the allocation rule applied to a sequence came from ({@link SequenceReport#allocationSource()}). */
public enum AllocationSource {
    /**
     * The generator of the entity (or entities) whose ids the sequence hands out, found in the application's ORM
     * metadata: its optimizer and {@code allocationSize}.
     */
    ENTITY,
    /**
     * The configuration: the allocation option ({@code seqguard.allocation}, {@code --allocation},
     * {@link AlignerConfiguration#allocation(AllocationRule)}) or a configured mapping's own rule
     * ({@link SequenceMapping.Builder#allocation(AllocationRule)}).
     */
    PROPERTY,
    /** Nothing said otherwise: {@link AlignerConfiguration#DEFAULT_ALLOCATION}. */
    DEFAULT
}
