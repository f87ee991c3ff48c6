#!/usr/bin/env bash
# The Cellar demo: a local PostgreSQL with sample data, the test cluster (a loopback stand-in for a
# Kubernetes API server, see tests/cluster/README.md), and cellar-controller. It applies
# examples/backup.yaml, shows the Backup go Pending -> InProgress -> Completed with its size, proves
# the dump with pg_restore --list, shows a Backup with a wrong password end Failed with the
# server's own message, streams the same database into an S3-compatible store
# (examples/backup-s3.yaml), then applies examples/schedule.yaml and backs up now from that schedule,
# with `kubectl cellar backup now --wait` and with the cellar.dev/trigger annotation, and finally
# restores shop-now into a new database with `kubectl cellar restore` and compares every table's
# row count with the source's.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools-path.sh
scripts/install-deps.sh
scripts/build.sh
root=$(pwd)
build_dir=$root/${BUILD_DIR:-build}
pg_bin=/usr/lib/postgresql/15/bin

work=$(mktemp -d /tmp/cellar-demo.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $pg_started ]]; then as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run it as the postgres user then.
as_pg() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ %s\033[0m\n' "$*"; "$@"; }

say "A PostgreSQL server with a database to back up"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/pg"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work/pg"
echo "postgres-demo" >"$work/pwfile"
chmod 644 "$work/pwfile"
as_pg "$pg_bin/initdb" -D "$work/pg" -U postgres --pwfile="$work/pwfile" --auth=scram-sha-256 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work/pg" start >/dev/null
pg_started=1
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=postgres-demo
psql -q -d postgres -c "CREATE DATABASE shop" -c "CREATE ROLE app LOGIN PASSWORD 'demo-password'"
psql -q -d shop <<'SQL'
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric);
INSERT INTO customers (name) SELECT 'customer ' || g FROM generate_series(1, 200000) g;
INSERT INTO orders (customer_id, total) SELECT 1 + g % 200000, g * 1.5 FROM generate_series(1, 1500000) g;
-- The application's role owns its data, so it can both dump it and restore it (a restore
-- recreates each table under its owner).
ALTER TABLE customers OWNER TO app;
ALTER TABLE orders OWNER TO app;
SQL
echo "PostgreSQL on 127.0.0.1:$port, database shop: 200000 customers, 1500000 orders"
unset PGHOST PGPORT PGUSER PGPASSWORD

say "The test cluster, with Cellar's CRDs"
export KUBECONFIG=$work/kubeconfig
coproc CLUSTER { exec "$build_dir/tests/cluster/cellar-test-cluster" --kubeconfig-out "$KUBECONFIG" \
  --volume-root "$work/volumes" --image "cellar-agent:0.1.0=$build_dir/controller/agent/cellar-agent" \
  2>"$work/cluster.log"; }
pids+=("$CLUSTER_PID")
if ! timeout 30 grep -q -m1 '^ready$' <&"${CLUSTER[0]}"; then
  echo "the test cluster did not start; its log:" >&2
  cat "$work/cluster.log" >&2
  exit 1
fi
show kubectl apply -f crds/
show kubectl wait --for=condition=Established crd/backups.cellar.dev --timeout=30s

say "cellar-controller"
"$build_dir/controller/cellar-controller" --agent-image cellar-agent:0.1.0 2>"$work/controller.log" &
pids+=("$!")
sleep 1
cat "$work/controller.log"

say "Back up now: kubectl apply -f examples/backup.yaml"
sed "s/port: 5432/port: $port/" examples/backup.yaml >"$work/backup.yaml"
# What `kubectl get backups -w` shows, from before the Backup exists.
kubectl get backups -w 2>/dev/null &
watch_pid=$!
sleep 0.5
show kubectl apply -f "$work/backup.yaml"
kubectl wait --for=jsonpath='{.status.phase}'=Completed backup/shop-now --timeout=120s >/dev/null
sleep 0.5
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
show kubectl get backup shop-now -o wide
show kubectl get backup shop-now -o jsonpath='{.status.location}  {.status.checksum}{"\n"}'

say "The dump is real: pg_restore --list reads it"
dump=$(find "$work/volumes" -name 'shop-now-*.dump' | head -1)
ls -l "$dump"
"$pg_bin/pg_restore" --list "$dump" | grep -E 'TABLE DATA|^;.*(Archive|Dumped)' || true

say "Off the cluster: the same database, streamed into an S3-compatible store"
# s3rver (from npm, installed by install-deps.sh) behind a front that checks every request's
# signature the way S3 does, both on loopback.
s3_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/s3"
tests/support/s3rver/node_modules/.bin/s3rver --directory "$work/s3" --address 127.0.0.1 \
  --port "$s3_port" --silent >/dev/null 2>&1 &
pids+=("$!")
s3_key_id=AKIDCELLARDEMO
s3_secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
S3_VERIFY_ACCESS_KEY_ID=$s3_key_id S3_VERIFY_SECRET_ACCESS_KEY=$s3_secret PYTHONUNBUFFERED=1 \
  /usr/bin/python3 tests/support/s3_verify_proxy.py --upstream "127.0.0.1:$s3_port" \
  --data-dir "$work/s3" >"$work/s3-front.out" 2>"$work/s3-front.log" &
