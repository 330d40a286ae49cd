"""Check the API against its own OpenAPI document with schemathesis: every check, no exclusions.

    python scripts/contract_check.py [--examples 300] [--url http://127.0.0.1:5000]

Without --url it builds a small index from tests/articles, serves it with `newsindex serve`
(writes on, with a token) on a free port, and runs `schemathesis run --checks all` against
/api/v1/openapi.json; with --url it tests that server (pass --token if writes are on).
Prints schemathesis' summary; exits with its code (0: no failures). tests/test_fuzz.py runs
the same checks at CI size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def schemathesis_command() -> list[str]:
    found = shutil.which("schemathesis") or shutil.which("st")
    here = Path(sys.executable).parent / "schemathesis"
    return [str(here)] if here.exists() else [found] if found else [sys.executable, "-m", "schemathesis.cli"]


def run(url: str, examples: int, token: str | None, seed: int | None) -> int:
    command = [
        *schemathesis_command(), "run", f"{url}/api/v1/openapi.json", "--checks", "all",
        "--max-examples", str(examples), "--url", url, "--no-color",
    ]
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]
    if seed is not None:
        command += ["--seed", str(seed)]
    print("$", " ".join(command), flush=True)
    # Run elsewhere: schemathesis leaves a .schemathesis folder in its working directory.
    return subprocess.run(command, cwd=tempfile.gettempdir()).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples per operation (default: 300)")
    parser.add_argument("--url", help="a running server (default: start one on a new index)")
    parser.add_argument("--token", help="the server's API token (write endpoints)")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    if args.url:
        return run(args.url.rstrip("/"), args.examples, args.token, args.seed)
    env = dict(os.environ, PYTHONPATH=str(REPO), NEWSINDEX_API_TOKEN="contract-token")
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        subprocess.run(
            [sys.executable, "-m", "api.cli", "ingest", "--index", str(index), "--quiet", "--workers", "1",
             str(REPO / "tests" / "articles"), str(next((REPO / "examples").glob("*.txt")))],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--index", str(index), "--port", str(port)], env=env,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{url}/api/v1/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            return run(url, args.examples, "contract-token", args.seed)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
