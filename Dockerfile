# One image for every Airflow component of docker-compose.yml (api-server,
# scheduler, dag-processor, triggerer, Celery workers): Airflow, its providers
# and the pipeline code, exactly as pinned in uv.lock.
FROM python:3.11-slim

ARG UV_VERSION=0.13.9
ARG AIRFLOW_UID=50000

# The project lives at /opt/dukcapil, so its PROJECT_ROOT-relative paths
# (dags/, expectations/) are where docker-compose.yml mounts them.
WORKDIR /opt/dukcapil
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/dukcapil/.venv/bin:$PATH \
    AIRFLOW_HOME=/opt/airflow

RUN pip install --no-cache-dir "uv==${UV_VERSION}"

# Dependencies first, in their own layer: a code change does not reinstall Airflow.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY pipelines ./pipelines
COPY dags ./dags
COPY expectations ./expectations
RUN uv sync --frozen --no-dev

# Airflow refuses nothing as root, but tasks handling personal data should not run as root.
RUN useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir "${AIRFLOW_HOME}" --create-home airflow \
 && mkdir -p /opt/dukcapil/landing /opt/dukcapil/reports "${AIRFLOW_HOME}/logs" "${AIRFLOW_HOME}/config" \
 && chown -R "${AIRFLOW_UID}:0" /opt/dukcapil/landing /opt/dukcapil/reports /opt/dukcapil/expectations "${AIRFLOW_HOME}" \
 && chmod -R g+rwX /opt/dukcapil/landing /opt/dukcapil/reports /opt/dukcapil/expectations "${AIRFLOW_HOME}"
USER ${AIRFLOW_UID}

ENTRYPOINT ["airflow"]
CMD ["version"]
