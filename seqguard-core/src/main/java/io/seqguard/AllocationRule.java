package io.seqguard;

import java.util.Locale;
import java.util.Objects;

/**
 * How an application turns the values of a sequence into ids. The database cannot tell, yet it decides which
 * next value is safe once the data holds a maximum id {@code M} (ascending sequences; descending ones mirror it).
 * Hibernate's optimizers take a block of {@code allocationSize} ids per value; a rule built without a size takes the
 * sequence's increment as the block, which is what Hibernate does when the two agree:
 *
 * <ul>
 *   <li>{@link #plain()}: every {@code nextval()} is one id (Hibernate's optimizer "none"). Safe when
 *       {@code next > M}.</li>
 *   <li>{@link #pooled()}, {@link #pooled(int)}: Hibernate's "pooled" optimizer uses {@code [v - size + 1, v]} for the
 *       value {@code v}. Safe when {@code next >= M + size}. {@code pooled()} is the default: it is the strictest rule
 *       and equal to the others when the increment is 1.</li>
 *   <li>{@link #pooledLo()}, {@link #pooledLo(int)}: Hibernate's "pooled-lo" optimizer uses
 *       {@code [v, v + size - 1]}. Safe when {@code next > M}.</li>
 *   <li>{@link #hilo(int)}: Hibernate's "hilo" optimizer uses {@code [(v - 1) * size + 1, v * size]} for the value
 *       {@code v}. Safe when {@code next > ceil(M / size)}.</li>
 * </ul>
 *
 * <p>A repair sets {@code setval(seq, M + margin, true)} (for hilo: {@code ceil(M / size) + margin}; for a pooled
 * block larger than the increment, far enough that the whole first block lies above {@code M}), so the next value
 * satisfies the rule. A pooled or pooled-lo block larger than the sequence's increment makes consecutive blocks
 * overlap: such a sequence is {@link SequenceStatus#MISMATCHED}, whatever its value.
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
        /** Hibernate "hilo": the value is multiplied by a block size. */
        HILO
    }

    private static final AllocationRule PLAIN = new AllocationRule(Kind.PLAIN, 1);
    private static final AllocationRule POOLED = new AllocationRule(Kind.POOLED, 0);
    private static final AllocationRule POOLED_LO = new AllocationRule(Kind.POOLED_LO, 0);

    private final Kind kind;
    /** Ids per value; 0 for a pooled rule whose block is the sequence's increment. */
    private final int blockSize;

    private AllocationRule(Kind kind, int blockSize) {
        this.kind = kind;
        this.blockSize = blockSize;
    }

    /** {@return every value is one id} */
    public static AllocationRule plain() {
        return PLAIN;
    }

    /** {@return Hibernate's pooled optimizer with the sequence's increment as its block; the default} */
    public static AllocationRule pooled() {
        return POOLED;
    }

    /**
     * Hibernate's pooled optimizer with a known block: the entity's {@code allocationSize}.
     *
     * @param allocationSize ids per sequence value, at least 1
     * @return the rule
     */
    public static AllocationRule pooled(int allocationSize) {
        return new AllocationRule(Kind.POOLED, checkedSize(allocationSize, "pooled"));
    }

    /** {@return Hibernate's pooled-lo optimizer with the sequence's increment as its block} */
    public static AllocationRule pooledLo() {
        return POOLED_LO;
    }

    /**
     * Hibernate's pooled-lo optimizer with a known block: the entity's {@code allocationSize}.
     *
     * @param allocationSize ids per sequence value, at least 1
     * @return the rule
     */
    public static AllocationRule pooledLo(int allocationSize) {
        return new AllocationRule(Kind.POOLED_LO, checkedSize(allocationSize, "pooled-lo"));
    }

    /**
     * Hibernate's hilo optimizer.
     *
     * @param blockSize ids per sequence value (Hibernate's {@code allocationSize}), at least 1
     * @return the rule
     */
    public static AllocationRule hilo(int blockSize) {
        return new AllocationRule(Kind.HILO, checkedSize(blockSize, "hilo"));
    }

    private static int checkedSize(int size, String kind) {
        if (size < 1) {
            throw new IllegalArgumentException("allocation: the " + kind + " block size must be at least 1, was "
                    + size);
        }
        return size;
    }

    /**
     * Parses the configuration form: {@code plain}, {@code pooled}, {@code pooled-lo}, {@code pooled:<size>},
     * {@code pooled-lo:<size>} or {@code hilo:<size>} (case-insensitive; {@code _} works as {@code -}).
     *
     * @param text the configured value
     * @return the rule
     * @throws IllegalArgumentException naming the accepted values when the text is none of them
     */
    public static AllocationRule parse(String text) {
        Objects.requireNonNull(text, "allocation");
        String value = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        int colon = value.indexOf(':');
        String kind = colon < 0 ? value : value.substring(0, colon).trim();
        Integer size = null;
        if (colon >= 0) {
            try {
                size = Integer.parseInt(value.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw notARule(text);
            }
        }
        switch (kind) {
            case "plain":
                if (size != null) {
                    throw notARule(text);
                }
                return PLAIN;
            case "pooled":
                return size == null ? POOLED : pooled(size);
            case "pooled-lo":
                return size == null ? POOLED_LO : pooledLo(size);
            case "hilo":
                if (size == null) {
                    throw notARule(text);
                }
                return hilo(size);
            default:
                throw notARule(text);
        }
    }

    private static IllegalArgumentException notARule(String text) {
        return new IllegalArgumentException("allocation: '" + text + "' is not an allocation rule; use plain, pooled, "
                + "pooled-lo, pooled:<size>, pooled-lo:<size> or hilo:<size>");
    }

    /** {@return the kind of optimizer} */
    public Kind kind() {
        return kind;
    }

    /**
     * {@return ids per sequence value} The block size of {@link Kind#HILO} and of a pooled or pooled-lo rule built with
     * one; 0 for {@link #pooled()} and {@link #pooledLo()}, whose block is the sequence's increment; 1 for
     * {@link Kind#PLAIN}.
     */
    public int blockSize() {
        return blockSize;
    }

    /** The configuration form, which {@link #parse(String)} reads back. */
    @Override
    public String toString() {
        String size = blockSize > 0 ? ":" + blockSize : "";
        switch (kind) {
            case PLAIN:
                return "plain";
            case POOLED:
                return "pooled" + size;
            case POOLED_LO:
                return "pooled-lo" + size;
            default:
                return "hilo" + size;
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
