# cellar-agent: the program Backup and Restore Jobs run. It carries recent PostgreSQL client tools
# (PostgreSQL's own Debian packages: pg_dump, and pg_restore and psql for restores), because the
# agent refuses a server newer than its tools and they work with older ones fine, libcurl
# (installed by name, so purging the curl program below keeps it) for S3 storage, and zlib to
# inflate compressed plain-SQL dumps, and age (Debian's) to encrypt and decrypt dumps
# (spec.encryption, spec.decryption).
#   docker build -f docker/agent.Dockerfile -t cellar-agent:0.1.0 .
ARG PG_MAJOR=17
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libcpprest-dev libssl-dev libyaml-cpp-dev libpq-dev \
      libcurl4-openssl-dev zlib1g-dev \
      libspdlog-dev nlohmann-json3-dev libhowardhinnant-date-dev prometheus-cpp-dev \
      googletest libgtest-dev libgmock-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -G Ninja -S . -B /build -DCMAKE_BUILD_TYPE=Release && \
    cmake --build /build --target cellar-agent

FROM debian:bookworm-slim
ARG PG_MAJOR
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gnupg && \
    curl -fsSL https://www.postgresql.org/media/keys/ACCC4CF8.asc | \
      gpg --dearmor -o /usr/share/keyrings/postgresql.gpg && \
    echo "deb [signed-by=/usr/share/keyrings/postgresql.gpg] http://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list && \
    apt-get update && apt-get install -y --no-install-recommends \
      postgresql-client-${PG_MAJOR} libpq5 libssl3 libspdlog1.10 libfmt9 libcurl4 zlib1g age && \
    apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /build/controller/agent/cellar-agent /usr/local/bin/cellar-agent
ENV CELLAR_PG_DUMP=/usr/lib/postgresql/${PG_MAJOR}/bin/pg_dump \
    CELLAR_PG_RESTORE=/usr/lib/postgresql/${PG_MAJOR}/bin/pg_restore \
    CELLAR_PSQL=/usr/lib/postgresql/${PG_MAJOR}/bin/psql
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/cellar-agent"]
