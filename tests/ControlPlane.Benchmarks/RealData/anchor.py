#!/usr/bin/python3
"""The outside anchor of the model-quality-real benchmark: scikit-learn's HistGradientBoosting with default settings.

    /usr/bin/python3 anchor.py MANIFEST

For every tenant of the manifest (prepare.py), fits HistGradientBoostingClassifier (binary) or ...Regressor with
default hyperparameters on the tenant's train.csv, on the same raw columns the product is given, and writes its
predictions for test.csv next to it as anchor.csv (id, prediction: the positive class's probability or the value).
Columns become numbers as a data scientist would give them to the library: numbers as they are (missing = NaN);
categories as integer codes of the values seen in training (unseen = missing) marked categorical, HGB's native
category support (more than 255 values: left as ordered codes); a date-time as its day number since 1970 and its
calendar parts (year, month, day of month, day of week, day of year). Prints one line per tenant.
"""
import csv
import datetime
import json
import math
import os
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    try:
        return float(text) if text != "" else math.nan
    except ValueError:
        return math.nan


def date_parts(text):
    if text == "":
        return [math.nan] * 6
    d = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    epoch_days = (d - datetime.datetime(1970, 1, 1)).total_seconds() / 86400
    return [epoch_days, d.year, d.month, d.day, d.weekday(), d.timetuple().tm_yday]


def encode(train, test, columns):
    """Both tables as float matrices, and which matrix columns are categorical."""
    blocks_train, blocks_test, categorical = [], [], []
    for name, kind in columns:
        if kind == "dateTime":
            blocks_train.append(np.array([date_parts(r[name]) for r in train], dtype=float))
            blocks_test.append(np.array([date_parts(r[name]) for r in test], dtype=float))
            categorical += [False] * 6
        elif kind == "number":
            blocks_train.append(np.array([[number(r[name])] for r in train], dtype=float))
            blocks_test.append(np.array([[number(r[name])] for r in test], dtype=float))
            categorical.append(False)
        else:
            values = sorted({r[name] for r in train if r[name] != ""})
            codes = {v: float(i) for i, v in enumerate(values)}
            blocks_train.append(np.array([[codes.get(r[name], math.nan)] for r in train], dtype=float))
            blocks_test.append(np.array([[codes.get(r[name], math.nan)] for r in test], dtype=float))
            categorical.append(len(values) <= 255)
    return np.hstack(blocks_train), np.hstack(blocks_test), np.array(categorical)


def main():
    manifest = json.load(open(sys.argv[1]))
    for case in manifest["useCases"]:
        for tenant in case["tenants"]:
            train, test = read(tenant["train"]), read(tenant["test"])
            renames = tenant["renames"]
            columns = [(raw, kind) for raw, kind in
                       [(next((r for r, c in renames.items() if c == f["name"]), f["name"]), f["type"]) for f in case["features"]]]
            columns += [(e["name"], e["type"]) for e in tenant["extraFeatures"]]
            x_train, x_test, categorical = encode(train, test, columns)
            mask = categorical if categorical.any() else None
            if case["task"] == "binary":
                y = np.array([1 if r[case["label"]] == case["positive"] else 0 for r in train])
                model = HistGradientBoostingClassifier(categorical_features=mask, random_state=0)
                if len(set(y)) < 2:
                    predictions = np.full(len(test), float(y.mean()))
                else:
                    predictions = model.fit(x_train, y).predict_proba(x_test)[:, 1]
            else:
                y = np.array([number(r[case["label"]]) for r in train])
                keep = ~np.isnan(y)
                model = HistGradientBoostingRegressor(categorical_features=mask, random_state=0)
                predictions = model.fit(x_train[keep], y[keep]).predict(x_test)
            out = os.path.join(os.path.dirname(tenant["test"]), "anchor.csv")
            with open(out, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["id", "prediction"])
                for r, p in zip(test, predictions):
                    w.writerow([r["id"], repr(float(p))])
            print("%s/%s: %d train rows, %d test rows" % (case["key"], tenant["slug"], len(train), len(test)), flush=True)


if __name__ == "__main__":
    main()
