#!/usr/bin/env bash
# Adds a migration with the same name to both providers' migrations assemblies.
# Usage: migrations/add-migration.sh AddSomething
set -euo pipefail
name="${1:?usage: migrations/add-migration.sh MigrationName}"
root="$(cd "$(dirname "$0")/.." && pwd)"
command -v dotnet-ef >/dev/null || export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-ef >/dev/null || dotnet tool install -g dotnet-ef --version 10.0.15
for provider in Sqlite Postgres; do
  project="$root/migrations/ControlPlane.Migrations.$provider"
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --context ControlPlaneDbContext --output-dir Migrations
done
