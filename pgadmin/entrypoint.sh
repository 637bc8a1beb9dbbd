#!/bin/sh
# pgAdmin reads a server's PassFile relative to its user's storage folder, and only if no one else can
# read it; a file mounted from the host cannot promise that. So the pgpass file is written here from the
# compose credentials (the same .env the database uses), the server list is given the same user and
# database, and then pgAdmin's own entrypoint starts (it loads the list on its first start).
set -eu
storage=/var/lib/pgadmin/storage/pgadmin4_pgadmin.org
mkdir -p "$storage"
printf 'db:5432:*:%s:%s\n' "$POSTGRES_USER" "$POSTGRES_PASSWORD" > "$storage/pgpass"
chmod 600 "$storage/pgpass"
sed -e "s/\"Username\": \"shop\"/\"Username\": \"$POSTGRES_USER\"/" \
    -e "s/\"MaintenanceDB\": \"shop\"/\"MaintenanceDB\": \"$POSTGRES_DB\"/" \
    /pgadmin-setup/servers.json > /var/lib/pgadmin/servers.json
exec /entrypoint.sh
