"""End to end in a real headless Chromium: `python -m dashboards.serve` (what
`make dashboards` runs) serves Vendas, Metas and Descontos e ROI on 127.0.0.1; every page
of every app loads with its KPI cards, and choosing an Estado in the Vendas sidebar changes
Receita liquida to the figure of that filter. Screenshots land in the test's tmp dir; with
ETL_SCREENSHOT_DIR set (docs/screenshots for the README), one per app is also saved
there, palette-compressed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dashboards.common import kpis, reporting
from dashboards.common.selection import Selection
from dashboards.common.settings import Settings
from dashboards.vendas import queries as vendas
from tests.dashboards.conftest import ROOT, MonitorSite, free_port, use_site
from tests.dashboards.test_monitor_browser import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Page

# app -> page url path -> texts it must show (metrics and headings: tables and charts
# are drawn on a canvas)
PAGES = {
    "vendas": {
        "": ["Receita liquida", "Leituras rapidas", "Receita por dia da semana"],
        "produtos_regioes": ["Top 12 produtos por receita", "Mix de categorias"],
        "equipe_comercial": ["Ranking de vendedores (top 12)", "Receita por equipe (top 10)"],
        "metricas": ["Dicionario de metricas", "SQL de referencia"],
        "base_detalhada": ["Baixar CSV filtrado", "itens de pedido no filtro"],
    },
    "metas": {
        "": ["Meta total", "Meta x realizado por mes", "Distribuicao por quartil"],
        "equipes_vendedores": ["Top 12 equipes por atingimento", "Top 12 vendedores"],
        "metricas": ["Dicionario de metricas"],
        "base_detalhada": ["Baixar CSV filtrado"],
    },
    "descontos": {
        "": ["ROI ponderado", "Tendencia mensal", "Distribuicao por status de margem"],
        "campanhas": ["Top 12 codigos por desconto concedido", "Desempenho das campanhas"],
        "metricas": ["Dicionario de metricas"],
        "base_detalhada": ["Baixar CSV filtrado"],
    },
}
SCREENSHOT_VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture
def servers(monitor_site: MonitorSite) -> Iterator[dict[str, str]]:
    ports = {app: free_port() for app in PAGES}
    env = {**os.environ, **monitor_site.env}
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboards.serve"]
        + [f"--port={app}={port}" for app, port in ports.items()],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    urls = {app: f"http://127.0.0.1:{port}" for app, port in ports.items()}
    try:
        deadline = time.monotonic() + 90
        pending = set(urls)
        while pending:
            for app in sorted(pending):
                try:
                    with urllib.request.urlopen(f"{urls[app]}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            pending.discard(app)
                except OSError:
                    pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"dashboards did not start: {output}")
            time.sleep(0.3)
        yield urls
    finally:
        process.terminate()  # the launcher stops its three servers
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def settle(page: Page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(1200)


def metric_value(page: Page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def save_compressed(source: Path, destination: Path) -> None:
    from PIL import Image

    destination.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=128).save(destination, optimize=True)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt chromium)")
def test_every_page_of_every_app_renders_and_a_sidebar_filter_changes_a_kpi(
    servers: dict[str, str],
    monitor_site: MonitorSite,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    keep = os.environ.get("ETL_SCREENSHOT_DIR", "")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SCREENSHOT_VIEWPORT)
            for app, paths in PAGES.items():
                for path, texts in paths.items():
                    page.goto(f"{servers[app]}/{path}", wait_until="domcontentloaded")
                    for text in texts:
                        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
                    settle(page)
                    exceptions = page.locator("[data-testid='stException']")
                    assert exceptions.count() == 0, exceptions.first.inner_text()
                    assert page.locator("[data-testid='stMetric']").count() == 8, (app, path)
                    shot = tmp_path / f"{app}-{path or 'visao_geral'}.png"
                    page.screenshot(path=str(shot), full_page=True)
                    assert shot.stat().st_size > 10_000
                    if keep and not path:
                        page.screenshot(path=str(tmp_path / f"{app}.png"))
                        save_compressed(tmp_path / f"{app}.png", ROOT / keep / f"{app}.png")

            # a filter chosen in the browser changes a KPI to that filter's figure
            page.goto(servers["vendas"], wait_until="domcontentloaded")
            page.get_by_text("Receita liquida").first.wait_for(timeout=60_000)
            settle(page)
            before = metric_value(page, "Receita liquida")
            box = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name="Estado")
            box.click()
            box.fill("SP")  # the list is virtualised: type to bring the option into view
            page.get_by_role("option", name="SP", exact=True).click()
            page.keyboard.press("Escape")
            expected = expected_receita(monitor_site, monkeypatch, ("SP",))
            deadline = time.monotonic() + 60
            while metric_value(page, "Receita liquida") != expected:
                assert time.monotonic() < deadline, (before, metric_value(page, "Receita liquida"))
                page.wait_for_timeout(300)
            assert expected != before
            settle(page)
            page.screenshot(path=str(tmp_path / "vendas-filtro-sp.png"), full_page=True)
        finally:
            browser.close()
    print(f"screenshots in {tmp_path}")


def expected_receita(
    site: MonitorSite, monkeypatch: pytest.MonkeyPatch, estados: tuple[str, ...]
) -> str:
    """Receita liquida of the default period (the last 90 days with sales) for estados."""
    use_site(site, monkeypatch)
    settings = Settings.from_env(app="bi")
    last = reporting.bounds(settings, vendas.SPEC.source).iloc[0]["max_data"]
    start = last - timedelta(days=vendas.SPEC.default_days - 1)
    selection = Selection(start, last, (("estado", estados),))
    frame = reporting.measures(
        settings, vendas.SPEC.source, "data_completa", vendas.MEASURES, selection, False
    )
    current, _ = kpis.periods(frame)
    receita = next(kpi for kpi in vendas.KPIS if kpi.key == "receita")
    return receita.card(receita.compute(current))
