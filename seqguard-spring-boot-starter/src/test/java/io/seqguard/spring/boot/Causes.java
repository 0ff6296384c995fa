package io.seqguard.spring.boot;

/** Finding a failure's cause of a type, as tests of start-up failures need. */
public final class Causes {

    private Causes() {
    }

    /**
     * The first cause of the type, the failure itself included.
     *
     * @throws AssertionError when there is none
     */
    public static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }
}
