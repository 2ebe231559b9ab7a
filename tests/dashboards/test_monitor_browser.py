"""End to end in a real headless Chromium: `streamlit run` serves the monitor on
127.0.0.1, every page loads and shows a known value of the warehouse built by real runs;
the Resumo shows the last full check, or that there has been none. Screenshots land in
the test's tmp dir."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    "": [
        "Taxa de sucesso 24h",
        "50,0%",
        "Pre-flight: tudo OK",
        "Ultima verificacao completa",
        "Nenhuma verificacao completa ainda",
    ],
    "saude": ["Verificacoes de qualidade", "100,00%"],
    "runs": ["Tabela de controle", "fact_descontos: [conversao]"],
    "conexoes": ["Taxonomia de erros das falhas", "Falhas de ETL"],
    "dbt_docs": ["Customer dimension", "127.0.0.1:8080"],
}


@contextmanager
def serve(site: MonitorSite) -> Iterator[str]:
    """The monitor of `site` served by `streamlit run`; yields its URL."""
    port = free_port()
    env = {**os.environ, **site.env}
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


@pytest.fixture
def server(monitor_site: MonitorSite) -> Iterator[str]:
    with serve(monitor_site) as url:
        yield url


@pytest.fixture
def checked_server(checked_site: MonitorSite) -> Iterator[str]:
    with serve(checked_site) as url:
        yield url


@contextmanager
def chromium_page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1500, "height": 1000})
        finally:
            browser.close()


def visit(page: Any, url: str, texts: list[str], shot: Path) -> None:
    """Open `url`, wait for every text, check no exception is shown, take a screenshot."""
    page.goto(url, wait_until="domcontentloaded")
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
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt chromium)")
def test_every_page_renders_in_headless_chromium_with_its_known_values(
    server: str, tmp_path: Path
) -> None:
    with chromium_page() as page:
        for path, texts in PAGES.items():
            visit(page, f"{server}/{path}", texts, tmp_path / f"monitor-{path or 'resumo'}.png")
        assert page.get_by_text("Verificacao completa terminada").count() == 0
    print(f"screenshots in {tmp_path}")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt chromium)")
def test_resumo_shows_the_last_full_check_in_headless_chromium(
    checked_site: MonitorSite, checked_server: str, tmp_path: Path
) -> None:
    ((run_id, finished_at),) = checked_site.dw(
        "select run_id, finished_at from audit.etl_run where full_checks"
    )
    with chromium_page() as page:
        texts = [
            "Ultima verificacao completa",
            f"Verificacao completa terminada em {finished_at:%d/%m/%Y %H:%M:%S} UTC",
            run_id,
        ]
        visit(page, checked_server, texts, tmp_path / "monitor-resumo-full-check.png")
        card = page.get_by_test_id("stMetric").filter(has_text="Ultima verificacao completa")
        assert card.get_by_test_id("stMetricValue").inner_text().startswith("ha ")
        caption = page.get_by_text("Verificacao completa terminada").first.inner_text()
        assert "status success" in caption and run_id in caption
        assert page.get_by_text("Nenhuma verificacao completa ainda").count() == 0
    print(f"screenshot in {tmp_path}")
