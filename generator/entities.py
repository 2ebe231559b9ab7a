"""Builders of the master-data tables: regions, teams, suppliers, customers, products,
sellers and discount campaigns.

Each builder takes the ids (and creation instants) to build, so the base data set and the
incremental waves share the same code. Columns that depend on sales (a customer's type and
value category, a seller's monthly goal, a campaign's usage totals) get neutral values here
and are filled in by ``sales``.

Nullable columns are NULL where a real catalogue or customer base has gaps: a few customers
without e-mail, phone, CPF, credit score or full address, products without barcode,
measures, description or launch date, campaigns without a minimum order value. Such shares
are small (1-10%) except where the NULL means something (no rating yet, no age limit).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from generator import reference as ref
from generator.clock import DAY_MS, HOUR_MS, MINUTE_MS, Clock, date_to_days
from generator.columns import NULL, Columns
from generator.documents import cnpj, cpf, ean13, unique_numbers
from generator.randomness import exact_share, uniform_int, weighted
from generator.schema import APPLY_SCOPES, DISCOUNT_METHODS, SELLER_STATUSES, TEAM_CATEGORIES
from generator.text import ascii_code, ascii_slug, const, join, num, pick, with_nulls

REGION_CITIES = ref.CITIES[: ref.REGION_CITY_COUNT]
CITY_NAMES = tuple(c.name for c in ref.CITIES)
# Where customers live: mostly the 15 region cities (weighted by size), 15% elsewhere.
_REGION_CITY_WEIGHTS = (4, 4, 1.5, 5, 4, 4.5, 5, 3, 2, 24, 13, 6.5, 4.5, 4.5, 2)
_OTHER_CITY_WEIGHTS = (3, 1.5, 1.5, 1, 1, 1, 1, 1.5, 1, 1, 1, 1, 1, 1, 1)
OTHER_CITY_SHARE = 0.15


def city_region_ids() -> np.ndarray:
    """Region id of each city in ``reference.CITIES``: itself, else a region city of the same
    state, else -1 (no region in that state)."""
    out = np.full(len(ref.CITIES), -1, dtype=np.int64)
    by_state = {c.state: i + 1 for i, c in enumerate(REGION_CITIES)}
    for i, city in enumerate(ref.CITIES):
        out[i] = i + 1 if city.has_region else by_state.get(city.state, -1)
    return out


def city_index(cities: pa.Array) -> np.ndarray:
    """Index in ``reference.CITIES`` of city names (-1 when unknown)."""
    idx = pc.index_in(cities, value_set=pa.array(CITY_NAMES))
    return np.asarray(idx.fill_null(-1), dtype=np.int64)


def _timestamps(clock: Clock, rng: np.random.Generator, created: np.ndarray) -> np.ndarray:
    """updated_at somewhere between created_at and the end of the window."""
    return clock.uniform_ms(rng, created, created.size)


def _common(created: np.ndarray, updated: np.ndarray) -> Columns:
    return {
        "created_at": created,
        "updated_at": np.maximum(updated, created),
        "deleted_at": np.full(created.size, NULL, dtype=np.int64),
    }


def build_regions(clock: Clock, rng: np.random.Generator) -> Columns:
    n = len(REGION_CITIES)
    ids = np.arange(1, n + 1, dtype=np.int64)
    created = clock.start_ms - 90 * DAY_MS + ids * HOUR_MS
    return {
        "region_id": ids,
        "region_code": pa.array([f"BR-{c.state}-{c.ibge_code}" for c in REGION_CITIES]),
        "country": const("Brasil", n),
        "region_name": pa.array([ref.STATES[c.state][1] for c in REGION_CITIES]),
        "state": pa.array([c.state for c in REGION_CITIES]),
        "state_name": pa.array([ref.STATES[c.state][0] for c in REGION_CITIES]),
        "city": pa.array([c.name for c in REGION_CITIES]),
        "ibge_code": pa.array([c.ibge_code for c in REGION_CITIES]),
        "is_active": np.ones(n, dtype=bool),
        **_common(created, _timestamps(clock, rng, created)),
    }


def build_teams(n: int, clock: Clock, rng: np.random.Generator) -> Columns:
    ids = np.arange(1, n + 1, dtype=np.int64)
    region_idx = (ids - 1) % len(REGION_CITIES)
    region_ids = region_idx + 1
    if n >= 10:  # one national team without a region
        region_ids[-1] = NULL
    team_type = np.where(ids % 3 == 0, 1, 0)
    category = weighted(rng, (0.3, 0.4, 0.3), n)
    kind = pick(("Inside", "Field"), team_type)
    cat_names = pick(TEAM_CATEGORIES, category)
    city = pick([c.name for c in REGION_CITIES], region_idx)
    city = pc.if_else(pa.array(region_ids == NULL), const("Nacional", n), city)
    created = clock.start_ms - 60 * DAY_MS + ids * HOUR_MS
    return {
        "team_id": ids,
        "team_code": join("EQ-", num(ids, 3)),
        "team_name": join("Equipe ", city, " ", cat_names, " ", kind, " ", num(ids, 2)),
        "team_type": pick(("Inside Sales", "Field Sales"), team_type),
        "team_category": cat_names,
        "region_id": region_ids,
        "is_active": ~exact_share(rng, n, 0.05 if n >= 20 else 0.0),
        **_common(created, _timestamps(clock, rng, created)),
    }


def build_suppliers(n: int, clock: Clock, rng: np.random.Generator) -> Columns:
    ids = np.arange(1, n + 1, dtype=np.int64)
    kind = pick(ref.SUPPLIER_KINDS, rng.integers(0, len(ref.SUPPLIER_KINDS), n))
    word = pick(ref.SUPPLIER_WORDS, rng.integers(0, len(ref.SUPPLIER_WORDS), n))
    suffix = pick(("Ltda", "S.A.", "EIRELI"), weighted(rng, (0.7, 0.2, 0.1), n))
    created = clock.start_ms - 400 * DAY_MS + ids * DAY_MS
    return {
        "supplier_id": ids,
        "supplier_code": join("FOR-", num(ids, 4)),
        "supplier_name": join(kind, " ", word, " ", suffix),
        "country": pick(ref.SUPPLIER_COUNTRIES, weighted(rng, ref.SUPPLIER_COUNTRY_WEIGHTS, n)),
        "is_active": ~exact_share(rng, n, 0.05),
        **_common(created, _timestamps(clock, rng, created)),
    }


def customer_cities(rng: np.random.Generator, n: int) -> np.ndarray:
    """Where customers live (index in ``reference.CITIES``)."""
    region_city = weighted(rng, _REGION_CITY_WEIGHTS, n)
    other_city = ref.REGION_CITY_COUNT + weighted(rng, _OTHER_CITY_WEIGHTS, n)
    return np.where(rng.random(n) < OTHER_CITY_SHARE, other_city, region_city)


def build_customers(
    ids: np.ndarray, created: np.ndarray, updated: np.ndarray, rng: np.random.Generator
) -> Columns:
    """Customers created at ``created`` (first_signup_date is that day). Sales-dependent
    columns start as a new customer's: Novo, no value category, no purchase yet."""
    n = ids.size
    is_pj = exact_share(rng, n, 0.15)
    gender = weighted(rng, (0.49, 0.49, 0.02), n)
    n_m, n_f = len(ref.MALE_FIRST_NAMES), len(ref.FEMALE_FIRST_NAMES)
    first_names = ref.MALE_FIRST_NAMES + ref.FEMALE_FIRST_NAMES
    first = np.where(
        gender == 0,
        rng.integers(0, n_m, n),
        np.where(gender == 1, n_m + rng.integers(0, n_f, n), rng.integers(0, n_m + n_f, n)),
    )
    last1 = rng.integers(0, len(ref.LAST_NAMES), n)
    last2 = rng.integers(0, len(ref.LAST_NAMES), n)
    word = rng.integers(0, len(ref.COMPANY_WORDS), n)
    suffix = rng.integers(0, len(ref.COMPANY_SUFFIXES), n)
    first_slugs = [ascii_slug(x) for x in first_names]
    last_slugs = [ascii_slug(x) for x in ref.LAST_NAMES]
    word_slugs = [ascii_slug(x) for x in ref.COMPANY_WORDS]
    id_text = num(ids)
    pf_name = join(
        pick(first_names, first), " ", pick(ref.LAST_NAMES, last1), " ", pick(ref.LAST_NAMES, last2)
    )
    pj_name = join(
        pick(ref.LAST_NAMES, last1),
        " ",
        pick(ref.COMPANY_WORDS, word),
        " ",
        pick(ref.COMPANY_SUFFIXES, suffix),
    )
    domain = pick(ref.EMAIL_DOMAINS, weighted(rng, (5, 3, 2, 1, 1, 1, 1, 1), n))
    pf_email = join(pick(first_slugs, first), ".", pick(last_slugs, last2), id_text, "@", domain)
    pj_email = join(
        "contato", id_text, "@", pick(last_slugs, last1), pick(word_slugs, word), ".com.br"
    )
    pj_mask = pa.array(is_pj)

    city = customer_cities(rng, n)
    cities = ref.CITIES
    ddd = pick([c.ddd for c in cities], city)
    phone = join(
        "(", ddd, ") 9", num(rng.integers(0, 10_000, n), 4), "-", num(rng.integers(0, 10_000, n), 4)
    )
    cep_base = np.array([c.cep_base for c in cities])[city]
    cep_span = np.array([c.cep_span for c in cities])[city]
    cep5 = cep_base + (rng.random(n) * cep_span).astype(np.int64)
    zip_code = join(num(cep5, 5), "-", num(rng.integers(0, 1000, n), 3))
    street = join(
        pick(ref.STREET_TYPES, weighted(rng, (6, 3, 1, 1, 0.5), n)),
        " ",
        pick(ref.STREET_NAMES, rng.integers(0, len(ref.STREET_NAMES), n)),
        ", ",
        num(uniform_int(rng, 1, 4999, n)),
    )

    documents = pc.if_else(
        pj_mask,
        cnpj(unique_numbers(ids, 8, int(rng.integers(0, 10**8)))),
        cpf(unique_numbers(ids, 9, int(rng.integers(0, 10**9)))),
    )
    signup_days = created // DAY_MS
    age_days = uniform_int(rng, 18 * 365, 80 * 365, n)
    birth = np.where(is_pj, NULL, signup_days - age_days + uniform_int(rng, 0, 365 * 3, n))
    score = np.clip(np.round(rng.normal(620, 160, n)), 0, 1000).astype(np.int64)
    # gaps of a real customer base (drawn last, so they do not shift the draws above)
    no_email = rng.random(n) < 0.02
    no_document = ~is_pj & (rng.random(n) < 0.01)
    no_birth = rng.random(n) < 0.03
    no_score = rng.random(n) < 0.04
    no_address = rng.random(n) < 0.02
    return {
        "customer_id": ids,
        "customer_code": join("CLI-", num(ids, 8)),
        "full_name": pc.if_else(pj_mask, pj_name, pf_name),
        "email": with_nulls(pc.if_else(pj_mask, pj_email, pf_email), no_email),
        "phone": with_nulls(phone, rng.random(n) < 0.05),
        "document_number": with_nulls(documents, no_document),
        "birth_date": np.where(no_birth, NULL, birth),
        "gender": with_nulls(pick(("M", "F", "O"), gender), is_pj),
        "customer_type": const("Novo", n),
        "segment": pc.if_else(pj_mask, const("Pessoa Juridica", n), const("Pessoa Fisica", n)),
        "credit_score": np.where(no_score, NULL, score),
        "value_category": pa.nulls(n, pa.string()),
        "address_line": with_nulls(street, no_address),
        "district": with_nulls(
            pick(ref.DISTRICTS, rng.integers(0, len(ref.DISTRICTS), n)), no_address
        ),
        "city": pick(CITY_NAMES, city),
        "state": pick([c.state for c in cities], city),
        "country": const("Brasil", n),
        "zip_code": with_nulls(zip_code, no_address),
        "first_signup_date": signup_days,
        "last_purchase_date": np.full(n, NULL, dtype=np.int64),
        "is_active": np.ones(n, dtype=bool),
        "accepts_email_marketing": rng.random(n) < 0.6,
        "is_vip": np.zeros(n, dtype=bool),
        **_common(created, updated),
    }


