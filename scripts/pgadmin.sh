#!/bin/sh
# `make pgadmin`: pgAdmin 4 without Docker, in its own virtualenv (var/pgadmin/venv), in desktop mode (no
# login) on http://127.0.0.1:5050, with the embedded database registered. The embedded server is started
# with TCP on 127.0.0.1 (`shop db start --tcp`), the same database the app uses.
# First use downloads and installs pgAdmin: about 600 MB and a minute or more.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shop="$root/.venv/bin/shop"
home="$root/var/pgadmin"
venv="$home/venv"
port=${PGADMIN_PORT:-5050}

if [ ! -x "$venv/bin/pgadmin4" ]; then
    echo "Installing pgAdmin 4 into $venv (first time only: about 600 MB, a minute or more)..."
    python3 -m venv "$venv"
    "$venv/bin/pip" install --disable-pip-version-check -q -c "$root/scripts/pgadmin-constraints.txt" pgadmin4
fi
package=$("$venv/bin/python" -c 'import os, pgadmin4; print(os.path.dirname(pgadmin4.__file__))' 2>/dev/null \
    || "$venv/bin/python" -c 'import os, sysconfig; print(os.path.join(sysconfig.get_paths()["purelib"], "pgadmin4"))')

mkdir -p "$home/data"
# pgAdmin reads config_local.py beside its config.py: desktop mode, its files under var/pgadmin.
cat > "$package/config_local.py" <<PY
SERVER_MODE = False
MASTER_PASSWORD_REQUIRED = False
DEFAULT_SERVER = "127.0.0.1"
DEFAULT_SERVER_PORT = $port
DATA_DIR = "$home/data"
LOG_FILE = "$home/data/pgadmin4.log"
SQLITE_PATH = "$home/data/pgadmin4.db"
SESSION_DB_PATH = "$home/data/sessions"
STORAGE_DIR = "$home/data/storage"
UPGRADE_CHECK_ENABLED = False
PY

"$shop" db start --tcp
url=$("$shop" db url)
db_port=$(echo "$url" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
db_name=$(echo "$url" | sed -n 's|.*/\([^?]*\)?.*|\1|p')
db_password=$(echo "$url" | sed -n 's|^postgresql://[^:]*:\([^@]*\)@.*|\1|p')
# The server wants its password; pgAdmin reads it from a pgpass file only this account can read.
(umask 077 && printf '127.0.0.1:%s:*:postgres:%s\n' "$db_port" "$db_password" > "$home/pgpass")
cat > "$home/servers.json" <<JSON
{"Servers": {"1": {"Name": "Agentic Shop (embedded)", "Group": "Agentic Shop", "Host": "127.0.0.1",
  "Port": $db_port, "MaintenanceDB": "$db_name", "Username": "postgres", "SSLMode": "disable",
  "PassFile": "$home/pgpass"}}}
JSON
# Its configuration database must exist before the server list can be loaded into it.
"$venv/bin/pgadmin4-cli" setup-db >/dev/null
"$venv/bin/pgadmin4-cli" load-servers "$home/servers.json" --user pgadmin4@pgadmin.org --replace >/dev/null
echo "pgAdmin on http://127.0.0.1:$port  (Ctrl-C to stop; the database keeps running: shop db stop)"
exec "$venv/bin/pgadmin4"
