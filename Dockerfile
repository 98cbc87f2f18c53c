# piaflow server image (used by docker-compose.yml). Build: docker build -t piaflow .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/piaflow ./cmd/piaflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/piaflow /usr/local/bin/piaflow
# Without PIAFLOW_DATABASE_URL the SQLite file goes to /home/nonroot/.piaflow (mount a volume there).
ENV PIAFLOW_ADDR=0.0.0.0:8080
WORKDIR /home/nonroot
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/piaflow"]
CMD ["serve"]
