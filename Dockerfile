# syntax=docker/dockerfile:1
#
# One image per service module of the lab. MODULE picks the module:
#
#   docker build --build-arg MODULE=inventory-service -t dtx-lab/inventory-service .
#
# docker-compose.yml builds every module this way; the three coordinators share one image,
# and so do the three replicas. The node id, port, data dir, members and tokens all come from
# the environment at run time (DTX_NODE_ID, SERVER_PORT, DTX_DATA_DIR, ...), never from the image.

# No default: building without --build-arg MODULE=... fails fast in the build stage.
ARG MODULE

# ---------------------------------------------------------------------------------------------
# Build stage: the Maven wrapper builds the module and the modules it needs (-am).
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jdk-noble AS build
ARG MODULE
WORKDIR /src

# .dockerignore keeps target/, data/ and .git out of the context.
COPY . .

# The cache mount keeps ~/.m2 (the wrapper's Maven download and the local repository) between
# builds. It needs BuildKit, which is the default for `docker build` and Compose v2; on the legacy
# builder set DOCKER_BUILDKIT=1.
RUN --mount=type=cache,target=/root/.m2 \
    set -eu; \
    test -n "${MODULE}" && test -f "${MODULE}/pom.xml" \
      || { echo "MODULE must name a module directory with a pom.xml, was '${MODULE}'" >&2; exit 1; }; \
    chmod +x mvnw; \
    ./mvnw -B -q -DskipTests -pl "${MODULE}" -am package; \
    test -f "${MODULE}/target/${MODULE}-exec.jar"

# ---------------------------------------------------------------------------------------------
# Runtime stage: a JRE, a non-root user, and the module's runnable (spring-boot repackaged) jar.
# ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-noble AS runtime
ARG MODULE

LABEL org.opencontainers.image.title="dtx-lab/${MODULE}" \
      org.opencontainers.image.description="dtx-lab ${MODULE}" \
      io.dtxlab.module="${MODULE}"

# curl is what the healthcheck uses; the temurin images ship it, install it only if it is missing.
RUN set -eux; \
    if ! command -v curl >/dev/null 2>&1; then \
      apt-get update; \
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl; \
      rm -rf /var/lib/apt/lists/*; \
    fi; \
    groupadd --system --gid 10001 dtx; \
    useradd --system --uid 10001 --gid dtx --home-dir /app --shell /usr/sbin/nologin dtx; \
    mkdir -p /app /data; \
    chown dtx:dtx /app /data

WORKDIR /app
# The module's runnable jar (spring-boot repackage, classifier exec), under a fixed name.
COPY --from=build --chown=dtx:dtx /src/${MODULE}/target/${MODULE}-exec.jar /app/app.jar

# /data exists and belongs to dtx, so a fresh named volume mounted there inherits that owner.
ENV DTX_DATA_DIR=/data
VOLUME ["/data"]

USER dtx:dtx

# No EXPOSE: one image serves several nodes on different ports; the port comes from SERVER_PORT
# (compose sets it per node and publishes it explicitly). Spring's default is 8080.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
    CMD curl -fsS "http://localhost:${SERVER_PORT:-8080}/actuator/health" >/dev/null || exit 1

# Heap sized from the container's memory limit (60%: metaspace, threads and direct buffers of a
# Spring Boot service need the rest); die on OOM rather than limp on.
# Extra JVM flags go in JAVA_TOOL_OPTIONS, which the JVM reads by itself.
ENTRYPOINT ["java", \
            "-XX:MaxRAMPercentage=60.0", \
            "-XX:InitialRAMPercentage=25.0", \
            "-XX:+ExitOnOutOfMemoryError", \
            "-jar", "/app/app.jar"]
