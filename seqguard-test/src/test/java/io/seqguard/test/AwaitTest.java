package io.seqguard.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHoldsRetryingFailedChecks() {
        AtomicInteger checks = new AtomicInteger();
        Await.until("the third check", Duration.ofSeconds(10), () -> {
            if (checks.incrementAndGet() == 1) {
                throw new SQLException("the database system is starting up");
            }
            return checks.get() == 3;
        });
        assertThat(checks).hasValue(3);
    }

    @Test
    void failsNamingWhatNeverHappenedWithTheLastFailureAsCause() {
        SQLException refused = new SQLException("connection refused");
        assertThatThrownBy(() -> Await.until("the standby to start", Duration.ofMillis(50), () -> {
            throw refused;
        })).isInstanceOf(AssertionError.class)
                .hasMessage("waited 50 ms for the standby to start, in vain; the last check failed with: "
                        + "connection refused")
                .hasCause(refused);
    }

    @Test
    void aFailureFollowedByPlainFalseIsNotBlamed() {
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> Await.until("the replica", Duration.ofMillis(50), () -> {
            if (checks.incrementAndGet() == 1) {
                throw new SQLException("connection refused");
            }
            return false;
        })).isInstanceOf(AssertionError.class).hasMessage("waited 50 ms for the replica, in vain").hasNoCause();
    }

    @Test
    void anAssertionInsideTheConditionFailsAtOnce() {
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> Await.until("a primary", Duration.ofSeconds(10), () -> {
            checks.incrementAndGet();
            throw new AssertionError("the server is a standby");
        })).hasMessage("the server is a standby");
        assertThat(checks).hasValue(1);
    }
}
