# The project's image: the orchestrator (dbt), the monitor, the business dashboards, the
# alert runner and the init and backup jobs of docker/compose.yaml. Build context: the
# repository root (docker/compose.yaml builds it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DBT_PROFILES_DIR=/app \
    PATH="/opt/mssql-tools18/bin:${PATH}"

# Microsoft ODBC Driver 18 (pyodbc, dbt-sqlserver) and sqlcmd (init and backup jobs),
# from Microsoft's Debian 12 repository, at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unixodbc \
    && curl -fsSL -o /tmp/packages-microsoft-prod.deb \
        https://packages.microsoft.com/config/debian/12/packages-microsoft-prod.deb \
    && dpkg -i /tmp/packages-microsoft-prod.deb \
    && rm /tmp/packages-microsoft-prod.deb \
    && apt-get update \
    && ACCEPT_EULA=Y apt-get install -y --no-install-recommends msodbcsql18 mssql-tools18 \
    && apt-get purge -y curl \
    && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The pinned dependencies first (a layer that changes only with the lock).
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c constraints.txt \
    && rm /tmp/requirements.txt

# The project, path by path: nothing else of the working tree (no .venv, data/, target/
# or docker/.env) reaches the image. tests/dbt holds dbt's singular data tests.
COPY dbt_project.yml profiles.yml ./
COPY models ./models
COPY macros ./macros
COPY seeds ./seeds
COPY snapshots ./snapshots
COPY tests/dbt ./tests/dbt
COPY generator ./generator
COPY orchestrator ./orchestrator
COPY observability ./observability
COPY dashboards ./dashboards
COPY docs ./docs
COPY docker/healthcheck.py ./docker/healthcheck.py
COPY docker/scripts ./docker/scripts
COPY docker/sql ./docker/sql

# One unprivileged user for every service; uid 10001 is also SQL Server's (mssql) in its
# image, so the backup job can prune the backup files SQL Server writes.
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/target /app/logs /app/data /app/state /var/opt/mssql/backup /var/opt/mssql/audit \
    && chown -R app:app /app /var/opt/mssql

USER app

CMD ["python", "orchestrator/run.py", "--help"]
