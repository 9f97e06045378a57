#!/usr/bin/env python3
"""Splink (5.x, DuckDB) on FEBRL 3 or 4 with every column, modelled on Splink's own febrl3/febrl4
examples: blocking on names, birth date, soc_sec_id, address and postcode; NameComparison for the
names, DateOfBirthComparison, Damerau-Levenshtein for soc_sec_id and postcode, exact street number
and state, Jaro-Winkler for the address; u by random sampling, m by EM on two blocking passes;
match probability >= 0.5 is a match (the same threshold as `step: link`'s default). Prints the same
pair precision/recall/F1 as evaluate.py.

usage: splink_febrl.py LEDGER.csv [LEDGER2.csv]   (files written by febrl.py --all-fields)
"""
import sys
import time
from collections import defaultdict

import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

from pairscore import score

COLUMNS = ["given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
           "date_of_birth", "soc_sec_id"]


def main():
    t0 = time.time()
    frames = []
    for k, path in enumerate(sys.argv[1:]):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df["unique_id"] = [f"{k}-{i + 2}" for i in range(len(df))]
        for c in COLUMNS:
            df[c] = df[c].replace("", None)
        frames.append(df)
    link = len(frames) == 2
    db = DuckDBAPI()
    tables = [db.register(f[["unique_id"] + COLUMNS], dataset_display_name=f"t{k}") for k, f in enumerate(frames)]
    settings = SettingsCreator(
        link_type="link_only" if link else "dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("date_of_birth"), block_on("soc_sec_id"),
            block_on("state", "address_1"), block_on("street_number", "address_1"), block_on("postcode"),
        ],
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d", invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]),
            cl.ExactMatch("state"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(tables, settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match([block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.5).as_pandas_dataframe()
    seconds = time.time() - t0

    truth, predicted = defaultdict(list), defaultdict(list)
    for f in frames:
        for uid, t in zip(f["unique_id"], f["真实编号"]):
            truth[t].append(uid)
    for uid, c in zip(clusters["unique_id"], clusters["cluster_id"]):
        predicted[c].append(uid)
    print(f"splink: {score(truth, predicted)}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
