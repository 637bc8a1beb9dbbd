# The shop, installed exactly as the README's `make install` does (same Makefile, same constraints file).
# docker-compose.yml runs it against the `db` service; the devcontainer mounts the workspace over it.
FROM python:3.11.13-slim-bookworm

# make for the Makefile; curl and jq for the workshop's chapters (scripts/install-doc-tools.sh).
RUN apt-get update \
    && apt-get install -y --no-install-recommends make curl jq \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /workspace
COPY . .
RUN make install PYTHON=python3

# Inside a container the app must listen beyond loopback; compose publishes it on 127.0.0.1 only.
ENV HOST=0.0.0.0
EXPOSE 8000
CMD [".venv/bin/shop", "serve", "--migrate"]
