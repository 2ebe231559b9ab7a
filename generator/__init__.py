"""OLTP source generator for the e-commerce warehouse (ECOMMERCE_OLTP.core, 11 tables).

``generate`` writes the base data set into DuckDB, PostgreSQL or SQL Server; ``apply_wave``
applies incremental wave N on top of it. See ``python -m generator --help``.
"""

from generator.api import GenerationReport, WaveReport, apply_wave, generate
from generator.errors import GeneratorError, UsageError

__all__ = [
    "GenerationReport",
    "GeneratorError",
    "UsageError",
    "WaveReport",
    "apply_wave",
    "generate",
]
