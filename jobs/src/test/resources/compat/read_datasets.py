"""Reads mimobatch datasets with pyarrow and with DuckDB, which share no code with Spark or
parquet-mr, and prints what each read as JSON, for ParquetCompatibilityTest to compare with Spark.

    python read_datasets.py DIR [DIR ...]

For every dataset directory: the codecs of its column chunks, and per reader the column names and
the rows, in file order. Floats are written "f:" + repr (exact, and NaN and infinities included),
so that they stay apart from strings.
"""
import glob
import json
import math
import sys

import duckdb
import pyarrow.parquet as pq


def encode(v):
    if isinstance(v, float):
        return "f:" + ("nan" if math.isnan(v) else repr(v))
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    return v


def read(directory):
    files = sorted(glob.glob(directory + "/*.parquet"))
    codecs = set()
    for f in files:
        meta = pq.ParquetFile(f).metadata
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                codecs.add(meta.row_group(g).column(c).compression)
    table = pq.read_table(directory)
    arrow = {"columns": table.column_names, "rows": [[encode(r[c]) for c in table.column_names]
                                                     for r in table.to_pylist()]}
    # The directory's own name (run_id=...) is not a column of its files.
    relation = duckdb.sql("SELECT * FROM read_parquet('%s/*.parquet', hive_partitioning = false)"
                          % directory.replace("'", "''"))
    duck = {"columns": relation.columns, "rows": [[encode(v) for v in row] for row in relation.fetchall()]}
    return {"files": len(files), "codecs": sorted(codecs), "pyarrow": arrow, "duckdb": duck}


print(json.dumps({d: read(d) for d in sys.argv[1:]}))
