package io.seqguard.internal;

/**
 * The two values that decide what {@code nextval()} returns: {@code is_called ? last_value + increment :
 * last_value}.
 */
record SequenceState(long lastValue, boolean isCalled) {

    java.math.BigInteger next(long increment) {
        java.math.BigInteger last = java.math.BigInteger.valueOf(lastValue);
        return isCalled ? last.add(java.math.BigInteger.valueOf(increment)) : last;
    }
}
