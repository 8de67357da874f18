# Multi-stage build of the RAS Guard server image.
# Stage 1 builds the jar with Maven (dependencies cached in their own layer); stage 2 runs it on a JRE
# as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY ig-resources/pom.xml ig-resources/
COPY cds-hooks/pom.xml cds-hooks/
COPY fhir-server/pom.xml fhir-server/
RUN mvn -B -q -DskipTests dependency:go-offline || true
COPY . .
RUN mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system rasguard && useradd --system --gid rasguard --home-dir /app --shell /usr/sbin/nologin rasguard \
    && mkdir -p /app/data && chown -R rasguard:rasguard /app
WORKDIR /app
COPY --from=build /src/fhir-server/target/rasguard-server.jar /tmp/rasguard-server.jar
# Faster start (README): the jar as Spring Boot extracts it, and an application class-data archive
# written by one training run on this very JRE (an archive serves only the JVM build and flags that
# wrote it). The training run stops by itself after the validator's warm-up (RASGUARD_EXIT_AFTER_WARM_UP).
RUN java -Djarmode=tools -jar /tmp/rasguard-server.jar extract --destination /app/server \
    && RASGUARD_EXIT_AFTER_WARM_UP=true RASGUARD_HOST=127.0.0.1 RASGUARD_PORT=0 RASGUARD_DATA_DIR=/tmp/training \
       java -XX:MaxRAMPercentage=75 -Xlog:cds*=error -XX:ArchiveClassesAtExit=/app/server/rasguard.jsa \
       -jar /app/server/rasguard-server.jar \
    && rm -rf /tmp/training /tmp/rasguard-server.jar
USER rasguard
# Inside a container the server must listen on all interfaces; the port is published by compose.
# Off loopback the server starts only with authentication configured (RASGUARD_CDS_ISSUERS,
# RASGUARD_FHIR_ISSUER, RASGUARD_FHIR_JWKS) or with RASGUARD_AUTH=disabled: see README, Security.
ENV RASGUARD_HOST=0.0.0.0 \
    RASGUARD_PORT=8080 \
    RASGUARD_DATA_DIR=/app/data
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:SharedArchiveFile=/app/server/rasguard.jsa", "-Xlog:cds*=error", \
            "-jar", "/app/server/rasguard-server.jar"]
