package io.seqguard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootVersion;

/** Each run of the suite (Spring Boot 4.0 in `test`, the next line in `integration-test`) has the Boot it claims. */
class SpringBootVersionTests {

    @Test
    void runsOnTheExpectedSpringBoot() {
        String expected = System.getProperty("expected.spring-boot.version");
        assertThat(expected).as("expected.spring-boot.version, set by the pom").isNotBlank();
        assertThat(SpringBootVersion.getVersion()).isEqualTo(expected);
        System.out.println("seqguard-spring-boot-starter tests on Spring Boot " + SpringBootVersion.getVersion());
    }
}
