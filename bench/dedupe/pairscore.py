"""Pair precision, recall and F1 of predicted groups against true groups, as in the record-linkage
literature: every pair of records within a group counts. Shared by evaluate.py and the Splink scripts."""
import itertools


def pairs(groups):
    out = set()
    for members in groups.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def score(truth, predicted):
    """truth, predicted: group id -> members. Returns the line all benchmark scripts print."""
    t, p = pairs(truth), pairs(predicted)
    tp = len(t & p)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"true pairs {len(t)}, predicted {len(p)}, correct {tp}; precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}"
