#!/bin/sh
# Runs once, when the postgres container initialises its data: the login role the api and the
# worker use. It owns nothing, so it cannot drop the ledger's append-only triggers; the
# migration role (POSTGRES_USER) owns the schema and grants it row rights at each start.
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$OPSLOOP_APP_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE opsloop_app LOGIN PASSWORD :'app_password';
SQL
