"""dbt docs: the site generates, and every model and every column it has is described."""

from __future__ import annotations

import json

from tests.dbt_harness import Warehouse


def test_docs_generate_and_every_model_and_column_is_described(warehouse: Warehouse):
    warehouse.run()
    warehouse.dbt("docs", "generate")

    manifest = json.loads((warehouse.target_path / "manifest.json").read_text())
    catalog = json.loads((warehouse.target_path / "catalog.json").read_text())
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "ecommerce_dw"
    }
    assert len(models) >= 30
    undocumented = []
    for unique_id, node in sorted(models.items()):
        if not node["description"].strip():
            undocumented.append(f"{node['name']} (model)")
        described = {
            name.lower() for name, col in node["columns"].items() if col["description"].strip()
        }
        built_columns = catalog["nodes"][unique_id]["columns"]
        undocumented += [
            f"{node['name']}.{name}" for name in built_columns if name.lower() not in described
        ]
    assert not undocumented, f"{len(undocumented)} undescribed: {undocumented[:40]}"
