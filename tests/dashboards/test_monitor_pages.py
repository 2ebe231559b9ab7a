"""Every page of the monitor through AppTest, against the warehouse of real orchestrator
runs: the values shown are the audit's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.conftest import ROOT, MonitorSite

APP = str(ROOT / "dashboards" / "monitor" / "app.py")


def app() -> AppTest:
    test = AppTest.from_file(APP, default_timeout=60)
    test.run()
    assert not test.exception, test.exception
    return test


def open_page(page: str) -> AppTest:
    test = AppTest.from_file(APP, default_timeout=60)
    test.switch_page(f"app_pages/{page}.py")
    test.run()
    assert not test.exception, test.exception
    return test


def metric(test: AppTest, label: str) -> str:
    values = [item.value for item in test.metric if item.label == label]
    assert values, f"no metric {label!r} in {[item.label for item in test.metric]}"
    return values[0]


def frame(test: AppTest, *columns: str) -> pd.DataFrame:
    """The first table shown with all these columns."""
    for element in test.dataframe:
        value = element.value
        if set(columns) <= set(value.columns):
            return value
    shown = [list(element.value.columns) for element in test.dataframe]
    raise AssertionError(f"no table with columns {columns}; tables: {shown}")


def test_resumo_shows_success_rate_failed_entity_and_error_category(
    monitor_env: MonitorSite,
) -> None:
    test = app()
    assert metric(test, "Taxa de sucesso 24h") == "50,0%"  # success, then partial
    assert metric(test, "Falhas 24h") == "1"
    assert metric(test, "Ultimo run") == "partial"
    assert metric(test, "Entidades ativas") == "9"
    assert metric(test, "Pipelines em falha") == "1"
    matrix = frame(test, "entity", "status", "coverage_percent").set_index("entity")
    assert matrix.loc["fact_descontos", "status"] == "FALHA"
    assert matrix.loc["dim_cliente", "status"] == "OK"
    assert matrix.loc["dim_regiao", "coverage_percent"] == 100.0
    assert matrix.loc["fact_descontos", "last_error_category"] == "conversao"
    failures = frame(test, "entity_name", "error_category", "motivo")
    failed = failures[failures["entity_name"] == "fact_descontos"].iloc[0]
    assert failed["error_category"] == "conversao"
    assert "conversao" in failed["motivo"].lower() or "tipo" in failed["motivo"].lower()
    assert failed["acao_sugerida"]
    # one failure in two runs is below FALHA_RECORRENTE's 3 runs; nothing waits: no alert
    assert metric(test, "Conformidade SLA") == "100,0%"
    assert "Nenhum alerta de SLA." in [item.value for item in test.success]
    assert "Pre-flight: tudo OK" in [item.label for item in test.expander]
    # both runs were incremental: no full check yet
    assert metric(test, "Ultima verificacao completa") == "nenhuma"
    assert any("Nenhuma verificacao completa ainda" in item.value for item in test.caption)


def test_resumo_shows_the_last_full_check_its_status_run_id_and_how_long_ago(
    checked_env: MonitorSite,
) -> None:
    ((run_id, finished_at),) = checked_env.dw(
        "select run_id, finished_at from audit.etl_run where full_checks"
    )
    test = app()
    assert metric(test, "Ultimo run") == "success"
    assert metric(test, "Ultima verificacao completa").startswith("ha ")
    (caption,) = [item.value for item in test.caption if "Verificacao completa" in item.value]
    assert f"terminada em {finished_at:%d/%m/%Y %H:%M:%S} UTC" in caption
    assert "status **success**" in caption and f"run `{run_id}`" in caption
    assert "(entidades: dim_regiao)" in caption


def test_saude_shows_dimension_coverage_quality_and_quarantine(monitor_env: MonitorSite) -> None:
    test = open_page("saude")
    test.selectbox(key="health_entity").set_value("dim_regiao").run()
    assert metric(test, "Status") == "OK"
    assert metric(test, "Cobertura") == "100,00%"
    assert metric(test, "Origem") == "15"
    checks = frame(test, "verificacao", "avaliacao").set_index("verificacao")
    assert checks.loc["Cobertura destino/origem", "avaliacao"] == "OK"
    assert checks.loc["Chave natural duplicada no destino", "avaliacao"] == "OK"

    test.selectbox(key="health_entity").set_value("fact_vendas").run()
    assert not test.exception
    summary = frame(test, "reason", "linhas")
    assert int(summary["linhas"].sum()) == 1
    sample = frame(test, "natural_key", "reason")
    assert sample["natural_key"].tolist() == [1]
    checks = frame(test, "verificacao", "avaliacao").set_index("verificacao")
    assert {"FK obrigatoria nula (fato)", "Medidas negativas", "Status invalido"} <= set(
        checks.index
    )

    test.selectbox(key="health_entity").set_value("fact_descontos").run()
    assert metric(test, "Status") == "FALHA"
    checks = frame(test, "verificacao", "avaliacao").set_index("verificacao")
    # the broken source keeps its rows' timestamps: nothing new waits past the watermark
    assert checks.loc["Pendentes desde o watermark", "avaliacao"] == "OK"


def test_runs_page_shows_control_table_and_entity_detail_of_the_failed_run(
    monitor_env: MonitorSite,
) -> None:
    test = open_page("runs")
    control = frame(test, "entity_name", "watermark_id", "last_status").set_index("entity_name")
    assert len(control) == 9
    assert control.loc["fact_descontos", "last_status"] == "failed"
    runs = frame(test, "run_id", "entities_requested", "status")
    assert runs["status"].tolist() == ["partial", "success"]
    partial = runs["run_id"].iloc[0]
    test.selectbox(key="run_detail").set_value(partial).run()
    detail = frame(test, "entity_name", "quarantined_count", "error_action").set_index(
        "entity_name"
    )
    assert detail.loc["fact_descontos", "status"] == "failed"
    assert detail.loc["fact_descontos", "error_category"] == "conversao"
    assert detail.loc["fact_vendas", "quarantined_count"] == 1
    assert "fact_descontos" in test.error[0].value


def test_connection_audit_counts_the_orchestrator_connections_and_classifies_failures(
    monitor_env: MonitorSite,
) -> None:
    test = open_page("conexoes")
    total = int(metric(test, "Conexoes"))
    assert total >= 4  # each run connects at least twice (open and close of the audit)
    assert metric(test, "Falhas de ETL") == "1"
    taxonomy = frame(test, "categoria", "falhas")
    assert taxonomy.set_index("categoria").loc["conversao", "falhas"] == 1
    test.multiselect(key="conn_status").set_value(["failed"]).run()
    assert metric(test, "Conexoes") == "0"


def test_dbt_page_shows_tests_per_model_docs_and_lineage(monitor_env: MonitorSite) -> None:
    test = open_page("dbt_docs")
    by_model = frame(test, "modelo", "testes_ok").set_index("modelo")
    assert by_model.loc["dim_cliente", "testes_ok"] > 0
    assert by_model.loc["dim_cliente", "execucoes"] == 2
    test.selectbox(key="dbt_entity").set_value("dim_cliente").run()
    assert any("Customer dimension" in item.value for item in test.markdown)
    columns = frame(test, "coluna", "descricao")
    assert "cliente_id" in set(columns["coluna"])
    assert test.get("graphviz_chart"), "lineage graph rendered"
    assert any("127.0.0.1:8080" in item.value for item in test.markdown)


@pytest.mark.parametrize("page", ["resumo", "saude", "runs", "conexoes", "dbt_docs"])
def test_every_page_renders_with_ten_thousand_runs_of_history(
    site_copy: MonitorSite, monkeypatch: pytest.MonkeyPatch, page: str, tmp_path: Path
) -> None:
    from tests.dashboards.conftest import use_site
    from tests.dashboards.history import fill_history

    if not (site_copy.path / "history-filled").exists():
        fill_history(site_copy.warehouse, runs=10_000)
        (site_copy.path / "history-filled").touch()
    use_site(site_copy, monkeypatch)
    test = open_page(page)  # no exception
    unreadable = [item.value for item in test.error if "Nao foi possivel ler" in item.value]
    assert not unreadable
    assert test.dataframe, "the page shows its tables"


def test_sidebar_refreshes_now_and_on_an_interval_and_hides_run_now_by_default(
    monitor_env: MonitorSite,
) -> None:
    test = app()
    assert not [button for button in test.button if button.label == "Executar agora"]
    next(button for button in test.button if button.label == "Atualizar agora").click()
    test.run()
    assert not test.exception
    test.toggle(key="auto_refresh").set_value(True).run()
    test.slider(key="refresh_interval").set_value(5).run()
    assert not test.exception
    assert any("Proxima atualizacao em ate 5 s" in item.value for item in test.caption)
    assert metric(test, "Taxa de sucesso 24h") == "50,0%"