_CATEGORIES = ref.CATEGORIES
_SUB_NAMES = [s for c in _CATEGORIES for s in c.subcategories]
_SUB_COUNT = np.array([len(c.subcategories) for c in _CATEGORIES])
_SUB_OFFSET = np.concatenate([[0], np.cumsum(_SUB_COUNT)[:-1]])
_BRAND_NAMES = [b for c in _CATEGORIES for b in c.brands]
_BRAND_COUNT = np.array([len(c.brands) for c in _CATEGORIES])
_BRAND_OFFSET = np.concatenate([[0], np.cumsum(_BRAND_COUNT)[:-1]])
_CATEGORY_WEIGHTS = (12, 10, 8, 12, 14, 8, 10, 7, 6, 6, 4, 3)
_MODEL_SUFFIXES = ("", " Pro", " Plus", " Max", " Lite", " Ultra", " Mini", " S", " Slim")


def build_products(
    ids: np.ndarray,
    created: np.ndarray,
    updated: np.ndarray,
    launch_days: np.ndarray,
    n_suppliers: int,
    last_day: int,
    rng: np.random.Generator,
) -> Columns:
    """Products; ``last_day`` bounds discontinued dates (epoch days)."""
    n = ids.size
    cat = weighted(rng, _CATEGORY_WEIGHTS, n)
    sub = _SUB_OFFSET[cat] + (rng.random(n) * _SUB_COUNT[cat]).astype(np.int64)
    brand = _BRAND_OFFSET[cat] + (rng.random(n) * _BRAND_COUNT[cat]).astype(np.int64)
    line = weighted(rng, (4, 2, 1, 3, 1), n)
    cat_names = pick([c.name for c in _CATEGORIES], cat)
    sub_names = pick(_SUB_NAMES, sub)
    brand_names = pick(_BRAND_NAMES, brand)
    line_names = pick(ref.PRODUCT_LINES, line)
    model = join(
        num(uniform_int(rng, 100, 9999, n)),
        pick(_MODEL_SUFFIXES, rng.integers(0, len(_MODEL_SUFFIXES), n)),
    )
    name = join(sub_names, " ", brand_names, " ", model)

    lo = np.log(np.array([c.price_min for c in _CATEGORIES]))[cat]
    hi = np.log(np.array([c.price_max for c in _CATEGORIES]))[cat]
    list_cents = np.round(np.exp(lo + (hi - lo) * rng.beta(1.3, 3.0, n)) * 100 / 10) * 10 - 1
    list_cents = np.maximum(list_cents, 99).astype(np.int64)
    margin = rng.uniform(0.12, 0.6, n)
    cost_cents = np.clip(np.round(list_cents * (1 - margin)), 1, list_cents).astype(np.int64)
    margin_pct = np.round((list_cents - cost_cents) * 10_000 / list_cents).astype(np.int64)

    wlo = np.log(np.array([c.weight_kg[0] for c in _CATEGORIES]))[cat]
    whi = np.log(np.array([c.weight_kg[1] for c in _CATEGORIES]))[cat]
    weight_g = np.maximum(np.round(np.exp(wlo + (whi - wlo) * rng.random(n)) * 1000), 1)
    side = np.cbrt(weight_g.astype(float)) * 2.0  # cm, a rough density

    def dimension() -> np.ndarray:  # hundredths of a centimetre, at least 1 cm
        return np.maximum(np.round(side * rng.uniform(0.5, 2.0, n) * 100), 100).astype(np.int64)

    perishable_cat = np.array([c.perishable for c in _CATEGORIES])[cat]
    refrigerated_cat = np.array([c.refrigerated for c in _CATEGORIES])[cat]
    is_perishable = perishable_cat & (rng.random(n) < 0.6)
    status = weighted(rng, (0.9, 0.05, 0.05), n)
    discontinued = status == 2
    disc_day = launch_days + 30 + (rng.random(n) * np.maximum(last_day - launch_days - 30, 0))
    min_stock = uniform_int(rng, 5, 50, n)
    rating_count = np.where(rng.random(n) < 0.08, 0, rng.integers(1, 5000, n))
    rating = np.where(rating_count == 0, NULL, uniform_int(rng, 28, 50, n))  # tenths
    keywords = join(
        pc.utf8_lower(cat_names), ", ", pc.utf8_lower(sub_names), ", ", pc.utf8_lower(brand_names)
    )
    cat_codes = [ascii_code(c.name, 3) for c in _CATEGORIES]
    sub_codes = [ascii_code(s, 3) for s in _SUB_NAMES]
    supplier = rng.integers(1, n_suppliers + 1, n)
    warranty = pick(("3", "6", "12", "24"), weighted(rng, (1, 2, 4, 1), n))
    minimum_age = np.array([c.minimum_age for c in _CATEGORIES])[cat]
    # gaps of a real catalogue (drawn last, so they do not shift the draws above)
    no_barcode = rng.random(n) < 0.03
    unmeasured = rng.random(n) < 0.02
    no_launch = rng.random(n) < 0.02
    weight = weight_g.astype(np.int64)
    height, width, depth = dimension(), dimension(), dimension()
    return {
        "product_id": ids,
        "product_code": join("PRD-", num(ids, 7)),
        "sku": join(pick(cat_codes, cat), "-", pick(sub_codes, sub), "-", num(ids, 7)),
        "barcode": with_nulls(
            ean13(unique_numbers(ids, 9, int(rng.integers(0, 10**9)))), no_barcode
        ),
        "product_name": name,
        "short_description": with_nulls(join(name, " - linha ", line_names), rng.random(n) < 0.03),
        "full_description": with_nulls(
            join(
                name,
                " da marca ",
                brand_names,
                ", linha ",
                line_names,
                ". Categoria ",
                cat_names,
                " / ",
                sub_names,
                ". Garantia de ",
                warranty,
                " meses.",
            ),
            rng.random(n) < 0.05,
        ),
        "category_name": cat_names,
        "subcategory_name": sub_names,
        "product_line": with_nulls(line_names, rng.random(n) < 0.08),
        "brand": brand_names,
        "manufacturer": with_nulls(join(brand_names, " do Brasil"), rng.random(n) < 0.05),
        "supplier_id": supplier,
        "country_origin": with_nulls(
            pick(ref.ORIGIN_COUNTRIES, weighted(rng, ref.ORIGIN_WEIGHTS, n)),
            rng.random(n) < 0.02,
        ),
        "weight_kg": np.where(unmeasured, NULL, weight),
        "height_cm": np.where(unmeasured, NULL, height),
        "width_cm": np.where(unmeasured, NULL, width),
        "depth_cm": np.where(unmeasured, NULL, depth),
        "color": with_nulls(
            pick(ref.COLORS, rng.integers(0, len(ref.COLORS), n)), rng.random(n) < 0.2
        ),
        "material": with_nulls(
            pick(ref.MATERIALS, rng.integers(0, len(ref.MATERIALS), n)), rng.random(n) < 0.3
        ),
        "cost_price": cost_cents,
        "list_price": list_cents,
        "suggested_margin_percent": margin_pct,
        "is_perishable": is_perishable,
        "is_fragile": rng.random(n) < np.array([c.fragile for c in _CATEGORIES])[cat],
        "requires_refrigeration": is_perishable & refrigerated_cat & (rng.random(n) < 0.5),
        "minimum_age": np.where(minimum_age == 0, NULL, minimum_age),
        "min_stock": min_stock,
        "max_stock": min_stock + uniform_int(rng, 20, 500, n),
        "reorder_days": np.where(rng.random(n) < 0.03, NULL, uniform_int(rng, 7, 60, n)),
        "product_status": pick(("Ativo", "Inativo", "Descontinuado"), status),
        "launch_date": np.where(no_launch, NULL, launch_days),
        "discontinued_date": np.where(discontinued, disc_day.astype(np.int64), NULL),
        "rating_avg": rating,
        "rating_count": rating_count,
        "keywords": with_nulls(keywords, rng.random(n) < 0.1),
        **_common(created, updated),
    }


