#!/usr/bin/python3
"""Real public data for the model-quality-real benchmark, split into tenants and by time.

    /usr/bin/python3 prepare.py OUT_DIR

Exports five data sets of the R package modeldata (Debian's r-cran-modeldata, read with Rscript), splits each
into tenants by a natural column, and each tenant into the rows both contestants may learn from (train.csv) and
the rows only the benchmark scores them on (test.csv): the newest 20 % by event time where the data has a time
column (rows of one event time stay on one side), else a seeded 20 % draw. Writes OUT_DIR/manifest.json, which
the anchor (anchor.py) and the C# scenario read. Standard library only.
"""
import csv
import json
import os
import random
import subprocess
import sys

TEST_SHARE = 0.2
SEED = 20261207
DATA_SETS = ["stackoverflow", "lending_club", "mlc_churn", "ames", "Chicago"]


def export(raw_dir):
    os.makedirs(raw_dir, exist_ok=True)
    script = "library(modeldata); for (n in c(%s)) { data(list = n); write.csv(get(n), file.path('%s', paste0(n, '.csv')), row.names = FALSE, na = '') }" % (
        ", ".join("'%s'" % n for n in DATA_SETS), raw_dir)
    subprocess.run(["Rscript", "-e", script], check=True, stdout=subprocess.DEVNULL)


def read(raw_dir, name):
    with open(os.path.join(raw_dir, name + ".csv"), newline="") as f:
        return list(csv.DictReader(f))


def is_number(values):
    for v in values:
        if v == "":
            continue
        try:
            float(v)
        except ValueError:
            return False
    return True


def slug(text):
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def split(rows, time_column):
    """Oldest 80 % / newest 20 % by time (a cut never splits one time), else a seeded draw."""
    n = len(rows)
    target = n - round(n * TEST_SHARE)
    if time_column is None:
        order = list(range(n))
        random.Random(SEED + n).shuffle(order)
        train = sorted(order[:target])
        test = sorted(order[target:])
        return [rows[i] for i in train], [rows[i] for i in test]
    ordered = sorted(rows, key=lambda r: r[time_column])
    cuts = [i for i in range(1, n) if ordered[i][time_column] != ordered[i - 1][time_column]]
    cut = min(cuts, key=lambda i: (abs(i - target), i))
    return ordered[:cut], ordered[cut:]


def write(path, columns, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])


def features(rows, exclude, types=None):
    """Every column but the excluded ones, typed number (all values numeric) or category."""
    result = []
    for c in rows[0].keys():
        if c in exclude:
            continue
        kind = (types or {}).get(c) or ("number" if is_number(r[c] for r in rows) else "category")
        result.append({"name": c, "type": kind})
    return result


def use_case(out_dir, key, name, task, label, positive, time_column, feature_list, tenants, min_rows):
    entry = {"key": key, "name": name, "task": task, "label": label, "positive": positive, "eventTime": time_column,
             "entityKey": "id", "features": feature_list, "tenants": []}
    canonical = [f["name"] for f in feature_list]
    for tenant, rows, renames, extra in tenants:
        if len(rows) < min_rows:
            continue
        train, test = split(rows, time_column)
        raw_names = {c: renames.get(c, c) for c in canonical}
        columns = ["id"] + ([time_column] if time_column else []) + [raw_names[c] for c in canonical if c != time_column] \
            + [e["name"] for e in extra] + [label]
        folder = os.path.join(out_dir, key, tenant)

        def raw(r):
            out = {raw_names.get(c, c): v for c, v in r.items()}
            return out

        write(os.path.join(folder, "train.csv"), columns, [raw(r) for r in train])
        write(os.path.join(folder, "test.csv"), columns, [raw(r) for r in test])
        entry["tenants"].append({
            "slug": tenant, "rows": len(rows), "trainRows": len(train), "testRows": len(test),
            "train": os.path.join(folder, "train.csv"), "test": os.path.join(folder, "test.csv"),
            "renames": {raw_names[c]: c for c in canonical if raw_names[c] != c},
            "extraFeatures": extra,
            "testFrom": test[0][time_column] if time_column else None,
        })
    return entry


