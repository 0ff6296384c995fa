package io.seqguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DriverMessagesTest {

    @Test
    void theDriversFinalFullStopMakesWayForOurs() {
        assertThat(DriverMessages.clause(new SQLException("Connection to 127.0.0.1:1 refused. Check that the "
                + "hostname and port are correct.")))
                .isEqualTo("Connection to 127.0.0.1:1 refused. Check that the hostname and port are correct");
        assertThat(DriverMessages.clause(new SQLException("FATAL: database \"x\" does not exist")))
                .isEqualTo("FATAL: database \"x\" does not exist");
    }

    @Test
    void anEllipsisStaysAndBlanksGo() {
        assertThat(DriverMessages.clause(new SQLException("waiting... "))).isEqualTo("waiting...");
    }

    @Test
    void noMessageSaysWhatWasThrown() {
        assertThat(DriverMessages.clause(new SQLException())).isEqualTo("SQLException");
        assertThat(DriverMessages.clause(new IllegalStateException("  "))).isEqualTo("IllegalStateException");
    }
}