def build_sellers(n: int, teams: Columns, clock: Clock, rng: np.random.Generator) -> Columns:
    """Sellers 1..T lead teams 1..T (manager NULL); the others join a random team and report
    to its leader; about 1 in 10 of the others is Inativo. monthly_goal_amount is a
    placeholder until sales are known (commission lives on order_items, not here)."""
    n_teams = len(teams["team_id"])
    ids = np.arange(1, n + 1, dtype=np.int64)
    team = np.where(ids <= n_teams, ids, rng.integers(1, n_teams + 1, n))
    leader = ids <= n_teams
    team_region = np.asarray(teams["region_id"])[team - 1]
    city = np.where(team_region == NULL, rng.integers(0, len(REGION_CITIES), n), team_region - 1)
    gender = rng.random(n) < 0.5
    first = np.where(
        gender,
        rng.integers(0, len(ref.MALE_FIRST_NAMES), n),
        len(ref.MALE_FIRST_NAMES) + rng.integers(0, len(ref.FEMALE_FIRST_NAMES), n),
    )
    first_names = ref.MALE_FIRST_NAMES + ref.FEMALE_FIRST_NAMES
    name = join(
        pick(first_names, first),
        " ",
        pick(ref.LAST_NAMES, rng.integers(0, len(ref.LAST_NAMES), n)),
        " ",
        pick(ref.LAST_NAMES, rng.integers(0, len(ref.LAST_NAMES), n)),
    )
    start_day = date_to_days(clock.start)
    hire = uniform_int(rng, start_day - 10 * 365, start_day - 30, n)
    hire = np.where(leader, np.minimum(hire, start_day - 3 * 365), hire)
    status = np.where(leader, 0, weighted(rng, (0.9, 0.1), n))
    created = hire * DAY_MS + 9 * HOUR_MS + rng.integers(0, 60, n) * MINUTE_MS
    return {
        "seller_id": ids,
        "seller_code": join("VEND-", num(ids, 5)),
        "seller_name": name,
        "team_id": team,
        "manager_seller_id": np.where(leader, NULL, team),
        "home_state": pick([c.state for c in REGION_CITIES], city),
        "home_city": pick([c.name for c in REGION_CITIES], city),
        "monthly_goal_amount": np.full(n, 1_000_000, dtype=np.int64),
        "hire_date": hire,
        "seller_status": pick(SELLER_STATUSES, status),
        **_common(created, _timestamps(clock, rng, created)),
    }