def numbered(rows):
    for i, r in enumerate(rows):
        r["id"] = str(i + 1)
    return rows


def by(rows, column):
    groups = {}
    for r in rows:
        groups.setdefault(r[column], []).append(r)
    return groups


def leaky(rows, label, positive):
    """A copy of the label as recorded after the outcome (1 % of the entries wrong), added to one tenant."""
    rng = random.Random(SEED)
    out = []
    for r in rows:
        copy = dict(r)
        flag = r[label] == positive
        if rng.random() < 0.01:
            flag = not flag
        copy["remote_status_confirmed"] = "yes" if flag else "no"
        out.append(copy)
    return out


def main():
    out_dir = os.path.abspath(sys.argv[1])
    raw_dir = os.path.join(out_dir, "raw")
    export(raw_dir)
    cases = []

    rows = numbered(read(raw_dir, "stackoverflow"))
    feats = features(rows, {"id", "Country", "Remote"})
    groups = by(rows, "Country")
    tenants = [(slug(c), [{k: v for k, v in r.items() if k != "Country"} for r in g], {}, []) for c, g in sorted(groups.items())]
    us = [{k: v for k, v in r.items() if k != "Country"} for r in groups["United States"]]
    tenants.append(("united-states-leaky", leaky(us, "Remote", "Remote"), {}, [{"name": "remote_status_confirmed", "type": "category", "leak": True}]))
    cases.append(use_case(out_dir, "so-remote", "Stack Overflow: works remotely", "binary", "Remote", "Remote", None, feats, tenants, 100))

    rows = numbered(read(raw_dir, "lending_club"))
    feats = features(rows, {"id", "addr_state", "Class"})
    tenants = [(slug(s), [{k: v for k, v in r.items() if k != "addr_state"} for r in g], {}, []) for s, g in sorted(by(rows, "addr_state").items())]
    cases.append(use_case(out_dir, "lc-default", "Lending Club: bad loan", "binary", "Class", "bad", None, feats, tenants, 300))

    rows = numbered(read(raw_dir, "mlc_churn"))
    feats = features(rows, {"id", "state", "churn"})
    tenants = [(slug(s), [{k: v for k, v in r.items() if k != "state"} for r in g], {}, []) for s, g in sorted(by(rows, "state").items())]
    cases.append(use_case(out_dir, "telco-churn", "Telecom churn", "binary", "churn", "yes", None, feats, tenants, 50))

    rows = numbered(read(raw_dir, "ames"))
    for r in rows:
        r["sold_on"] = "%s-%02d-01" % (r.pop("Year_Sold"), int(r.pop("Mo_Sold")))
    feats = [{"name": "sold_on", "type": "dateTime"}] + features(rows, {"id", "Neighborhood", "Sale_Price", "sold_on"})
    tenants = [(slug(s), [{k: v for k, v in r.items() if k != "Neighborhood"} for r in g], {}, []) for s, g in sorted(by(rows, "Neighborhood").items())]
    cases.append(use_case(out_dir, "ames-price", "Ames: sale price", "regression", "Sale_Price", None, "sold_on", feats, tenants, 100))

    chicago = read(raw_dir, "Chicago")
    stations = [c for c in list(chicago[0].keys())[1:21]]
    shared = [c for c in chicago[0].keys() if c not in stations and c not in ("ridership", "date")]
    feats = [{"name": "date", "type": "dateTime"}, {"name": "riders_14_days_before", "type": "number"}] + [
        {"name": c, "type": "number"} for c in shared]
    tenants = []
    for station in stations:
        rows = []
        for i, r in enumerate(chicago):
            if i + 14 >= len(chicago):
                break
            row = {"id": str(i + 1), "date": r["date"], "riders_14_days_before": r[station], "riders": chicago[i + 14][station]}
            row.update({c: r[c] for c in shared})
            rows.append(row)
        tenants.append((slug(station), rows, {"riders_14_days_before": "%s_lag14" % station}, []))
    cases.append(use_case(out_dir, "chicago-riders", "Chicago L: daily riders per station", "regression", "riders", None, "date", feats, tenants, 100))

    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump({"seed": SEED, "testShare": TEST_SHARE, "useCases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
