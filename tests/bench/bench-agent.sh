#!/bin/sh
# Stands in for cellar-agent in the benchmark: ends at once with a result shaped like the agent's,
# so what is measured is Cellar's controller and the API server, not pg_dump.
printf '{"bytes":1048576,"sha256":"%s","location":"bench","serverVersion":"15.0","databaseSizeBytes":1048576,"durationSeconds":0.01}\n' \
  0000000000000000000000000000000000000000000000000000000000000000 \
  > "${CELLAR_TERMINATION_MESSAGE_PATH:-/dev/termination-log}"