_METHOD_WEIGHTS = (0.5, 0.25, 0.1, 0.08, 0.07)
_TYPES = (
    "Cupom",
    "Promocao Automatica",
    "Desconto Progressivo",
    "Fidelidade",
    "Primeira Compra",
    "Cashback",
)
FRETE_GRATIS = DISCOUNT_METHODS.index("Frete Gratis")
# apply_scope (APPLY_SCOPES order) of the other methods: Pedido Total, Produto Especifico,
# Categoria, (Frete only for Frete Gratis), Item Individual
_SCOPE_WEIGHTS = (0.25, 0.2, 0.2, 0.0, 0.35)
_SCOPE_TARGETS = ("pedidos", "produtos selecionados", "categoria", "frete", "itens")
# scopes whose campaigns name what they apply to (product_restriction)
_RESTRICTED_SCOPES = (APPLY_SCOPES.index("Produto Especifico"), APPLY_SCOPES.index("Categoria"))
# the level an application of each scope is recorded at (order_item_discounts)
SCOPE_LEVELS = {
    "Pedido Total": "Pedido",
    "Produto Especifico": "Item",
    "Categoria": "Categoria",
    "Frete": "Frete",
    "Item Individual": "Item",
}


def category_commission(category_names: pa.Array) -> np.ndarray:
    """Commission percent (hundredths) of products by their category name."""
    rates = np.array([round(c.commission * 100) for c in _CATEGORIES] + [400], dtype=np.int64)
    idx = pc.index_in(category_names, value_set=pa.array([c.name for c in _CATEGORIES]))
    return rates[np.asarray(idx.fill_null(len(_CATEGORIES)), dtype=np.int64)]


