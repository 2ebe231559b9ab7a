"""Live progress: dbt JSON events become entity states, the console gets one line per event
off a TTY, and the progress file is valid JSON at every moment."""

from __future__ import annotations

import io
import json
from pathlib import Path

from orchestrator.progress import ProgressTracker, interpret

ENTITIES = {"dim_cliente", "fact_vendas"}


def _node_event(name: str, node: str, status: str = "started") -> dict:
    return {
        "info": {"name": name, "msg": "", "level": "info", "invocation_id": "inv"},
        "data": {"node_info": {"resource_type": "model", "node_name": node, "node_status": status}},
    }


def _progress_event(payload: dict) -> dict:
    message = "ETL_PROGRESS " + json.dumps(payload)
    return {"info": {"name": "JinjaLogInfo", "msg": message}, "data": {"msg": message}}


def test_node_and_batch_events_are_interpreted() -> None:
    started = interpret(_node_event("LogStartLine", "fact_vendas"), ENTITIES)
    assert started is not None and started.kind == "started"
    finished = interpret(_node_event("LogModelResult", "fact_vendas", "error"), ENTITIES)
    assert finished is not None and (finished.kind, finished.status) == ("finished", "error")
    batch = interpret(
        _progress_event(
            {"entity": "fact_vendas", "batch": 3, "batches": 12, "rows": 300, "extracted": 1200}
        ),
        ENTITIES,
    )
    assert batch is not None and (batch.batch, batch.batches, batch.rows) == (3, 12, 300)
    assert interpret(_node_event("LogStartLine", "stg_oltp__orders"), ENTITIES) is None
    assert (
        interpret({"info": {"name": "MainReportVersion", "msg": "x"}, "data": {}}, ENTITIES) is None
    )


def test_plain_output_and_progress_file(tmp_path: Path) -> None:
    stream = io.StringIO()
    path = tmp_path / "dw.duckdb.progress.json"
    tracker = ProgressTracker("run-1", sorted(ENTITIES), path, stream=stream, interactive=False)
    tracker.handle_event(_node_event("LogStartLine", "fact_vendas"))
    snapshot = json.loads(path.read_text())
    assert snapshot["current_entity"] == "fact_vendas"
    assert snapshot["entities"]["fact_vendas"]["state"] == "running"
    tracker.handle_event(
        _progress_event({"entity": "fact_vendas", "batch": 1, "batches": 2, "rows": 10})
    )
    tracker.handle_event(_node_event("LogModelResult", "fact_vendas", "success"))
    tracker.finish("success")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[fact_vendas] started"
    assert lines[1].startswith("[fact_vendas] batch 1/2 rows 10")
    assert lines[2].startswith("[fact_vendas] success in ")
    final = json.loads(path.read_text())
    assert final["status"] == "success" and final["current_entity"] is None
    assert final["entities"]["dim_cliente"]["state"] == "pending"
    assert not list(tmp_path.glob("*.tmp"))


def test_tty_output_redraws_in_place() -> None:
    stream = io.StringIO()
    tracker = ProgressTracker("run-1", sorted(ENTITIES), None, stream=stream, interactive=True)
    tracker.handle_event(_node_event("LogStartLine", "dim_cliente"))
    tracker.handle_event(_node_event("LogModelResult", "dim_cliente", "success"))
    output = stream.getvalue()
    assert "\x1b[2F" in output  # second draw moves back over the two entity lines
