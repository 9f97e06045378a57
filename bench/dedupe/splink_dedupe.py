#!/usr/bin/env python3
"""Splink (5.x, DuckDB) on the same ledger, with its documented deduplication settings: blocking on
birth date and on name, comparisons NameComparison (exact, Jaro-Winkler), DateOfBirthComparison,
exact sex, community and phone; u by random sampling, m by EM; match probability ≥ 0.9 is a match.
Prints the same pair precision/recall/F1 as evaluate.py.

usage: splink_dedupe.py LEDGER.csv
"""
import sys
import time
from collections import defaultdict

import pandas as pd
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
import splink.comparison_library as cl

from pairscore import score


def main():
    t0 = time.time()
    df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
    df["unique_id"] = range(2, len(df) + 2)
    df = df.rename(columns={"姓名": "name", "性别": "sex", "出生日期": "dob", "公民身份号码": "idno", "联系电话": "phone",
                            "所在社区": "community", "真实编号": "truth"})
    for c in ["name", "sex", "idno", "phone", "community"]:
        df[c] = df[c].replace("", None)
    db = DuckDBAPI()
    sdf = db.register(df[["unique_id", "name", "sex", "dob", "idno", "phone", "community"]], dataset_display_name="ledger")
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[block_on("dob"), block_on("name"), block_on("idno")],
        comparisons=[
            cl.ExactMatch("idno"),
            cl.NameComparison("name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("community"),
            cl.ExactMatch("phone"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(sdf, settings, log_level="WARNING")
    linker.training.estimate_probability_two_random_records_match([block_on("idno")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    pred = linker.inference.predict(threshold_match_probability=0.9)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.9).as_pandas_dataframe()
    seconds = time.time() - t0

    truth, predicted = defaultdict(list), defaultdict(list)
    for uid, t in zip(df["unique_id"], df["truth"]):
        truth[t].append(uid)
    for uid, c in zip(clusters["unique_id"], clusters["cluster_id"]):
        predicted[c].append(uid)
    print(f"splink: {score(truth, predicted)}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
