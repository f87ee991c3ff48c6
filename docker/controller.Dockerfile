# cellar-controller: built on Debian bookworm, run on bookworm-slim with only its shared libraries.
#   docker build -f docker/controller.Dockerfile -t cellar-controller:0.1.0 .
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config libcpprest-dev libssl-dev libyaml-cpp-dev libpq-dev \
      libcurl4-openssl-dev \
      libspdlog-dev nlohmann-json3-dev libhowardhinnant-date-dev prometheus-cpp-dev \
      libcli11-dev \
      googletest libgtest-dev libgmock-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -G Ninja -S . -B /build -DCMAKE_BUILD_TYPE=Release && \
    cmake --build /build --target cellar-controller

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libcpprest2.10 libssl3 libyaml-cpp0.7 libspdlog1.10 libfmt9 libdate-tz3 \
      libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libcivetweb1 ca-certificates tzdata && \
    rm -rf /var/lib/apt/lists/*
COPY --from=build /build/controller/cellar-controller /usr/local/bin/cellar-controller
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/cellar-controller"]
