package io.seqguard;

import java.util.Locale;
import java.util.Objects;

/**
 * How an application turns the values of a sequence into ids. The database cannot tell, yet it decides which
 * next value is safe once the data holds a maximum id {@code M} (ascending sequences; descending ones mirror it):
 *
 * <ul>
 *   <li>{@link #plain()}: every {@code nextval()} is one id. Safe when {@code next > M}.</li>
 *   <li>{@link #pooled()}: Hibernate's "pooled" optimizer ({@code allocationSize} = the increment) uses
 *       {@code [v - inc + 1, v]} for the value {@code v}. Safe when {@code next >= M + inc}. This is the default:
 *       it is the strictest rule and equal to the others when the increment is 1.</li>
 *   <li>{@link #pooledLo()}: Hibernate's "pooled-lo" optimizer uses {@code [v, v + inc - 1]}. Safe when
 *       {@code next > M}.</li>
 *   <li>{@link #hilo(int)}: the legacy "hilo" optimizer uses {@code [(v - 1) * block + 1, v * block]} for the value
 *       {@code v}. Safe when {@code next > ceil(M / block)}.</li>
 * </ul>
 *
 * <p>A repair always sets {@code setval(seq, M + margin, true)} (for hilo: {@code ceil(M / block) + margin}), so the
 * next value is one increment past that, which satisfies every rule.
 */
public final class AllocationRule {

    /** The kind of optimizer. */
    public enum Kind {
        /** One id per {@code nextval()}. */
        PLAIN,
        /** Hibernate "pooled": the value is the high end of its block. */
        POOLED,
        /** Hibernate "pooled-lo": the value is the low end of its block. */
        POOLED_LO,
        /** Legacy "hilo": the value is multiplied by a block size. */
        HILO
    }

    private static final AllocationRule PLAIN = new AllocationRule(Kind.PLAIN, 1);
    private static final AllocationRule POOLED = new AllocationRule(Kind.POOLED, 1);
    private static final AllocationRule POOLED_LO = new AllocationRule(Kind.POOLED_LO, 1);

    private final Kind kind;
    private final int blockSize;

    private AllocationRule(Kind kind, int blockSize) {
        this.kind = kind;
        this.blockSize = blockSize;
    }

    /** {@return every value is one id} */
    public static AllocationRule plain() {
        return PLAIN;
    }

    /** {@return Hibernate's pooled optimizer; the default} */
    public static AllocationRule pooled() {
        return POOLED;
    }

    /** {@return Hibernate's pooled-lo optimizer} */
    public static AllocationRule pooledLo() {
        return POOLED_LO;
    }

    /**
     * The legacy hilo optimizer.
     *
     * @param blockSize ids per sequence value (Hibernate's {@code allocationSize}), at least 1
     * @return the rule
     */
    public static AllocationRule hilo(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("allocation: the hilo block size must be at least 1, was " + blockSize);
        }
        return new AllocationRule(Kind.HILO, blockSize);
    }

    /**
     * Parses the configuration form: {@code plain}, {@code pooled}, {@code pooled-lo} or {@code hilo:<block size>}
     * (case-insensitive; {@code _} works as {@code -}).
     *
     * @param text the configured value
     * @return the rule
     * @throws IllegalArgumentException naming the accepted values when the text is none of them
     */
    public static AllocationRule parse(String text) {
        Objects.requireNonNull(text, "allocation");
        String value = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (value) {
            case "plain":
                return PLAIN;
            case "pooled":
                return POOLED;
            case "pooled-lo":
                return POOLED_LO;
            default:
                if (value.startsWith("hilo:")) {
                    try {
                        return hilo(Integer.parseInt(value.substring("hilo:".length()).trim()));
                    } catch (NumberFormatException e) {
                        // falls through to the message below
                    }
                }
                throw new IllegalArgumentException("allocation: '" + text
                        + "' is not an allocation rule; use plain, pooled, pooled-lo or hilo:<block size>");
        }
    }

    /** {@return the kind of optimizer} */
    public Kind kind() {
        return kind;
    }

    /** {@return ids per sequence value for {@link Kind#HILO}; 1 otherwise} */
    public int blockSize() {
        return blockSize;
    }

    /** The configuration form, which {@link #parse(String)} reads back. */
    @Override
    public String toString() {
        switch (kind) {
            case PLAIN:
                return "plain";
            case POOLED:
                return "pooled";
            case POOLED_LO:
                return "pooled-lo";
            default:
                return "hilo:" + blockSize;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllocationRule && ((AllocationRule) other).kind == kind
                && ((AllocationRule) other).blockSize == blockSize;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + blockSize;
    }
}
