"""The original system's 19 warehouse views (models/marts/reporting): each exists after
`dbt build` on DuckDB and on PostgreSQL in the original's schema with exactly the
original's column names in order (the list below is CONTRACT.md's "Warehouse views users
query"), and the dashboard views give hand-computed values on a crafted source.

One warehouse per engine for the whole module: a generated source (scale 0.01) whose
sales are replaced by a handful of crafted orders, with every seller inactive but the
five of the goals case, built once with `dbt build` (every data and unit test), "now"
pinned at NOW (2026-01-16). The SQL Server compile of the views is checked in
tests/targets/test_sqlserver_reporting.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from generator import generate
from orchestrator.audit import ddl_statements
from tests.conftest import _pg_connect
from tests.dbt_harness import Warehouse, environment
from tests.models.conftest import AS_OF, NOW, SCALE, SEED

# CONTRACT.md, "Warehouse views users query": view -> (schema, columns in order)
VIEWS: dict[str, tuple[str, str]] = {
    "vw_clientes_ativos": (
        "dim",
        """
        cliente_id, cliente_original_id, nome_cliente, email, telefone, tipo_cliente, segmento,
        cidade, estado, pais, data_primeiro_cadastro, data_ultima_compra,
        total_compras_historico, valor_total_gasto_historico, ticket_medio_historico,
        eh_cliente_vip, aceita_email_marketing, dias_desde_ultima_compra
        """,
    ),
    "vw_catalogo_produtos": (
        "dim",
        """
        produto_id, codigo_sku, nome_produto, categoria, subcategoria, marca, nome_fornecedor,
        preco_sugerido, avaliacao_media, total_avaliacoes, disponibilidade, faixa_preco,
        selo_qualidade
        """,
    ),
    "vw_vendas_completa": (
        "fact",
        """
        venda_id, numero_pedido, data_id, data_completa, ano, trimestre, mes, nome_mes,
        dia_semana, nome_dia_semana, cliente_id, nome_cliente, tipo_cliente, segmento,
        cliente_pais, cliente_estado, cliente_cidade, produto_id, nome_produto, codigo_sku,
        categoria, subcategoria, marca, nome_fornecedor, regiao_id, regiao_entrega_cidade,
        regiao_entrega_estado, regiao_entrega_regional, vendedor_id, nome_vendedor,
        vendedor_cargo, equipe_id, nome_equipe, tipo_equipe, equipe_regional,
        quantidade_vendida, quantidade_devolvida, quantidade_liquida, preco_unitario_tabela,
        valor_total_bruto, valor_total_descontos, valor_total_liquido, custo_total,
        valor_devolvido, lucro_bruto, margem_percentual, preco_medio_unitario,
        percentual_comissao, valor_comissao, teve_desconto, teve_devolucao, eh_venda_direta,
        data_inclusao, data_atualizacao
        """,
    ),
    "vw_metas_completa": (
        "fact",
        """
        meta_id, vendedor_id, data_id, data_periodo, ano, trimestre, mes, nome_mes,
        tipo_periodo, eh_periodo_fechado, nome_vendedor, apelido_vendedor, cargo,
        nivel_senioridade, equipe_id, nome_equipe, tipo_equipe, regional, valor_meta,
        quantidade_meta, valor_realizado, quantidade_realizada, percentual_atingido, gap_meta,
        ticket_medio_realizado, ranking_periodo, quartil_performance, meta_batida,
        meta_superada, faixa_performance, data_inclusao, data_ultima_atualizacao
        """,
    ),
    "vw_descontos_completa": (
        "fact",
        """
        desconto_aplicado_id, desconto_id, venda_id, numero_pedido, codigo_desconto,
        nome_campanha, tipo_desconto, metodo_desconto, origem_campanha, data_aplicacao_id,
        data_aplicacao, ano, mes, nome_mes, cliente_id, nome_cliente, tipo_cliente, segmento,
        produto_id, nome_produto, categoria, subcategoria, nivel_aplicacao, valor_sem_desconto,
        valor_desconto_aplicado, valor_com_desconto, percentual_desconto_efetivo,
        margem_antes_desconto, margem_apos_desconto, impacto_margem, status_margem,
        desconto_aprovado, motivo_rejeicao, roi_desconto
        """,
    ),
    "vw_connection_login_events_recent": (
        "audit",
        """
        connection_event_id, event_time_utc, captured_by, session_id, login_name, host_name,
        program_name, database_name, status, login_time, net_transport, protocol_type,
        client_net_address, client_tcp_port, encrypt_option, auth_scheme
        """,
    ),
    "vw_calendario_completo": (
        "dim",
        """
        data_id, data_completa, ano, trimestre, mes, nome_mes, dia_semana, nome_dia_semana,
        eh_fim_de_semana, eh_feriado, nome_feriado, eh_dia_util, periodo_desc, semana_ano,
        dia_ano, dias_no_mes, eh_ultimo_dia_mes
        """,
    ),
    "vw_produtos_ativos": (
        "dim",
        """
        produto_id, produto_original_id, codigo_sku, nome_produto, marca, categoria,
        subcategoria, fornecedor_id, nome_fornecedor, peso_kg, dimensoes, preco_sugerido,
        custo_medio, margem_sugerida, markup_percentual, hierarquia_completa, faixa_preco,
        data_cadastro, data_ultima_atualizacao
        """,
    ),
    "vw_hierarquia_geografica": (
        "dim",
        """
        regiao_id, regiao_original_id, pais, regiao_pais, estado, nome_estado, cidade,
        codigo_ibge, cep_inicial, cep_final, ddd, tipo_municipio, porte_municipio,
        populacao_estimada, area_km2, densidade_demografica, pib_per_capita, idh, latitude,
        longitude, fuso_horario, hierarquia_completa, classificacao_populacional,
        classificacao_idh, eh_capital, codigo_estado_ddd
        """,
    ),
    "vw_descontos_ativos": (
        "dim",
        """
        desconto_id, desconto_original_id, codigo_desconto, nome_campanha, descricao,
        tipo_desconto, metodo_desconto, valor_desconto, min_valor_compra_regra,
        max_valor_desconto_regra, max_usos_por_cliente, max_usos_total, aplica_em,
        restricao_produtos, restricao_clientes, data_inicio_validade, data_fim_validade,
        status_validade, dias_ate_expirar, total_usos_realizados, total_receita_gerada,
        total_desconto_concedido, origem_campanha, canal_divulgacao, eh_cumulativo,
        requer_aprovacao, ticket_medio_com_desconto, desconto_medio_por_uso
        """,
    ),
    "vw_vendedores_ativos": (
        "dim",
        """
        vendedor_id, vendedor_original_id, nome_vendedor, nome_exibicao, email, cargo,
        nivel_senioridade, equipe_id, nome_equipe, regional, tipo_equipe, gerente_id,
        nome_gerente, eh_lider, estado_atuacao, cidade_atuacao, tipo_vendedor, meta_mensal_base,
        percentual_comissao_padrao, data_contratacao, meses_na_empresa, tempo_casa_categoria
        """,
    ),
    "vw_hierarquia_vendedores": (
        "dim",
        """
        vendedor_id, nome_vendedor, cargo, nivel_senioridade, equipe_id, nome_equipe,
        gerente_direto_id, gerente_direto_nome, gerente_direto_cargo, gerente_nivel2_id,
        gerente_nivel2_nome, nivel_hierarquico, eh_lider, eh_ativo
        """,
    ),
    "vw_analise_equipe_vendedores": (
        "dim",
        """
        equipe_id, nome_equipe, tipo_equipe, regional, total_vendedores, total_lideres,
        soma_metas_individuais, media_meta_por_vendedor, meta_oficial_equipe, diferenca_metas,
        juniors, plenos, seniors
        """,
    ),
    "vw_equipes_ativas": (
        "dim",
        """
        equipe_id, equipe_original_id, nome_equipe, codigo_equipe, tipo_equipe,
        categoria_equipe, regional, estado_sede, cidade_sede, meta_mensal_equipe,
        meta_trimestral_equipe, meta_anual_equipe, qtd_meta_vendas_mes, qtd_membros_atual,
        qtd_membros_ideal, vagas_em_aberto, meta_mensal_per_capita, porte_equipe,
        lider_equipe_id, nome_lider, email_lider, data_criacao, meses_ativa
        """,
    ),
    "vw_ranking_equipes_meta": (
        "dim",
        """
        ranking_geral, ranking_regional, equipe_id, nome_equipe, tipo_equipe, regional,
        meta_mensal_equipe, qtd_membros_atual, meta_per_capita, faixa_meta
        """,
    ),
    "vw_analise_regional_equipes": (
        "dim",
        """
        regional, total_equipes, total_vendedores, meta_mensal_regional, meta_media_por_equipe,
        menor_meta, maior_meta, meta_per_capita_regional, equipes_diretas, equipes_inside,
        equipes_key_accounts, equipes_ecommerce
        """,
    ),
    "vw_dash_vendas_r1": (
        "fact",
        """
        venda_id, venda_original_id, numero_pedido, data_id, data_completa, ano, trimestre, mes,
        nome_mes, cliente_id, nome_cliente, tipo_cliente, segmento, produto_id, nome_produto,
        categoria, subcategoria, marca, regiao_id, estado, cidade, regiao_pais, vendedor_id,
        nome_vendedor, nome_equipe, quantidade_vendida, preco_unitario_tabela,
        valor_total_bruto, valor_total_descontos, valor_total_liquido, custo_total,
        margem_bruta, quantidade_devolvida, valor_devolvido, percentual_comissao,
        valor_comissao, teve_desconto, data_inclusao, data_atualizacao
        """,
    ),
    "vw_dash_metas_r1": (
        "fact",
        """
        meta_snapshot_id, data_id, data_completa, ano, trimestre, mes, nome_mes, vendedor_id,
        vendedor_original_id, nome_vendedor, nome_equipe, equipe_id, regional, tipo_equipe,
        estado_atuacao, cidade_atuacao, valor_meta, valor_realizado, gap_meta,
        percentual_atingido, meta_batida, meta_superada, ranking_periodo, quartil_performance,
        itens_realizados, pedidos_realizados, data_atualizacao
        """,
    ),
    "vw_dash_descontos_r1": (
        "fact",
        """
        desconto_aplicado_id, desconto_aplicado_original_id, venda_id, venda_original_id,
        numero_pedido, data_aplicacao_id, data_completa, ano, trimestre, mes, nome_mes,
        desconto_id, desconto_original_id, codigo_desconto, nome_campanha, tipo_desconto,
        metodo_desconto, origem_campanha, canal_divulgacao, cliente_id, nome_cliente,
        tipo_cliente, segmento, produto_id, nome_produto, categoria, subcategoria, marca,
        regiao_id, estado, cidade, regiao_pais, vendedor_id, nome_vendedor, nome_equipe,
        nivel_aplicacao, valor_sem_desconto, valor_desconto_aplicado, valor_com_desconto,
        percentual_desconto_efetivo, margem_antes_desconto, margem_apos_desconto,
        impacto_margem, status_margem, desconto_aprovado, motivo_rejeicao, roi_desconto,
        impacto_margem_pct_receita, data_inclusao, data_atualizacao
        """,
    ),
}
VIEW_COLUMNS = {
    name: (schema, [column.strip() for column in columns.split(",")])
    for name, (schema, columns) in VIEWS.items()
}

# --- the crafted source ------------------------------------------------------------------
# Sellers of the goals case (source seller_id -> monthly_goal_amount); every other seller
# is made inactive, seller 6 too (it sells, but is not active), and seller 7 is active but
# soft-deleted (dim_vendedor: Desligado). Orders without a seller belong to -1.
A, B, C, D, E, INACTIVE, DELETED = 1, 2, 3, 4, 5, 6, 7
GOALS = {A: "1000.00", B: "1000.00", C: "500.00", D: "NULL", E: "2000.00", INACTIVE: "1000.00",
         DELETED: "1000.00"}  # fmt: skip
SELLER_CHANGE = "2026-01-10 00:00:00"

# order_id: (seller_id or None, order_date, order_status, [items]); an item is
# (order_item_id, quantity, unit_price, discount, cost, return_quantity, deleted_at)
ORDERS: dict[int, tuple[int | None, str, str, list[tuple]]] = {
    # 2025-11: A 1100 in two orders (one cancelled: every status counts), 6 items; a
    # soft-deleted item of A does not count
    9001: (
        A,
        "2025-11-05 10:00:00",
        "Entregue",
        [
            (90011, 1, "500.00", "0.00", "300.00", 0, None),
            (90012, 2, "200.00", "0.00", "240.00", 0, None),
            (90013, 5, "200.00", "0.00", "500.00", 0, "2025-11-06 09:00:00"),
        ],
    ),
    9002: (
        A,
        "2025-11-20 15:30:00",
        "Cancelado",
        [(90021, 3, "100.00", "100.00", "120.00", 0, None)],
    ),
    # B 1100 too: the tie is broken by vendedor_id (A first); one unit returned
    9003: (B, "2025-11-10 11:00:00", "Pago", [(90031, 4, "275.00", "0.00", "600.00", 1, None)]),
    # C 600 against 500: exactly 1.2 x the goal, superada
    9004: (C, "2025-11-12 09:00:00", "Entregue", [(90041, 1, "600.00", "0.00", "300.00", 0, None)]),
    # D has no goal: realizado 300 keeps the row, percentual 0, never batida
    9005: (D, "2025-11-15 16:00:00", "Pendente", [(90051, 2, "150.00", "0.00", "150.00", 0, None)]),
    # sales of an inactive, a soft-deleted and no seller: not in the goals view
    9006: (
        INACTIVE,
        "2025-11-08 10:00:00",
        "Entregue",
        [(90061, 1, "5000.00", "0.00", "2500.00", 0, None)],
    ),
    9007: (
        DELETED,
        "2025-11-09 10:00:00",
        "Entregue",
        [(90071, 1, "4000.00", "0.00", "2000.00", 0, None)],
    ),
    9008: (
        None,
        "2025-11-11 10:00:00",
        "Entregue",
        [(90081, 1, "3000.00", "0.00", "1500.00", 0, None)],
    ),
    # discounted items of the inactive seller (the discounts case)
    9009: (
        INACTIVE,
        "2025-11-18 14:00:00",
        "Entregue",
        [
            (90091, 1, "1000.00", "100.00", "600.00", 0, None),
            (90092, 1, "1000.00", "250.00", "600.00", 0, None),
            (90093, 1, "1000.00", "1000.00", "600.00", 0, None),
        ],
    ),
    # 2025-12: E 2500 against 2000 (superada), B 500; A and C sell nothing (rows kept for
    # their goals), D neither (no goal, no sales: no row)
    9010: (B, "2025-12-03 10:00:00", "Entregue", [(90101, 1, "500.00", "0.00", "250.00", 0, None)]),
    9011: (
        E,
        "2025-12-10 10:00:00",
        "Faturado",
        [(90111, 5, "500.00", "0.00", "1250.00", 0, None)],
    ),
    # the window: 2024-01 is out (its first day is before 2024-01-16), 2024-02 is in, and
    # the current month 2026-01 too
    9012: (D, "2024-01-20 10:00:00", "Entregue", [(90121, 1, "100.00", "0.00", "50.00", 0, None)]),
    9013: (D, "2024-02-03 10:00:00", "Entregue", [(90131, 1, "70.00", "0.00", "35.00", 0, None)]),
    9014: (C, "2026-01-10 10:00:00", "Pago", [(90141, 1, "250.00", "0.00", "100.00", 0, None)]),
}
# order_item_discount_id: (order_item_id, order_id, discount, base, final, deleted_at)
DISCOUNTS = {
    70001: (90091, 9009, "100.00", "1000.00", "900.00", None),
    70002: (90092, 9009, "250.00", "1000.00", "750.00", None),
    70003: (90093, 9009, "1000.00", "1000.00", "0.00", None),
    70004: (90091, 9009, "100.00", "1000.00", "900.00", "2025-11-19 10:00:00"),
}


def _literal(value: Any) -> str:
    return "NULL" if value is None else f"'{value}'"


def crafted_source_sql(customer_id: int, product_id: int, region_id: int, discount_id: int):
    """Portable SQL (DuckDB and PostgreSQL) turning a generated source into the case."""
    statements = [
        "delete from core.order_item_discounts",
        "delete from core.order_items",
        "delete from core.orders",
        f"update core.sellers set seller_status = 'Inativo', updated_at = '{SELLER_CHANGE}'",
    ]
    for seller, goal in GOALS.items():
        status = "Inativo" if seller == INACTIVE else "Ativo"
        deleted = _literal(SELLER_CHANGE if seller == DELETED else None)
        statements.append(
            f"update core.sellers set seller_status = '{status}', monthly_goal_amount = {goal},"
            f" deleted_at = {deleted}, updated_at = '{SELLER_CHANGE}' where seller_id = {seller}"
        )
    for order_id, (seller, placed, status, items) in ORDERS.items():
        statements.append(
            "insert into core.orders (order_id, order_number, customer_id, seller_id, region_id,"
            " order_status, payment_status, order_date, approved_at, shipped_at, delivered_at,"
            " canceled_at, sales_channel, currency_code, notes, created_at, updated_at, deleted_at)"
            f" values ({order_id}, 'PED-T-{order_id}', {customer_id}, {_literal(seller)},"
            f" {region_id}, '{status}', 'Pago', '{placed}', NULL, NULL, NULL, NULL, 'Site', 'BRL',"
            f" NULL, '{placed}', '{placed}', NULL)"
        )
        for number, (item_id, qty, price, discount, cost, returned, deleted) in enumerate(items, 1):
            gross = Decimal(price) * qty
            net = gross - Decimal(discount)
            refund = Decimal(price) * returned
            had = "true" if Decimal(discount) > 0 else "false"
            statements.append(
                "insert into core.order_items (order_item_id, order_id, item_number, product_id,"
                " quantity, unit_price, gross_amount, discount_amount, net_amount, cost_amount,"
                " return_quantity, returned_amount, commission_percent, commission_amount,"
                " had_discount, created_at, updated_at, deleted_at)"
                f" values ({item_id}, {order_id}, {number}, {product_id}, {qty}, {price}, {gross},"
                f" {discount}, {net}, {cost}, {returned}, {refund}, 2.00, {net * 2 / 100:.2f},"
                f" {had}, '{placed}', {_literal(deleted or placed)}, {_literal(deleted)})"
            )
    for discount_row, (item_id, order_id, amount, base, final, deleted) in DISCOUNTS.items():
        placed = ORDERS[order_id][1]
        statements.append(
            "insert into core.order_item_discounts (order_item_discount_id, order_item_id,"
            " order_id, discount_id, application_level, discount_amount, base_amount,"
            " final_amount, applied_at, approved, rejection_reason, created_at, updated_at,"
            " deleted_at)"
            f" values ({discount_row}, {item_id}, {order_id}, {discount_id}, 'Item', {amount},"
            f" {base}, {final}, '{placed}', true, NULL, '{placed}', {_literal(deleted or placed)},"
            f" {_literal(deleted)})"
        )
    return statements


def _first_ids(query: Any) -> tuple[int, int, int, int]:
    return tuple(  # type: ignore[return-value]
        query(f"select min({key}) from core.{table}")[0][0]
        for table, key in (
            ("customers", "customer_id"),
            ("products", "product_id"),
            ("regions", "region_id"),
            ("discount_campaigns", "discount_id"),
        )
    )


def _duckdb_reporting_warehouse(tmp_path: Path) -> Warehouse:
    source = tmp_path / "oltp.duckdb"
    generate(target="duckdb", scale=SCALE, seed=SEED, as_of=AS_OF, duckdb_path=source)
    with duckdb.connect(str(source)) as conn:
        ids = _first_ids(lambda sql: conn.execute(sql).fetchall())
        for statement in crafted_source_sql(*ids):
            conn.execute(statement)
    env = {"ETL_DUCKDB_PATH": str(tmp_path / "dw.duckdb"), "ETL_OLTP_DUCKDB_PATH": str(source)}
    return Warehouse("duckdb", env, tmp_path / "target", etl_now=NOW)


@pytest.fixture(scope="module")
def postgres_database(postgres_server: dict[str, object]) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database for the module (its env), dropped afterwards."""
    name = f"dwtest_{uuid.uuid4().hex[:12]}"
    admin = _pg_connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}"')
    env = {
        "ETL_PG_HOST": str(postgres_server["host"]),
        "ETL_PG_PORT": str(postgres_server["port"]),
        "ETL_PG_USER": str(postgres_server["user"]),
        "ETL_PG_PASSWORD": str(postgres_server["password"]),
        "ETL_PG_DATABASE": name,
    }
    try:
        yield env
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def _postgres_reporting_warehouse(tmp_path: Path, env: dict[str, str]) -> Warehouse:
    with environment(env):
        generate(target="postgres", scale=SCALE, seed=SEED, as_of=AS_OF)
    warehouse = Warehouse("postgres", env, tmp_path / "target", etl_now=NOW)
    ids = _first_ids(warehouse.query)
    with warehouse.connect() as conn:
        cur = conn.cursor()
        for statement in crafted_source_sql(*ids):
            cur.execute(statement)
        conn.commit()
    return warehouse


