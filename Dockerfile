# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; fonts for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . \
    && SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput \
    && useradd --system --home /app jambench \
    && mkdir -p /app/var /data/media \
    && chown -R jambench /app/var /data/media

USER jambench
EXPOSE 8000
CMD ["gunicorn", "benchmarking.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
