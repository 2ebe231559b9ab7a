"""End to end in a real headless Chromium: `streamlit run` serves the monitor on
127.0.0.1, every page loads and shows a known value of the warehouse built by real runs.
Screenshots land in the test's tmp dir."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dashboards.conftest import ROOT, MonitorSite, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# page url path -> a text it must show (metric values, captions, messages: the tables
# themselves are drawn on a canvas)
PAGES = {
    "": ["Taxa de sucesso 24h", "50,0%", "Pre-flight: tudo OK"],
    "saude": ["Verificacoes de qualidade", "100,00%"],
    "runs": ["Tabela de controle", "fact_descontos: [conversao]"],
    "conexoes": ["Taxonomia de erros das falhas", "Falhas de ETL"],
    "dbt_docs": ["Customer dimension", "127.0.0.1:8080"],
}


@pytest.fixture
def server(monitor_site: MonitorSite) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, **monitor_site.env}
    env.pop("ETL_MONITOR_ALLOW_RUN", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboards/monitor/app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"streamlit did not start: {output}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt chromium)")
def test_every_page_renders_in_headless_chromium_with_its_known_values(
    server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            for path, texts in PAGES.items():
                page.goto(f"{server}/{path}", wait_until="domcontentloaded")
                for text in texts:
                    page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
                # let charts and tables finish drawing
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                    timeout=60_000,
                )
                page.wait_for_timeout(1500)
                exceptions = page.locator("[data-testid='stException']")
                assert exceptions.count() == 0, exceptions.first.inner_text()
                shot = tmp_path / f"monitor-{path or 'resumo'}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
        finally:
            browser.close()
    print(f"screenshots in {tmp_path}")