@pytest.fixture(
    scope="module", params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """The crafted warehouse of one engine, after one `dbt build` (every test passing)."""
    tmp_path = tmp_path_factory.mktemp(f"reporting_{request.param}")
    if request.param == "duckdb":
        warehouse = _duckdb_reporting_warehouse(tmp_path)
    else:
        warehouse = _postgres_reporting_warehouse(
            tmp_path, request.getfixturevalue("postgres_database")
        )
    warehouse.build()  # warehouse.runs[0]: the build's results
    return warehouse


def _columns(warehouse: Warehouse, schema: str, view: str) -> list[str]:
    marker = "%s" if warehouse.target == "postgres" else "?"
    rows = warehouse.query(
        "select column_name from information_schema.columns"
        f" where table_schema = {marker} and table_name = {marker} order by ordinal_position",
        (schema, view),
    )
    return [row[0] for row in rows]


def _rows(warehouse: Warehouse, sql: str) -> list[dict[str, Any]]:
    with warehouse.connect() as conn:
        cur = conn.cursor()
        cur.execute(sql)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _metas(warehouse: Warehouse, month: int) -> dict[int, dict[str, Any]]:
    rows = _rows(warehouse, f"select * from fact.vw_dash_metas_r1 where data_id = {month}")
    return {row["vendedor_id"]: row for row in rows}


# --- every view, with the original's columns ------------------------------------------


def test_each_view_exists_in_the_original_schema_with_the_original_columns_in_order(
    built: Warehouse,
):
    for view, (schema, columns) in VIEW_COLUMNS.items():
        assert _columns(built, schema, view) == columns, f"{schema}.{view}"
        built.query(f"select count(*) from {schema}.{view}")
    kinds = {
        (row[0], row[1]): row[2]
        for row in built.query(
            "select table_schema, table_name, table_type from information_schema.tables"
            " where substr(table_name, 1, 3) = 'vw_'"
        )
    }
    assert {key: kinds.get(key) for key in ((s, v) for v, (s, _) in VIEW_COLUMNS.items())} == {
        (schema, view): "VIEW" for view, (schema, _) in VIEW_COLUMNS.items()
    }


def test_build_ran_the_views_data_and_unit_tests(built: Warehouse):
    results = built.runs[0].result
    reporting = [r for r in results if "reporting" in r.node.original_file_path]
    views = {r.node.name for r in reporting if r.node.resource_type == "model"}
    assert views == set(VIEW_COLUMNS)
    tests = [r for r in reporting if r.node.resource_type in ("test", "unit_test")]
    assert len(tests) >= 60
    assert {str(r.status) for r in reporting} <= {"success", "pass"}


# --- fact.vw_dash_metas_r1 --------------------------------------------------------------


def test_dash_metas_gap_percentual_and_flags_in_a_month_with_a_tie(built: Warehouse):
    november = _metas(built, 20251101)
    assert set(november) == {A, B, C, D, E}  # inactive, soft-deleted and -1 sellers left out
    expected = {
        # seller: meta, realizado, gap, percentual, batida, superada
        A: ("1000.00", "1100.00", "100.00", "110.00", True, False),
        B: ("1000.00", "1100.00", "100.00", "110.00", True, False),
        C: ("500.00", "600.00", "100.00", "120.00", True, True),  # exactly 1.2 x: superada
        D: ("0.00", "300.00", "300.00", "0.00", False, False),  # no goal: 0 %, never batida
        E: ("2000.00", "0.00", "-2000.00", "0.00", False, False),  # kept for its goal
    }
    for seller, (meta, realizado, gap, percentual, batida, superada) in expected.items():
        row = november[seller]
        assert (row["valor_meta"], row["valor_realizado"], row["gap_meta"]) == (
            Decimal(meta),
            Decimal(realizado),
            Decimal(gap),
        ), seller
        assert row["percentual_atingido"] == Decimal(percentual), seller
        assert (bool(row["meta_batida"]), bool(row["meta_superada"])) == (batida, superada), seller
        assert (row["data_completa"], row["ano"], row["trimestre"], row["mes"]) == (
            date(2025, 11, 1),
            2025,
            4,
            11,
        )


def test_dash_metas_ranking_is_dense_by_realizado_with_ties_broken_by_seller(built: Warehouse):
    november = _metas(built, 20251101)
    ranking = {seller: (row["ranking_periodo"], row["quartil_performance"])
               for seller, row in november.items()}  # fmt: skip
    # 5 rows: NTILE(4) gives groups of 2, 1, 1, 1
    assert ranking == {A: (1, "Q1"), B: (2, "Q1"), C: (3, "Q2"), D: (4, "Q3"), E: (5, "Q4")}

    december = _metas(built, 20251201)
    assert set(december) == {A, B, C, E}  # D: no goal and no sales, no row
    ranking = {seller: (row["ranking_periodo"], row["quartil_performance"])
               for seller, row in december.items()}  # fmt: skip
    # E 2500, B 500, A 0 and C 0 (tied at 0: A before C)
    assert ranking == {E: (1, "Q1"), B: (2, "Q2"), A: (3, "Q3"), C: (4, "Q4")}
    assert december[E]["percentual_atingido"] == Decimal("125.00")
    assert (bool(december[E]["meta_batida"]), bool(december[E]["meta_superada"])) == (True, True)
    assert december[B]["gap_meta"] == Decimal("-500.00")
    assert december[A]["percentual_atingido"] == Decimal("0.00")


def test_dash_metas_items_and_orders_count_every_status_but_soft_deleted_rows(built: Warehouse):
    november = _metas(built, 20251101)
    counts = {seller: (row["itens_realizados"], row["pedidos_realizados"])
              for seller, row in november.items()}  # fmt: skip
    # A: 1 + 2 items of a delivered order and 3 of a cancelled one; its soft-deleted item
    # (5 units, 1000) counts in neither the amount nor the units
    assert counts == {A: (6, 2), B: (4, 1), C: (1, 1), D: (2, 1), E: (0, 0)}


def test_dash_metas_covers_the_24_months_to_the_current_one_for_active_sellers(built: Warehouse):
    months = [row[0] for row in built.query(
        "select distinct data_id from fact.vw_dash_metas_r1 order by data_id"
    )]  # fmt: skip
    expected = []
    month = date(2024, 2, 1)  # 2024-01-01 is before 2026-01-16 - 24 months
    while month <= date(2026, 1, 1):
        expected.append(month.year * 10000 + month.month * 100 + 1)
        month = (month + timedelta(days=32)).replace(day=1)
    assert months == expected
    assert len(months) == 24
    rows = built.query("select vendedor_id, data_id, valor_realizado from fact.vw_dash_metas_r1")
    # A, B, C and E have goals: a row every month; D only where it sold
    assert len(rows) == 4 * 24 + 2
    assert {row[0] for row in rows} == {A, B, C, D, E}
    by_key = {(row[0], row[1]): row[2] for row in rows}
    assert by_key[(D, 20240201)] == Decimal("70.00")
    assert (D, 20240101) not in by_key
    assert by_key[(C, 20260101)] == Decimal("250.00")
    ids = [row[0] for row in built.query(
        "select meta_snapshot_id from fact.vw_dash_metas_r1 order by data_id, vendedor_id"
    )]  # fmt: skip
    assert ids == list(range(1, len(rows) + 1))
    stamp = built.scalar("select max(data_atualizacao) from fact.vw_dash_metas_r1")
    assert stamp == datetime.fromisoformat(NOW)


# --- fact.vw_dash_descontos_r1 and fact.vw_dash_vendas_r1 -------------------------------


def test_dash_descontos_roi_impacto_and_status_margem(built: Warehouse):
    rows = {
        row["desconto_aplicado_id"]: row
        for row in _rows(built, "select * from fact.vw_dash_descontos_r1")
    }
    assert set(rows) == {70001, 70002, 70003}  # the soft-deleted application is left out
    # item cost 600: margins before 1000 - 600 = 400, after final - 600
    expected = {
        70001: ("Margem saudavel", "8.0000", "0.1111", "300.00", "100.00"),  # 300 >= 60% of 400
        70002: ("Margem reduzida", "2.0000", "0.3333", "150.00", "250.00"),  # 30% <= 150 < 60%
        70003: ("Prejuizo", "-1.0000", "0.0000", "-600.00", "1000.00"),  # no revenue: ratio 0
    }
    for key, (status, roi, ratio, margem_apos, impacto) in expected.items():
        row = rows[key]
        assert row["status_margem"] == status, key
        assert row["roi_desconto"] == Decimal(roi), key
        assert row["impacto_margem_pct_receita"] == Decimal(ratio), key
        assert (row["margem_apos_desconto"], row["impacto_margem"]) == (
            Decimal(margem_apos),
            Decimal(impacto),
        ), key
        assert (row["origem_campanha"], row["canal_divulgacao"]) == ("Nao informado",) * 2
        assert (row["numero_pedido"], row["vendedor_id"], row["venda_original_id"]) == (
            "PED-T-9009",
            INACTIVE,
            row["venda_id"],
        )
    completa = dict(
        built.query("select desconto_aplicado_id, status_margem from fact.vw_descontos_completa")
    )
    assert completa == {70001: "Margem Saudável", 70002: "Margem Reduzida", 70003: "Prejuízo"}


def test_dash_vendas_margem_bruta_and_soft_deleted_items(built: Warehouse):
    rows = {row["venda_id"]: row for row in _rows(built, "select * from fact.vw_dash_vendas_r1")}
    assert 90013 not in rows  # soft-deleted item
    assert len(rows) == sum(len(items) for *_, items in ORDERS.values()) - 1
    assert rows[90011]["margem_bruta"] == Decimal("200.00")  # 500 - 300
    assert rows[90021]["margem_bruta"] == Decimal("80.00")  # (300 - 100) - 120
    assert rows[90081]["vendedor_id"] == -1
    completa = {
        row["venda_id"]: row for row in _rows(built, "select * from fact.vw_vendas_completa")
    }
    assert set(completa) == set(rows)
    assert bool(completa[90081]["eh_venda_direta"]) and not bool(completa[90011]["eh_venda_direta"])
    assert bool(completa[90031]["teve_devolucao"]) and completa[90031]["quantidade_liquida"] == 3
    assert completa[90011]["lucro_bruto"] == Decimal("200.00")
    assert float(completa[90011]["margem_percentual"]) == pytest.approx(40.0)


# --- dimension views ----------------------------------------------------------------------


def test_dimension_views_apply_the_original_filters_and_leave_the_unknown_member_out(
    built: Warehouse,
):
    sellers = {row[0] for row in built.query("select vendedor_id from dim.vw_vendedores_ativos")}
    assert sellers == {A, B, C, D, E}
    hierarchy = {
        row[0] for row in built.query("select vendedor_id from dim.vw_hierarquia_vendedores")
    }
    assert -1 not in hierarchy and {A, B, C, D, E, INACTIVE, DELETED} <= hierarchy
    levels = built.query(
        "select vendedor_id, gerente_direto_id, nivel_hierarquico from dim.vw_hierarquia_vendedores"
    )
    for _seller, manager, level in levels:
        assert (manager is None) == (level == 1)
    for view, key in (
        ("vw_clientes_ativos", "cliente_id"),
        ("vw_catalogo_produtos", "produto_id"),
        ("vw_produtos_ativos", "produto_id"),
        ("vw_calendario_completo", "data_id"),
        ("vw_hierarquia_geografica", "regiao_id"),
        ("vw_descontos_ativos", "desconto_id"),
        ("vw_equipes_ativas", "equipe_id"),
        ("vw_analise_equipe_vendedores", "equipe_id"),
        ("vw_ranking_equipes_meta", "equipe_id"),
    ):
        assert built.scalar(f"select count(*) from dim.{view} where {key} = -1") == 0, view
    calendar = _rows(
        built, "select * from dim.vw_calendario_completo where data_id in (20240229, 20240302)"
    )
    by_day = {row["data_id"]: row for row in calendar}
    assert by_day[20240229]["periodo_desc"] == "Q1 2024"
    assert (by_day[20240229]["dias_no_mes"], bool(by_day[20240229]["eh_ultimo_dia_mes"])) == (
        29,
        True,
    )
    assert bool(by_day[20240229]["eh_dia_util"]) and not bool(by_day[20240302]["eh_dia_util"])


# --- audit.vw_connection_login_events_recent ----------------------------------------------


def test_connection_events_view_maps_columns_and_keeps_the_newest_of_30_days(built: Warehouse):
    now = datetime.fromisoformat(NOW)
    marker = "%s" if built.target == "postgres" else "?"
    events = [
        (now - timedelta(days=40), "old", "orchestrator", None),
        *[(now - timedelta(minutes=minute), f"recent-{minute}", "snapshot", minute)
          for minute in range(1, 1006)],
    ]  # fmt: skip
    with built.connect() as conn:
        cur = conn.cursor()
        cur.execute("delete from audit.connection_login_events")
        cur.executemany(
            "insert into audit.connection_login_events (event_time, login_name, host_name,"
            " program_name, database_name, status, client_address, error_message, run_id,"
            f" source, session_id, event_kind) values ({', '.join([marker] * 12)})",
            [
                (at, "etl", host, "ecommerce_dw orchestrator", "dw", "success", "10.0.0.5",
                 None, "run-1", source, session, "connect")
                for at, host, source, session in events
            ],
        )  # fmt: skip
        conn.commit()
    try:
        rows = _rows(
            built,
            "select * from audit.vw_connection_login_events_recent order by connection_event_id",
        )
        assert len(rows) == 1000  # the original's TOP (1000), newest first
        hosts = {row["host_name"] for row in rows}
        assert "old" not in hosts and "recent-1" in hosts and "recent-1005" not in hosts
        newest = rows[-1]
        assert newest["connection_event_id"] == len(events)  # time order over the whole table
        assert (newest["event_time_utc"], newest["captured_by"], newest["session_id"]) == (
            now - timedelta(minutes=1),
            "snapshot",
            1,
        )
        assert newest["client_net_address"] == "10.0.0.5"
        assert all(newest[column] is None for column in (
            "login_time", "net_transport", "protocol_type", "client_tcp_port",
            "encrypt_option", "auth_scheme",
        ))  # fmt: skip
    finally:
        built.execute("delete from audit.connection_login_events")


def test_dbt_creates_connection_login_events_as_the_orchestrator_does(built: Warehouse):
    """Same columns and types whether dbt's on-run-start or the orchestrator creates it."""
    columns_sql = (
        "select column_name, data_type, is_nullable from information_schema.columns"
        " where table_schema = 'audit' and table_name = 'connection_login_events'"
        " order by ordinal_position"
    )
    from_dbt = built.query(columns_sql)
    if built.target == "duckdb":
        with duckdb.connect(":memory:") as conn:
            for statement in ddl_statements("duckdb"):
                conn.execute(statement)
            from_orchestrator = [tuple(row) for row in conn.execute(columns_sql).fetchall()]
    else:
        with built.connect() as conn:
            cur = conn.cursor()
            cur.execute("create schema scratch_orchestrator_ddl")
            for statement in ddl_statements("postgres")[1:]:
                cur.execute(statement.replace("audit.", "scratch_orchestrator_ddl.", 1))
            cur.execute(columns_sql.replace("'audit'", "'scratch_orchestrator_ddl'"))
            from_orchestrator = [tuple(row) for row in cur.fetchall()]
            conn.rollback()
    assert from_dbt and from_dbt == from_orchestrator


# --- "now" at query time --------------------------------------------------------------------


def test_unpinned_now_is_the_engines_clock_at_query_time(built: Warehouse):
    """Without var etl_now the views read the engine's current UTC time when queried."""
    try:
        built.dbt("run", "--select", "vw_clientes_ativos", etl_now="")
        today = datetime.now(UTC).date()
        rows = built.query(
            "select data_ultima_compra, dias_desde_ultima_compra from dim.vw_clientes_ativos"
            " where data_ultima_compra is not null"
        )
        assert rows
        for last, days in rows:
            assert days in ((today - last).days, (today - last).days + 1)  # midnight race
    finally:
        built.dbt("run", "--select", "vw_clientes_ativos")
    pinned = built.query(
        "select data_ultima_compra, dias_desde_ultima_compra from dim.vw_clientes_ativos"
        " where data_ultima_compra is not null"
    )
    assert all(days == (date(2026, 1, 16) - last).days for last, days in pinned)
