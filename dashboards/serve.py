"""Serve the three business dashboards at once on 127.0.0.1, in the foreground:

    python -m dashboards.serve                  # Vendas 8502, Metas 8503, Descontos e ROI 8504
    python -m dashboards.serve --app vendas     # only some of them
    python -m dashboards.serve --port vendas=9502

Each app is its own `streamlit run` process (the environment passes through: ETL_TARGET,
DuckDB by default, and the ETL_* variables). The launcher waits for them; Ctrl-C (or
SIGTERM) stops all three, and if one exits the others are stopped too, so the command
never leaves a server behind. `make dashboards` runs this.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
APPS = {"vendas": 8502, "metas": 8503, "descontos": 8504}
TITLES = {"vendas": "Vendas", "metas": "Metas", "descontos": "Descontos e ROI"}
ADDRESS = "127.0.0.1"
STOP_TIMEOUT_SECONDS = 10.0


def command(app: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "dashboards" / app / "app.py"),
        "--server.address",
        ADDRESS,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def parse_ports(values: list[str]) -> dict[str, int]:
    ports: dict[str, int] = {}
    for value in values:
        app, _, port = value.partition("=")
        if app not in APPS or not port.isdigit():
            raise argparse.ArgumentTypeError(f"--port {value!r}: expected APP=PORT, APP in {APPS}")
        ports[app] = int(port)
    return ports


def stop(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboards.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--app", action="append", choices=list(APPS), help="serve only this app (repeatable)"
    )
    parser.add_argument(
        "--port", action="append", default=[], metavar="APP=PORT", help="another port"
    )
    args = parser.parse_args(argv)
    try:
        ports = {**APPS, **parse_ports(args.port)}
    except argparse.ArgumentTypeError as exc:
        parser.error(str(exc))
    chosen = args.app or list(APPS)
    processes = {app: subprocess.Popen(command(app, ports[app]), cwd=ROOT) for app in chosen}
    for app in chosen:
        print(f"{TITLES[app]}: http://{ADDRESS}:{ports[app]}", flush=True)

    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        ended = [app for app, process in processes.items() if process.poll() is not None]
        print(f"{', '.join(ended)} parou: encerrando os demais", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
