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
COPY --from=build /src/fhir-server/target/rasguard-server.jar /app/rasguard-server.jar
USER rasguard
# Inside a container the server must listen on all interfaces; the port is published by compose.
# Off loopback the server starts only with authentication configured (RASGUARD_CDS_ISSUERS,
# RASGUARD_FHIR_ISSUER, RASGUARD_FHIR_JWKS) or with RASGUARD_AUTH=disabled: see README, Security.
ENV RASGUARD_HOST=0.0.0.0 \
    RASGUARD_PORT=8080 \
    RASGUARD_DATA_DIR=/app/data
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/rasguard-server.jar"]
