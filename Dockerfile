# Build: cgo is needed by mattn/go-sqlite3.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/stateset ./cmd/stateset

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data stateset && mkdir -p /data && chown stateset /data
COPY --from=build /out/stateset /usr/local/bin/stateset
USER stateset
VOLUME /data
EXPOSE 8080 4222
ENV STATESET_DATA_DIR=/data STATESET_HTTP_ADDR=:8080 STATESET_LOG_FORMAT=json
ENTRYPOINT ["stateset"]
CMD ["serve"]
