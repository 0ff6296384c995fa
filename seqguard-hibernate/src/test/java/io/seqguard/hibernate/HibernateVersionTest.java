package io.seqguard.hibernate;

import static org.assertj.core.api.Assertions.assertThat;

import org.hibernate.Version;
import org.junit.jupiter.api.Test;

/** Each run of the suite really has the Hibernate it claims (6.6 in `test`, 7.2 and 7.4 in the invoker runs). */
class HibernateVersionTest {

    @Test
    void theRunHasTheHibernateItClaims() {
        String expected = System.getProperty("expected.hibernate.version");
        assertThat(expected).as("set by the pom").isNotBlank();
        assertThat(Version.getVersionString()).isEqualTo(expected);
    }
}