pids+=("$!")
# It prints "ready PORT" once it listens.
for _ in $(seq 150); do grep -q '^ready ' "$work/s3-front.out" && break; sleep 0.2; done
front_port=$(awk '/^ready /{print $2; exit}' "$work/s3-front.out")
endpoint=http://127.0.0.1:$front_port
aws_() {
  env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=$s3_key_id \
    AWS_SECRET_ACCESS_KEY="$s3_secret" AWS_DEFAULT_REGION=us-east-1 \
    /usr/bin/aws --endpoint-url "$endpoint" "$@"
}
for _ in $(seq 50); do aws_ s3api create-bucket --bucket shop-backups >/dev/null 2>&1 && break; sleep 0.2; done
sed -e "s/port: 5432/port: $port/" -e "s#http://127.0.0.1:9000#$endpoint#" \
  -e "s/AWS_ACCESS_KEY_ID: replace-me/AWS_ACCESS_KEY_ID: $s3_key_id/" \
  -e "s/AWS_SECRET_ACCESS_KEY: replace-me/AWS_SECRET_ACCESS_KEY: $s3_secret/" \
  examples/backup-s3.yaml >"$work/backup-s3.yaml"
show kubectl apply -f "$work/backup-s3.yaml"
kubectl wait --for=jsonpath='{.status.phase}'=Completed backup/shop-offsite --timeout=120s >/dev/null
show kubectl get backups
show kubectl get backup shop-offsite -o jsonpath='{.status.location}  {.status.checksum}{"\n"}'
printf '\033[2m$ aws s3 ls --recursive s3://shop-backups\033[0m\n'
aws_ s3 ls --recursive s3://shop-backups

say "A Backup with a wrong password fails with the server's own words"
cat <<YAML | kubectl apply -f -
apiVersion: v1
kind: Secret
metadata:
  name: wrong-pw
stringData:
  password: not-the-password
---
apiVersion: cellar.dev/v1alpha1
kind: Backup
metadata:
  name: shop-wrong-password
spec:
  database: {host: 127.0.0.1, port: $port, name: shop, user: app, passwordSecretRef: {name: wrong-pw, key: password}}
  storage: {persistentVolumeClaim: {claimName: backups}}
  backoffLimit: 0
YAML
kubectl wait --for=jsonpath='{.status.phase}'=Failed backup/shop-wrong-password --timeout=120s >/dev/null
show kubectl get backups
show kubectl get backup shop-wrong-password -o jsonpath='{.status.message}{"\n"}'
show kubectl get events --field-selector involvedObject.kind=Backup

say "A nightly schedule, at 02:30 Paris time, rotated: kubectl apply -f examples/schedule.yaml"
sed "s/port: 5432/port: $port/" examples/schedule.yaml >"$work/schedule.yaml"
show kubectl apply -f "$work/schedule.yaml"
kubectl wait --for=condition=Ready bks/shop-nightly --timeout=30s >/dev/null
show kubectl get backupschedules

say "Back up now, from the schedule, with the kubectl plugin"
export PATH=$build_dir/controller/cli:$PATH
show kubectl cellar backup now --from-schedule shop-nightly --wait --timeout 2m

say "Back up now, the GitOps way: a new value of the cellar.dev/trigger annotation"
show kubectl annotate bks shop-nightly cellar.dev/trigger=demo-1
kubectl wait --for=jsonpath='{.status.lastTrigger}'=demo-1 bks/shop-nightly --timeout=30s >/dev/null
kubectl wait --for=jsonpath='{.status.phase}'=Completed backups -l cellar.dev/schedule=shop-nightly \
  --timeout=120s >/dev/null
show kubectl get backups -l cellar.dev/schedule=shop-nightly
show kubectl get backupschedules
show kubectl get events --field-selector involvedObject.kind=BackupSchedule

say "Restore shop-now into a new database, with the kubectl plugin"
pg_super() { PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGPASSWORD=postgres-demo psql -X -q "$@"; }
# The restore creates the database as the Backup's role, app: allow it to.
pg_super -d postgres -c "ALTER ROLE app CREATEDB"
show kubectl cellar restore shop-now --to-database shop_restored --create --wait
show kubectl get restores
printf '%-12s %12s %14s\n' table shop shop_restored
mismatch=0
for table in $(pg_super -d shop -Atc "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
  source_rows=$(pg_super -d shop -Atc "SELECT count(*) FROM \"$table\"")
  restored_rows=$(pg_super -d shop_restored -Atc "SELECT count(*) FROM \"$table\"")
  printf '%-12s %12s %14s\n' "$table" "$source_rows" "$restored_rows"
  [[ $source_rows == "$restored_rows" ]] || mismatch=1
done
if ((mismatch)); then
  echo "the restored database does not hold what the source holds" >&2
  exit 1
fi

echo
echo "cellar demo: done."