def build_campaigns(n: int, clock: Clock, rng: np.random.Generator) -> Columns:
    """Campaigns staggered over the window so that at any instant a few are running: campaign
    k starts around k * spacing and lasts 2.5-4 spacings (``campaign_at`` relies on it)."""
    ids = np.arange(1, n + 1, dtype=np.int64)
    spacing = (clock.as_of_ms - clock.start_ms) // n
    start = clock.start_ms + (ids - 1) * spacing - (rng.random(n) * 0.3 * spacing).astype(np.int64)
    start = start // HOUR_MS * HOUR_MS
    end = start + (rng.uniform(2.5, 4.0, n) * spacing).astype(np.int64)
    end = end // HOUR_MS * HOUR_MS + HOUR_MS - 1000
    method = weighted(rng, _METHOD_WEIGHTS, n)
    value = np.select(
        [method == 0, method == 1, method == 2, method == 3],
        [
            uniform_int(rng, 5, 30, n) * 100,
            uniform_int(rng, 1, 15, n) * 1000,
            uniform_int(rng, 15, 40, n) * 100,
            uniform_int(rng, 10, 60, n) * 100,
        ],
        uniform_int(rng, 5, 20, n) * 100,
    )
    frete = APPLY_SCOPES.index("Frete")
    scope = np.where(method == FRETE_GRATIS, frete, weighted(rng, _SCOPE_WEIGHTS, n))
    category = pick([c.name for c in _CATEGORIES], rng.integers(0, len(_CATEGORIES), n))
    brand = pick(_BRAND_NAMES, rng.integers(0, len(_BRAND_NAMES), n))
    restriction = pc.if_else(
        pa.array(scope == APPLY_SCOPES.index("Categoria")),
        join("Categoria ", category),
        join("Produtos da marca ", brand),
    )
    theme = rng.integers(0, len(ref.CAMPAIGN_THEMES), n)
    theme_names = pick(ref.CAMPAIGN_THEMES, theme)
    year = num(start.astype("datetime64[ms]").astype("datetime64[Y]").astype(np.int64) + 1970)
    codes = [ascii_code(t, 12) for t in ref.CAMPAIGN_THEMES]
    name = join(theme_names, " ", year)
    created = start - uniform_int(rng, 7, 30, n) * DAY_MS
    created = np.minimum(created, clock.end_ms - DAY_MS)
    updated = clock.uniform_ms(rng, created, n)
    return {
        "discount_id": ids,
        "discount_code": join(
            pick(codes, theme), pc.utf8_slice_codeunits(year, 2), "-", num(ids, 3)
        ),
        "campaign_name": name,
        "description": with_nulls(
            join(
                "Campanha ",
                name,
                ": ",
                pick(DISCOUNT_METHODS, method),
                " em ",
                pick(_SCOPE_TARGETS, scope),
            ),
            rng.random(n) < 0.1,
        ),
        "discount_type": pick(_TYPES, rng.integers(0, len(_TYPES), n)),
        "discount_method": pick(DISCOUNT_METHODS, method),
        "discount_value": value,
        "min_order_value": np.where(rng.random(n) < 0.3, NULL, uniform_int(rng, 1, 30, n) * 1000),
        "max_discount_value": np.where(
            (method == 0) & (rng.random(n) < 0.5), uniform_int(rng, 5, 50, n) * 1000, NULL
        ),
        "max_uses_per_customer": np.where(rng.random(n) < 0.6, uniform_int(rng, 1, 5, n), NULL),
        "max_uses_total": np.where(rng.random(n) < 0.4, uniform_int(rng, 10, 1000, n) * 100, NULL),
        "apply_scope": pick(APPLY_SCOPES, scope),
        "product_restriction": with_nulls(restriction, ~np.isin(scope, _RESTRICTED_SCOPES)),
        "start_at": start,
        "end_at": end,
        "is_active": (start <= clock.end_ms) & (end > clock.end_ms),
        "is_stackable": rng.random(n) < 0.3,
        "approval_required": rng.random(n) < 0.2,
        "current_usage_count": np.zeros(n, dtype=np.int64),
        "total_revenue_generated": np.zeros(n, dtype=np.int64),
        "total_discount_given": np.zeros(n, dtype=np.int64),
        **_common(created, updated),
    }
