# syntax=docker/dockerfile:1
# shipshape in a container: a static binary on an empty base, run as a
# non-root user.
#
#   docker build -t shipshape .
#   docker run --rm -v "$PWD:/src:ro" -w /src shipshape lint Dockerfile

# Build a static (musl) binary.
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY rules ./rules
COPY benches ./benches
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin shipshape \
    && cp target/release/shipshape /usr/local/bin/shipshape

# Nothing but the binary, as an unprivileged user.
FROM scratch
COPY --from=build /usr/local/bin/shipshape /usr/local/bin/shipshape
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/shipshape"]
CMD ["lint"]
